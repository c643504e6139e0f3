#!/usr/bin/env python3
"""Load time and peak memory of onnxrun against Python onnx and ONNX Runtime on a ~200 MiB model.

Builds (in a temp dir, never committed) a chain of LAYERS MatMuls with DIM x DIM float32 weights
(50 x 1024 x 1024 x 4 B = 200 MiB of initializers) and a [1, DIM] input, then runs each variant as
a fresh process REPEAT times, round-robin over the variants (after one untimed warm-up each, so the
page cache is warm) and reports the
median wall time, the in-process load time and total time where the child measures them, and the
peak RSS of the child (GNU time %M, so only that process is counted):

    onnxrun dump        load + print the summary             (load: --timing load; inner: the same)
    onnxrun run         load + plan + run the chain on x.npy + write y.npy  (load; inner: load + plan + run)
    onnx.load           python: import onnx; onnx.load(model)      (load = inner: the load call)
    ort session         python: onnxruntime.InferenceSession(model) (load = inner: session creation)
    ort session+run     the same plus one run                     (load: creation; inner: creation + run)
    python import onnx / import onnxruntime   interpreter start-up baselines

Then checks the requirement that onnxrun dump and onnxrun run each take less load time, less wall
time and less peak memory than both onnx.load and ORT session creation; exits 2 when they do not.

Usage: /work/main/.venv/bin/python bench/load/bench_load.py [--onnxrun PATH] [--repeat 5]
See bench/load/README.md.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))


def make_model(directory: str, layers: int, dim: int) -> tuple[str, str]:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    inits, nodes = [], []
    prev = "x"
    for i in range(layers):
        w = (rng.standard_normal((dim, dim), dtype=np.float32) / np.float32(np.sqrt(dim))).astype(np.float32)
        inits.append(numpy_helper.from_array(w, f"W{i}"))
        out = "y" if i == layers - 1 else f"h{i}"
        nodes.append(helper.make_node("MatMul", [prev, f"W{i}"], [out], name=f"matmul{i}"))
        prev = out
    graph = helper.make_graph(nodes, "matmul_chain",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, dim])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, dim])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="bench_load")
    model.ir_version = 8
    path = os.path.join(directory, "matmul_chain.onnx")
    onnx.save(model, path)
    x_path = os.path.join(directory, "x.npy")
    np.save(x_path, rng.standard_normal((1, dim), dtype=np.float32))
    return path, x_path


GNU_TIME = "/usr/bin/time"


def run_once(argv: list[str]) -> tuple[float, float | None, float | None, int]:
    """Wall ms, the child's own load figure ('load_ms=' or onnxrun's `--timing` load phase) and
    'inner_ms=' figure (all timed phases) if printed, peak RSS KiB.

    Peak RSS comes from GNU time (`-f %M`), which forks the child from its own small process. Taking
    ru_maxrss from wait4 here would be wrong: Linux carries the RSS high-water mark of the process that
    forks (or vforks) across exec, so every child would report at least this Python process's size."""
    with tempfile.NamedTemporaryFile() as rss_file, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file.name] + argv
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=out, stderr=err)
        wall = (time.perf_counter() - start) * 1000
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{argv[:3]} exited {proc.returncode}: {err.read().decode(errors='replace').strip()[:500]}")
        out.seek(0)
        text = out.read().decode(errors="replace")
        rss_kib = int(open(rss_file.name).read().strip().splitlines()[-1])
    load = inner = None
    for line in text.splitlines():
        if line.startswith("inner_ms="):
            inner = float(line.split("=", 1)[1])
        elif line.startswith("load_ms="):
            load = float(line.split("=", 1)[1])
        elif line.startswith("timing: "):  # onnxrun --timing: "timing: load 95.1 ms, plan 3.2 ms, ..."
            phases = {p.rsplit(" ", 2)[0]: float(p.rsplit(" ", 2)[1]) for p in line[8:].split(", ")}
            load = phases.get("load")
            inner = sum(phases.get(k, 0.0) for k in ("load", "plan", "run"))
    return wall, load, inner, rss_kib


PY_LOAD = ("import time, onnx\nt = time.perf_counter()\nm = onnx.load({path!r})\n"
           "ms = (time.perf_counter() - t) * 1000\nprint(f'load_ms={{ms}}')\nprint(f'inner_ms={{ms}}')")
PY_ORT = ("import time, onnxruntime as ort\nt = time.perf_counter()\n"
          "s = ort.InferenceSession({path!r}, providers=['CPUExecutionProvider'])\n"
          "ms = (time.perf_counter() - t) * 1000\nprint(f'load_ms={{ms}}')\nprint(f'inner_ms={{ms}}')")
