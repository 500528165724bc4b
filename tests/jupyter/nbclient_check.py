#!/usr/bin/env python3
"""Run notebooks through `llmcourse kernel` with nbclient, the reference Jupyter client, and compare their
outputs cell by cell with what `llmcourse run` wrote.

Not part of CI (CI has no Python). On Debian: apt-get install python3-nbclient python3-jupyter-client, then
  ./llmcourse kernel install --user
  ./llmcourse run notebooks --out artifacts/run --no-timing
  python3 tests/jupyter/nbclient_check.py notebooks --runner-out artifacts/run --out artifacts/nbclient

Outputs are compared as a front end shows them: consecutive stream outputs of one stream joined (a kernel
may send a cell's printing in several messages), text joined from its lines, chart element ids
(plot-<hex>, fresh on every render) normalised. Exit code 1 if a notebook failed or a cell differs.
"""
import argparse, difflib, glob, os, re, sys, time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def text(value):
    return "".join(value) if isinstance(value, list) else value if isinstance(value, str) else repr(value)


def normal(outputs):
    shown = []
    for o in outputs:
        kind = o["output_type"]
        if kind == "stream":
            if shown and shown[-1][0] == "stream" and shown[-1][1] == o["name"]:
                shown[-1] = ("stream", o["name"], shown[-1][2] + text(o["text"]))
            else:
                shown.append(("stream", o["name"], text(o["text"])))
        elif kind in ("display_data", "execute_result"):
            shown.append((kind, tuple(sorted((m, text(v)) for m, v in o["data"].items()))))
        elif kind == "error":
            shown.append(("error", o["ename"], o["evalue"], tuple(o["traceback"])))
    return re.sub(r"plot-[0-9a-f]{12}", "plot-ID", repr(shown))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", help="a notebook or a folder of them")
    parser.add_argument("--runner-out", help="the folder `llmcourse run --out` wrote; compare with it")
    parser.add_argument("--out", default="artifacts/nbclient", help="where to write the notebooks nbclient executed")
    parser.add_argument("--kernel", default="llmcourse-csharp")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    args = parser.parse_args()

    paths = sorted(glob.glob(os.path.join(args.notebooks, "*.ipynb"))) if os.path.isdir(args.notebooks) else [args.notebooks]
    os.makedirs(args.out, exist_ok=True)
    problems = 0
    for path in paths:
        name = os.path.basename(path)
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        started = time.time()
        try:
            client.execute()
            status = "ran to the end"
        except CellExecutionError as e:
            status = "FAILED: " + str(e).strip().splitlines()[-1]
            problems += 1
        nbformat.write(nb, os.path.join(args.out, name))
        code = [c for c in nb.cells if c.cell_type == "code"]
        line = f"{name}: {status} in {time.time() - started:.1f} s, {len(code)} code cells"
        if args.runner_out:
            runner = nbformat.read(os.path.join(args.runner_out, name), as_version=4)
            theirs = [c for c in runner.cells if c.cell_type == "code"]
            differ = [i for i, (a, b) in enumerate(zip(code, theirs)) if normal(a.outputs) != normal(b.outputs)
                      or a.execution_count != b.execution_count]
            line += f"; outputs identical to llmcourse run's in {len(code) - len(differ)}/{len(code)} cells"
            for i in differ:
                problems += 1
                cell = code[i]
                line += f"\n  code cell {i + 1} (notebook cell {nb.cells.index(cell) + 1}) differs:"
                diff = difflib.unified_diff(normal(theirs[i].outputs).split("\\n"), normal(cell.outputs).split("\\n"),
                                            "llmcourse run", "nbclient", n=0, lineterm="")
                line += "".join("\n    " + d[:160] for d in list(diff)[2:14])
        print(line, flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
