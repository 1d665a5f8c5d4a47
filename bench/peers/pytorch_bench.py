#!/usr/bin/python3
"""PyTorch peer of NotebookCnn.Bench: the same three networks, driven over stdin/stdout.

One command per line on stdin, one JSON line per command on stdout:
  hello                      -> {"peer": "pytorch", "version": ..., "threads": ...}
  train NET ITERATIONS       -> {"seconds": s, "images": n}   Adam steps on minibatches of 100
  infer NET ITERATIONS       -> {"seconds": s, "images": n}   forward passes on batches of 1000
  matmul M N K ITERATIONS    -> {"seconds": s, "flops": f}    C = A @ B with A MxK, B KxN
  quit
Networks are built on first use and kept, so later runs measure the steady state.
Run with Debian's /usr/bin/python3 (python3-torch) and, for a fair comparison, OpenBLAS:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2
"""
import json
import os
import sys
import time

import torch
from torch import nn

TRAIN_BATCH = 100
INFER_BATCH = 1000
DISTINCT_BATCHES = 8  # the training loop cycles over this many random minibatches


def simple_conv_net():
    return nn.Sequential(
        nn.Conv2d(1, 30, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(30 * 12 * 12, 100), nn.ReLU(), nn.Linear(100, 10))


def mlp():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 10))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


NETWORKS = {"SimpleConvNet": simple_conv_net, "MLP": mlp, "LeNet-5": lenet5}


class Session:
    """One network with its optimizer and random data of MNIST shape, kept between commands."""

    def __init__(self, name):
        torch.manual_seed(42)
        self.model = NETWORKS[name]()
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.loss = nn.CrossEntropyLoss()
        self.images = [torch.rand(TRAIN_BATCH, 1, 28, 28) for _ in range(DISTINCT_BATCHES)]
        self.labels = [torch.randint(0, 10, (TRAIN_BATCH,)) for _ in range(DISTINCT_BATCHES)]
        self.test_images = torch.rand(INFER_BATCH, 1, 28, 28)
        self.step = 0

    def train(self, iterations):
        self.model.train()
        start = time.perf_counter()
        for _ in range(iterations):
            i = self.step % DISTINCT_BATCHES
            self.step += 1
            self.optimizer.zero_grad(set_to_none=False)
            loss = self.loss(self.model(self.images[i]), self.labels[i])
            loss.backward()
            self.optimizer.step()
        return time.perf_counter() - start

    def infer(self, iterations):
        self.model.eval()
        start = time.perf_counter()
        with torch.no_grad():
            for _ in range(iterations):
                self.model(self.test_images)
        return time.perf_counter() - start


def main():
    threads = int(os.environ.get("OMP_NUM_THREADS", "2"))
    torch.set_num_threads(threads)
    sessions = {}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        command = words[0]
        if command == "quit":
            break
        if command == "hello":
            answer = {"peer": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
                      "blas": os.environ.get("LD_LIBRARY_PATH", "")}
        elif command in ("train", "infer"):
            name, iterations = words[1], int(words[2])
            session = sessions.get(name) or sessions.setdefault(name, Session(name))
            if command == "train":
                answer = {"seconds": session.train(iterations), "images": iterations * TRAIN_BATCH}
            else:
                answer = {"seconds": session.infer(iterations), "images": iterations * INFER_BATCH}
        elif command == "matmul":
            m, n, k, iterations = (int(w) for w in words[1:5])
            a, b = torch.rand(m, k), torch.rand(k, n)
            c = torch.empty(m, n)
            torch.mm(a, b, out=c)
            start = time.perf_counter()
            for _ in range(iterations):
                torch.mm(a, b, out=c)
            answer = {"seconds": time.perf_counter() - start, "flops": 2.0 * m * n * k * iterations}
        else:
            answer = {"error": f"unknown command {command!r}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
