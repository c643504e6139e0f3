#!/usr/bin/env python3
"""Finds the first ops where onnxrun and ONNX Runtime disagree bit for bit on a model.

Every intermediate value of MODEL becomes a graph output (element type from shape inference); the
copy runs in ONNX Runtime (CPU, 1 thread, ORT_DISABLE_ALL: op by op, unfused) and in
`onnxrun run` on the same .npy feeds. Walking the nodes in graph (topological) order, it prints the
nodes whose inputs are all bit-identical in both runs but whose outputs differ ("culprits": op type,
node name, max |diff|, differing elements), then a count per op type of all nodes that differ.

    /work/main/.venv/bin/python scripts/parity/compare_intermediates.py MODEL FEEDS_DIR \
        [--onnxrun .build/debug/onnxrun] [--limit 20] [--tier avx512_vnni]

FEEDS_DIR holds NAME.npy per model input (scripts/parity/dump_feeds.py writes such directories).

With --level all, ONNX Runtime runs MODEL as is at its default level (ORT_ENABLE_ALL: its fusions
SkipLayerNormalization, FusedMatMul, MatMulIntegerToFloat, ... fire) and onnxrun with its standard
pass pipeline; intermediates cannot be compared (an extra graph output blocks a fusion on both
sides), so only the model outputs are, bit for bit.
"""
import argparse
import collections
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def sanitize(name):
    s = "".join(c if (c.isascii() and (c.isalnum() or c in "_-.")) else "_" for c in name)
    if not s or s.startswith("."):
        s = "_" + s
    return s[:200]


def file_names(names):
    used, out = set(), []
    for name in names:
        base = cand = sanitize(name)
        n = 2
        while cand.lower() in used:
            cand = f"{base}_{n}"
            n += 1
        used.add(cand.lower())
        out.append(cand + ".npy")
    return out


def with_all_outputs(model):
    inferred = onnx.shape_inference.infer_shapes(model)
    types = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.output) + list(inferred.graph.input):
        if vi.type.HasField("tensor_type") and vi.type.tensor_type.elem_type:
            types[vi.name] = vi.type.tensor_type.elem_type
    existing = {o.name for o in model.graph.output}
    inits = {i.name for i in model.graph.initializer}
    added = []
    for node in model.graph.node:
        if node.op_type == "Constant":
            continue
        for o in node.output:
            if o and o not in existing and o not in inits and o in types:
                model.graph.output.append(onnx.helper.make_tensor_value_info(o, types[o], None))
                existing.add(o)
                added.append(o)
    return model, added


def bits_equal(a, b):
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind == "f":
        a, b = a.reshape(-1), b.reshape(-1)
        return np.array_equal(a.view(np.uint8), b.view(np.uint8)) or (
            np.array_equal(np.isnan(a), np.isnan(b)) and np.array_equal(a[~np.isnan(a)], b[~np.isnan(b)])
            and np.array_equal(np.signbit(a[~np.isnan(a)]), np.signbit(b[~np.isnan(b)])))
    return np.array_equal(a, b)


def diff_stats(a, b):
    if a.shape != b.shape:
        return f"shape {a.shape} vs {b.shape}"
    if a.dtype.kind in "fiu":
        d = np.abs(a.astype(np.float64).reshape(-1) - b.astype(np.float64).reshape(-1))
        d[np.isnan(d)] = np.inf
        ne = int((a != b).sum()) if a.dtype.kind != "f" else int(
            (a.reshape(-1).view(np.uint8).reshape(a.size, -1) != b.reshape(-1).view(np.uint8).reshape(b.size, -1)).any(-1).sum())
        return f"max|d|={d.max():.3g} differing={ne}/{a.size}"
    return f"differing={int((a != b).sum())}/{a.size}"


