#!/usr/bin/python3
"""Drives the nbcnn kernel through Jupyter's own client (jupyter_client), one scenario per run, and prints what it saw.

usage: protocol.py SCENARIO WORK_FOLDER LIBRARY_DLL

The kernel starts with WORK_FOLDER as its working directory and its standard error in WORK_FOLDER/kernel.log.
The output is one JSON object on standard output: the replies and iopub messages of the scenario, timings, and
facts about processes and files. The C# tests (KernelProtocolTests) hold it to the protocol; this script judges
nothing, so a broken kernel shows up there, with the whole record in the failure message.
"""
import json
import os
import sys
import time

from jupyter_client import KernelManager
from jupyter_client.session import Session

TIMEOUT = 120


class Kernel:
    """A started nbcnn kernel and a blocking client connected to it."""

    def __init__(self, folder):
        self.folder = folder
        self.manager = KernelManager(kernel_name="nbcnn")
        self.log = open(os.path.join(folder, "kernel.log"), "a")
        self.manager.start_kernel(cwd=folder, stderr=self.log)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=TIMEOUT)
        self.drain_iopub()

    @property
    def process(self):
        return self.manager.provisioner.process

    def drain_iopub(self):
        while True:
            try:
                self.client.get_iopub_msg(timeout=0.2)
            except Exception:
                return

    def reply_to(self, msg_id, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            reply = self.client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def iopub_of(self, msg_id, timeout=TIMEOUT):
        """The iopub messages whose parent is msg_id, up to and including its idle status."""
        return self.iopub_of_all([msg_id], timeout)[msg_id]

    def iopub_of_all(self, msg_ids, timeout=TIMEOUT):
        """The iopub messages of each request in msg_ids, until each one's idle status."""
        seen = {msg_id: [] for msg_id in msg_ids}
        waiting = set(msg_ids)
        deadline = time.monotonic() + timeout
        while waiting:
            msg = self.client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            parent = msg["parent_header"].get("msg_id")
            if parent not in seen:
                continue
            seen[parent].append({"msg_type": msg["msg_type"], "content": msg["content"]})
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                waiting.discard(parent)
        return seen

    def execute(self, code, **options):
        msg_id = self.client.execute(code, **options)
        reply = self.reply_to(msg_id)
        return {"code": code, "reply": reply["content"], "iopub": self.iopub_of(msg_id)}

    def request(self, send, *args, **kwargs):
        msg_id = send(*args, **kwargs)
        reply = self.reply_to(msg_id)
        return {"reply": reply["content"], "iopub": self.iopub_of(msg_id)}

    def stop(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=False)

    def kernel_log(self):
        self.log.flush()
        with open(os.path.join(self.folder, "kernel.log")) as f:
            return f.read()


def reference(library):
    return f'#r "{library}"\nusing NotebookCnn;'


def kernel_info(kernel, library):
    info = kernel.request(kernel.client.kernel_info)
    # The heartbeat echoes what it gets, over its own socket.
    import zmq
    context = zmq.Context.instance()
    socket = context.socket(zmq.REQ)
    socket.linger = 0
    info_file = kernel.manager.get_connection_info()
    socket.connect(f"{info_file['transport']}://{info_file['ip']}:{info_file['hb_port']}")
    socket.send(b"ping-nbcnn")
    echoed = socket.recv().decode() if socket.poll(5000) else None
    socket.close()
    return {"kernel_info": info, "heartbeat": echoed}


def execute(kernel, library):
    cells = [
        'Console.WriteLine("out"); Console.Error.WriteLine("err"); var d = display("first"); d.Update("second"); 6 * 7',
        'throw new InvalidOperationException("boom");',
        'd.Update("third");',
        '#r "nuget: Plotly.NET, 6.0.0"\n#r "nuget: Plotly.NET.CSharp, 0.14.0"\n'
        'Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 1, 4, 9 })',
        'for (int i = 0; i < 2000; i++) Console.WriteLine(i);',
    ]
    return {"cells": [kernel.execute(code) for code in cells]}


def silent(kernel, library):
    quiet = kernel.execute('var hidden = 5; Console.WriteLine("quiet"); display("not shown"); hidden', silent=True)
    failing = kernel.execute('throw new Exception("silent failure");', silent=True)
    visible = kernel.execute("hidden + 1")
    return {"silent": quiet, "silent_error": failing, "next": visible}


def stop_on_error(kernel, library):
    marker = os.path.join(kernel.folder, "ran-after-error.txt")
    # Sent together, as "run all" does: the two after the failing cell must be aborted, not run.
    ids = [kernel.client.execute('throw new Exception("first cell fails");'),
           kernel.client.execute(f'System.IO.File.WriteAllText(@"{marker}", "ran");'),
           kernel.client.execute("1 + 1")]
    aborted = [kernel.reply_to(i)["content"] for i in ids]
    aborted_iopub = [[m["msg_type"] for m in messages] for messages in kernel.iopub_of_all(ids).values()]
    marker_after_abort = os.path.exists(marker)
    ids = [kernel.client.execute('throw new Exception("fails again");', stop_on_error=False),
           kernel.client.execute("2 + 2")]
    kept_going = [kernel.reply_to(i)["content"] for i in ids]
    kernel.iopub_of_all(ids)
    after = kernel.execute("3 + 3")
    return {"aborted": aborted, "aborted_iopub": aborted_iopub, "marker_written": marker_after_abort,
            "stop_on_error_false": kept_going, "after": after}


def complete(kernel, library):
    setup = [kernel.execute(reference(library)), kernel.execute("var learningRate = 0.1;")]

    def ask(code, cursor):
        return kernel.request(kernel.client.complete, code, cursor)

    line = "var t = Tensor.Fr"
    emoji = "/* \U0001F600 */ Tensor.Fr"
    return {
        "setup": setup,
        "tensor": ask("Tensor.Fr", 9),
        "variable": ask("learn", 5),
        "middle": ask(line + "\nConsole.WriteLine(1);", len(line)),
        "emoji": ask(emoji, len(emoji)),
        "emoji_fr_at": emoji.index("Fr"),
    }


def inspect(kernel, library):
    setup = kernel.execute(reference(library))
    return {
        "setup": setup,
        "method": kernel.request(kernel.client.inspect, "Tensor.FromArray", 16),
        "in_arguments": kernel.request(kernel.client.inspect, "Tensor.FromArray(", 17),
        "type": kernel.request(kernel.client.inspect, "Trainer", 7, 1),
        "nothing": kernel.request(kernel.client.inspect, "nothingHere", 11),
    }


def is_complete(kernel, library):
    return {code: kernel.request(kernel.client.is_complete, code)["reply"]
            for code in ["if (true) {", "var x = 1;", "", "Console.WriteLine(", "#r \"nuget: Plotly.NET, 6.0.0\"\n1 + 1"]}


def comm_info(kernel, library):
    return {"comm_info": kernel.request(kernel.client.comm_info)}


def history(kernel, library):
    kernel.execute("var a = 1;")
    kernel.execute('"two"')
    kernel.execute("var b = 2;", silent=True)
    kernel.execute("3", store_history=False)
    kernel.execute("a + b")
    return {
        "tail": kernel.request(kernel.client.history, hist_access_type="tail", n=10, output=True, raw=True),
        "range": kernel.request(kernel.client.history, hist_access_type="range", session=0, start=2, stop=3, raw=True),
        "search": kernel.request(kernel.client.history, hist_access_type="search", pattern="*two*", raw=True),
    }


def wrong_signature(kernel, library):
    marker = os.path.join(kernel.folder, "forged.txt")
    forger = Session(key=b"not-the-kernel-key", username="intruder")
    socket = kernel.client.shell_channel.socket
    forger.send(socket, "execute_request",
                {"code": f'System.IO.File.WriteAllText(@"{marker}", "forged");', "silent": False, "store_history": True,
                 "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    # The same correctly signed message twice: the second is a replay and must not run.
    replayed = os.path.join(kernel.folder, "replayed.txt")
    message = kernel.client.session.msg("execute_request", {
        "code": f'System.IO.File.AppendAllText(@"{replayed}", "ran\\n");', "silent": False, "store_history": True,
        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    kernel.client.session.send(socket, message)
    kernel.client.session.send(socket, message)
    kernel.reply_to(message["header"]["msg_id"])
    time.sleep(2)
    still_answers = kernel.request(kernel.client.kernel_info)
    genuine = os.path.join(kernel.folder, "genuine.txt")
    signed = kernel.execute(f'System.IO.File.WriteAllText(@"{genuine}", "signed");')
    replies = []
    while True:
        try:
            replies.append(kernel.client.get_shell_msg(timeout=0.5)["content"])
        except Exception:
            break
    return {
        "forged_file_exists": os.path.exists(marker),
        "replayed_runs": open(replayed).read().count("ran") if os.path.exists(replayed) else 0,
        "kernel_info_after": still_answers["reply"]["status"],
        "genuine_file_exists": os.path.exists(genuine),
        "signed": signed["reply"],
        "stray_replies": replies,
        "log": kernel.kernel_log(),
    }


def interrupt_after(kernel, code, wait):
    msg_id = kernel.client.execute(code)
    # Interrupt once the cell is running (its execute_input is out) and has run for `wait` seconds.
    while True:
        msg = kernel.client.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            break
    time.sleep(wait)
    start = time.monotonic()
    kernel.manager.interrupt_kernel()
    reply = kernel.reply_to(msg_id, timeout=60)
    latency = time.monotonic() - start
    return {"reply": reply["content"], "latency_seconds": round(latency, 3), "iopub": kernel.iopub_of(msg_id)}


def interrupt_sleep(kernel, library):
    before = kernel.execute("var kept = 41;")
    stopped = interrupt_after(kernel, "System.Threading.Thread.Sleep(600_000);", 1.0)
    after = kernel.execute("kept + 1")
    busy = interrupt_after(kernel, "while (true) { }", 1.0)
    after_busy = kernel.execute("kept + 2")
    return {"before": before, "stopped": stopped, "after": after, "busy_loop": busy, "after_busy_loop": after_busy}


def interrupt_training(kernel, library):
    setup = kernel.execute(reference(library) + """
var (train, test) = Mnist.LoadBundled();
var net = new Sequential(
    new Convolution(inChannels: 1, filters: 30, kernelSize: 5), new Relu(), new MaxPooling(size: 2, stride: 2), new Flatten(),
    new Affine(30 * 12 * 12, 100), new Relu(), new Affine(100, 10));
var trainer = new Trainer(net, new SoftmaxCrossEntropy(), new Adam(learningRate: 1e-3f), batchSize: 100, seed: 42);
int iterations = 0;
double secondsPerIteration = 0;
var kept = "state kept";""")
    # 1000 epochs over 8,000 digits: 80,000 minibatches, hours on two cores.
    stopped = interrupt_after(kernel, "trainer.Fit(train, epochs: 1000, onIteration: i => { iterations = i.Iteration; "
                                      "secondsPerIteration = i.ElapsedSeconds / i.Iteration; });", 3.0)
    after = kernel.execute('$"{kept}: {iterations} iterations, {secondsPerIteration * 80_000 / 60:0} minutes for all"')
    # The network trains on after the interrupt (the library's parallel loops were left in order).
    resumed = kernel.execute("trainer.FitIterations(train, iterations: 3, evaluationLimit: 100).Iterations")
    return {"setup": setup, "stopped": stopped, "after": after, "resumed": resumed}


def processes_with(text):
    """The ids of running processes whose command line contains text."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if text.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def restart_and_shutdown(kernel, library):
    first = kernel.process
    first_file = kernel.manager.connection_file
    kernel.execute("var before = 1;")
    start = time.monotonic()
    kernel.manager.restart_kernel(now=False)
    restart_seconds = time.monotonic() - start
    kernel.client.wait_for_ready(timeout=TIMEOUT)
    kernel.drain_iopub()
    second = kernel.process
    fresh = kernel.execute("before")
    after_restart = kernel.execute("1 + 1")
    second_file = kernel.manager.connection_file
    start = time.monotonic()
    kernel.stop()
    shutdown_seconds = time.monotonic() - start
    time.sleep(0.5)
    return {
        "first_pid": first.pid, "first_returncode": first.returncode, "restart_seconds": round(restart_seconds, 2),
        "second_pid": second.pid, "second_returncode": second.poll(), "shutdown_seconds": round(shutdown_seconds, 2),
        "variable_after_restart": fresh["reply"], "after_restart": after_restart["reply"],
        "left_running": processes_with(os.path.basename(first_file)) + processes_with(os.path.basename(second_file)),
        "log": kernel.kernel_log(),
    }


def orphan(kernel, library):
    # The front end dies without a shutdown request: the kernel must notice and end by itself.
    print(json.dumps({"pid": kernel.process.pid, "connection_file": os.path.basename(kernel.manager.connection_file)}), flush=True)
    os._exit(0)


SCENARIOS = {f.__name__: f for f in [kernel_info, execute, silent, stop_on_error, complete, inspect, is_complete, comm_info,
                                      history, wrong_signature, interrupt_sleep, interrupt_training, restart_and_shutdown,
                                      orphan]}


def main():
    scenario, folder, library = sys.argv[1:4]
    kernel = Kernel(folder)
    try:
        result = SCENARIOS[scenario](kernel, library)
    finally:
        if scenario not in ("restart_and_shutdown", "orphan"):
            kernel.stop()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