PY_ORT_RUN = ("import time, numpy as np, onnxruntime as ort\nx = np.load({x!r})\nt = time.perf_counter()\n"
              "s = ort.InferenceSession({path!r}, providers=['CPUExecutionProvider'])\n"
              "print(f'load_ms={{(time.perf_counter() - t) * 1000}}')\n"
              "y = s.run(None, {{'x': x}})\nprint(f'inner_ms={{(time.perf_counter() - t) * 1000}}')")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_bin = next((p for p in [os.path.join(REPO, ".build", "release", "onnxrun"),
                                    os.path.join(REPO, ".build", "debug", "onnxrun")] if os.path.exists(p)), None)
    ap.add_argument("--onnxrun", default=default_bin, help="onnxrun binary (default: .build/release, else debug)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per variant (median reported)")
    ap.add_argument("--layers", type=int, default=50)
    ap.add_argument("--dim", type=int, default=1024)
    ap.add_argument("--keep", help="write the model here and keep it (default: a temp dir, removed)")
    args = ap.parse_args()
    if not os.path.exists(GNU_TIME):
        print(f"error: {GNU_TIME} (GNU time, Debian package 'time') is needed for peak RSS", file=sys.stderr)
        return 1
    if not args.onnxrun or not os.path.exists(args.onnxrun):
        print("error: no onnxrun binary; build with `swift build` or pass --onnxrun", file=sys.stderr)
        return 1

    load_start = os.getloadavg()
    directory = args.keep or tempfile.mkdtemp(prefix="onnxrun-bench-load-")
    os.makedirs(directory, exist_ok=True)
    try:
        t = time.perf_counter()
        model, x = make_model(directory, args.layers, args.dim)
        size = os.path.getsize(model)
        print(f"model: {model} ({size / 2**20:.1f} MiB, {args.layers} x MatMul {args.dim}x{args.dim} float32), "
              f"made in {time.perf_counter() - t:.1f} s")
        build = "release" if "/release/" in os.path.realpath(args.onnxrun) else \
            "debug" if "/debug/" in os.path.realpath(args.onnxrun) else "unknown"
        print(f"onnxrun: {args.onnxrun} ({build} build); command: {' '.join([os.path.basename(sys.executable)] + sys.argv)}")
        out_dir = os.path.join(directory, "out")
        py = sys.executable
        variants = [
            ("onnxrun dump", [args.onnxrun, "dump", "--timing", model]),
            ("onnxrun run", [args.onnxrun, "run", "--timing", model, "--input", f"x={x}", "--output-dir", out_dir]),
            ("python onnx.load", [py, "-c", PY_LOAD.format(path=model)]),
            ("ort session", [py, "-c", PY_ORT.format(path=model)]),
            ("ort session+run", [py, "-c", PY_ORT_RUN.format(path=model, x=x)]),
            ("python import onnx", [py, "-c", "import onnx"]),
            ("python import onnxruntime", [py, "-c", "import onnxruntime"]),
        ]
        for _, argv in variants:
            run_once(argv)  # warm-up: page cache, dynamic loader
        # Round-robin over the variants, so that a burst of load on the shared machine hits all of them.
        results = {name: [] for name, _ in variants}
        for r in range(args.repeat):
            for name, argv in variants:
                results[name].append(run_once(argv))
            print(f"  round {r + 1}/{args.repeat} done", file=sys.stderr)
        if os.path.exists(os.path.join(out_dir, "y.npy")):
            import onnxruntime as ort
            ref = ort.InferenceSession(model, providers=["CPUExecutionProvider"]).run(None, {"x": np.load(x)})[0]
            got = np.load(os.path.join(out_dir, "y.npy"))
            print(f"onnxrun run output vs ORT: max abs diff {np.abs(got - ref).max():.3g} "
                  f"(max |ref| {np.abs(ref).max():.3g})")
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
    load_end = os.getloadavg()

    def median(name: str, field: int) -> float | None:
        values = [s[field] for s in results[name] if s[field] is not None]
        return statistics.median(values) if values else None

    base_wall, base_rss = median("onnxrun dump", 0), median("onnxrun dump", 3)
    print()
    print(f"{'variant':<26} {'wall ms':>9} {'min':>8} {'load ms':>8} {'inner ms':>9} {'peak RSS MiB':>13} "
          f"{'wall/dump':>10} {'RSS/dump':>9}")
    for name, samples in results.items():
        wall, rss = median(name, 0), median(name, 3)
        low = min(s[0] for s in samples)
        load, inner = median(name, 1), median(name, 2)
        load_text = f"{load:8.1f}" if load is not None else f"{'-':>8}"
        inner_text = f"{inner:9.1f}" if inner is not None else f"{'-':>9}"
        print(f"{name:<26} {wall:9.1f} {low:8.1f} {load_text} {inner_text} {rss / 1024:13.1f} "
              f"{wall / base_wall:10.2f} {rss / base_rss:9.2f}")
    print()
    # The requirement: onnxrun dump and run each load in less time and less peak memory than both
    # onnx.load and creating an ONNX Runtime session (load ms: onnxrun's --timing load phase, the
    # onnx.load call, session creation; wall ms: the whole fresh process).
    verdict = True
    for ours in ("onnxrun dump", "onnxrun run"):
        for theirs in ("python onnx.load", "ort session"):
            checks = [("load ms", median(ours, 1), median(theirs, 1)), ("wall ms", median(ours, 0), median(theirs, 0)),
                      ("peak RSS MiB", median(ours, 3) / 1024, median(theirs, 3) / 1024)]
            parts = []
            for label, a, b in checks:
                ok = a is not None and b is not None and a < b
                verdict = verdict and ok
                parts.append(f"{label} {a:.1f} {'<' if ok else '>='} {b:.1f}" if a is not None and b is not None
                             else f"{label} missing")
            print(f"{ours} vs {theirs}: " + ", ".join(parts))
    print(f"requirement (less load time and less peak memory than both): {'met' if verdict else 'NOT met'}")
    print()
    print(f"median of {args.repeat} fresh processes after one warm-up each; peak RSS = GNU time %M of the child")
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in load_start)}; "
          f"at end: {' '.join(f'{v:.2f}' for v in load_end)}; cores: {os.cpu_count()}")
    return 0 if verdict else 2


if __name__ == "__main__":
    sys.exit(main())
