#!/usr/bin/python3
"""Executes one notebook through Jupyter's own client (nbclient), the way a student's editor runs it.

usage: execute.py NOTEBOOK KERNEL_NAME OUTPUT [name=value ...]

Parameters are injected papermill-style: a code cell tagged `injected-parameters` right after the cell
tagged `parameters`, assigning each value (C# syntax: `quick = true;`). The notebook runs with its own
folder as working directory, so its relative `#r` and `#!import` paths resolve as in the editor.
Errors are kept in the outputs (the caller inspects them); the executed copy is written to OUTPUT.
"""
import sys
import time

import nbformat
from nbclient import NotebookClient


def inject(nb, assignments):
    if not assignments:
        return
    at = next(i for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and "parameters" in c.metadata.get("tags", []))
    source = "// Injected parameters\n" + "".join(f"{name} = {value};\n" for name, value in assignments)
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(at + 1, cell)


def main():
    path, kernel, output = sys.argv[1:4]
    assignments = [arg.split("=", 1) for arg in sys.argv[4:]]
    nb = nbformat.read(path, as_version=4)
    inject(nb, assignments)
    folder = path.rsplit("/", 1)[0] if "/" in path else "."
    client = NotebookClient(nb, kernel_name=kernel, timeout=600, startup_timeout=180, allow_errors=True,
                            resources={"metadata": {"path": folder}})
    start = time.monotonic()
    client.execute()
    nb.metadata["nbcnn_execution_seconds"] = round(time.monotonic() - start, 1)
    nbformat.write(nb, output)


if __name__ == "__main__":
    main()