def run_onnxrun(a, model_path, feeds, names, work, passes):
    """`onnxrun run` on model_path with the .npy feeds of a.feeds (tier capped by a.tier; without
    the pass pipeline unless `passes`, so op-by-op runs compare op by op); returns the outputs
    `names` (the model's outputs, in order) as arrays."""
    out_dir = os.path.join(work, "onnxrun")
    cmd = [a.onnxrun, "run", model_path, "--output-dir", out_dir]
    for k in feeds:
        cmd += ["--input", f"{k}={os.path.join(a.feeds, k + '.npy')}"]
    env = dict(os.environ)
    if a.tier:
        env["ONNXRUN_CPU"] = a.tier
    if not passes:
        env["ONNXRUN_PASSES"] = "none"
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"onnxrun failed: {r.stderr.strip()}")
    return {n: np.load(os.path.join(out_dir, f)) for n, f in zip(names, file_names(names))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("feeds")
    ap.add_argument("--onnxrun", default=os.path.join(ROOT, ".build", "debug", "onnxrun"))
    ap.add_argument("--limit", type=int, default=20)
    ap.add_argument("--keep", help="keep the work directory here")
    ap.add_argument("--tier", help="ONNXRUN_CPU-style cap passed to onnxrun through the environment")
    ap.add_argument("--level", default="disable", choices=["disable", "all"],
                    help="disable: every intermediate, op by op; all: model outputs, both sides fused")
    a = ap.parse_args()
    if a.level == "all":
        return compare_fused(a)

    model = onnx.load(a.model)
    model, added = with_all_outputs(model)
    work = a.keep or tempfile.mkdtemp(prefix="parity-")
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, "model.onnx")
    onnx.save(model, path)

    feeds = {os.path.basename(f)[:-4]: np.load(f) for f in glob.glob(os.path.join(a.feeds, "*.npy"))}
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    ort_vals = dict(zip(names, sess.run(None, {k: v for k, v in feeds.items()
                                                if k in {i.name for i in sess.get_inputs()}})))

    graph_outputs = [o.name for o in model.graph.output]
    ours = run_onnxrun(a, path, feeds, graph_outputs, work, passes=False)
    if a.keep:  # ONNX Runtime's values next to ours, under the same file names
        os.makedirs(os.path.join(work, "ort"), exist_ok=True)
        for n, f in zip(graph_outputs, file_names(graph_outputs)):
            np.save(os.path.join(work, "ort", f), ort_vals[n])

    same = {k: True for k in feeds}
    for init in model.graph.initializer:
        same[init.name] = True
    culprits, by_op = [], collections.Counter()
    for node in model.graph.node:
        if node.op_type == "Constant":
            for o in node.output:
                same[o] = True
            continue
        ins_same = all(same.get(i, True) for i in node.input if i)
        outs = [o for o in node.output if o]
        eq = True
        detail = []
        for o in outs:
            if o not in ort_vals or o not in ours:
                same[o] = ins_same
                continue
            e = bits_equal(ort_vals[o], ours[o])
            same[o] = e
            if not e:
                eq = False
                detail.append(f"{o}: {diff_stats(ort_vals[o], ours[o])}")
        if not eq:
            by_op[node.op_type] += 1
            if ins_same:
                culprits.append((node.op_type, node.name, "; ".join(detail)))
    print(f"{os.path.basename(a.model)} on {a.feeds}: {len(culprits)} culprit node(s)")
    for op, name, d in culprits[: a.limit]:
        print(f"  {op:24s} {name}  {d}")
    if by_op:
        print("  differing nodes by op: " + ", ".join(f"{k} {v}" for k, v in by_op.most_common()))
    final = [o.name for o in onnx.load(a.model).graph.output]
    nd = sum(not bits_equal(ort_vals[o], ours[o]) for o in final if o in ours)
    print(f"  model outputs differing: {nd}/{len(final)}")


def compare_fused(a):
    feeds = {os.path.basename(f)[:-4]: np.load(f) for f in glob.glob(os.path.join(a.feeds, "*.npy"))}
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(a.model, so, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    ort_vals = dict(zip(names, sess.run(None, {k: v for k, v in feeds.items()
                                                if k in {i.name for i in sess.get_inputs()}})))
    work = a.keep or tempfile.mkdtemp(prefix="parity-")
    ours = run_onnxrun(a, a.model, feeds, names, work, passes=True)
    differing = [n for n in names if not bits_equal(ort_vals[n], ours[n])]
    print(f"{os.path.basename(a.model)} on {a.feeds} (both fused): model outputs differing: "
          f"{len(differing)}/{len(names)}")
    for n in differing[: a.limit]:
        print(f"  {n}: {diff_stats(ort_vals[n], ours[n])}")


if __name__ == "__main__":
    main()
