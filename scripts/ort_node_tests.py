#!/usr/bin/env python3
"""Run the materialized ONNX node tests through onnxruntime (CPU) as a cross-check.

Reads testdata/onnx-node/manifest.tsv (written by scripts/materialize_node_tests.py)
and, for every test with status `run`, loads `<test>/model.onnx` and
`<test>/test_data_set_0/{input,output}_N.pb` from disk (not from onnx's in-memory
cases), runs the model with onnxruntime's CPUExecutionProvider and compares:
- floating outputs (float16/float/double, bfloat16, float8): numpy.allclose with
  rtol 1e-3, atol 1e-5, equal_nan=True, on values widened to float64;
- integer, bool and string outputs: exact equality;
- shapes must match exactly and the output element type must equal the expected
  tensor's data_type.
Tests with an int4/uint4/int2/uint2/float4e2m1 (or float6) input or output are
counted as skipped: onnxruntime's Python API cannot pass packed sub-byte tensors.
bfloat16/float8 inputs are fed as raw bits with
OrtValue.ortvalue_from_numpy_with_onnx_type.

Usage (from the repository root):

    /work/main/.venv/bin/python scripts/ort_node_tests.py [--data-dir DIR] [--filter SUBSTRING]

Prints `N passed, N failed, N skipped` (overall and split plain/expanded) and the
failing tests with reasons. Exit status is 0 even when tests fail: onnxruntime
itself is known to fail some of them (e.g. it has no opset-28 Q/DQ kernels).
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import os
import re
import sys

import ml_dtypes
import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DIR = os.path.join(REPO_ROOT, "testdata", "onnx-node")
RTOL = 1e-3
ATOL = 1e-5

SUB_BYTE = {
    TensorProto.INT4,
    TensorProto.UINT4,
    TensorProto.INT2,
    TensorProto.UINT2,
    TensorProto.FLOAT4E2M1,
}
for _name in ("FLOAT6E2M3", "FLOAT6E3M2"):
    if hasattr(TensorProto, _name):
        SUB_BYTE.add(getattr(TensorProto, _name))

# Element types that numpy represents with ml_dtypes; ORT exchanges them as raw bits.
RAW_BITS = {
    TensorProto.BFLOAT16: np.uint16,
    TensorProto.FLOAT8E4M3FN: np.uint8,
    TensorProto.FLOAT8E4M3FNUZ: np.uint8,
    TensorProto.FLOAT8E5M2: np.uint8,
    TensorProto.FLOAT8E5M2FNUZ: np.uint8,
    TensorProto.FLOAT8E8M0: np.uint8,
}
EXPANDED = re.compile(r"_expanded(_ver\d+)?$")


def read_tensor(path: str) -> TensorProto:
    tensor = TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return tensor


def elem_type(value_info: onnx.ValueInfoProto) -> int:
    return value_info.type.tensor_type.elem_type


def is_float(dtype: np.dtype) -> bool:
    if np.issubdtype(dtype, np.floating):
        return True
    try:
        ml_dtypes.finfo(dtype)
        return True
    except (TypeError, ValueError):
        return False


def compare(name: str, expected_proto: TensorProto, actual) -> str | None:
    """None if `actual` matches the expected tensor, else a short reason."""
    expected = numpy_helper.to_array(expected_proto)
    actual = np.asarray(actual)
    if expected_proto.data_type in RAW_BITS and actual.dtype != expected.dtype:
        if actual.dtype.itemsize != expected.dtype.itemsize:
            return f"{name}: dtype {actual.dtype}, expected {expected.dtype}"
        actual = actual.view(expected.dtype)
    if actual.shape != expected.shape:
        return f"{name}: shape {actual.shape}, expected {expected.shape}"
    if expected.dtype.kind in "OUS":
        if actual.dtype.kind not in "OUS":
            return f"{name}: dtype {actual.dtype}, expected strings"
        if [str(x) for x in actual.ravel()] != [str(x) for x in expected.ravel()]:
            return f"{name}: string values differ"
        return None
    if actual.dtype != expected.dtype:
        return f"{name}: dtype {actual.dtype}, expected {expected.dtype}"
    if is_float(expected.dtype):
        e = expected.astype(np.float64)
        a = actual.astype(np.float64)
        if not np.allclose(a, e, rtol=RTOL, atol=ATOL, equal_nan=True):
            with np.errstate(invalid="ignore"):
                err = np.nanmax(np.abs(a - e)) if a.size else 0.0
            return f"{name}: max abs err {err:.3g}"
        return None
    if not np.array_equal(actual, expected):
        return f"{name}: {int(np.sum(actual != expected))} of {expected.size} values differ"
    return None


def to_numpy(value: ort.OrtValue, expected_type: int):
    """The output as numpy; bfloat16/float8 outputs come back as their raw bits
    (ORT's OrtValue.numpy() has no numpy type for them) viewed as the expected
    ml_dtypes type, after checking ORT's element type name."""
    if expected_type not in RAW_BITS:
        return value.numpy()
    want = f"tensor({TensorProto.DataType.Name(expected_type).lower()})"
    if value.data_type() != want:
        return np.zeros(0, dtype=np.int8)  # forces a dtype mismatch in compare()
    raw = ctypes.string_at(value.data_ptr(), value.tensor_size_in_bytes())
    bits = np.frombuffer(raw, dtype=RAW_BITS[expected_type]).reshape(value.shape())
    return bits.view(helper.tensor_dtype_to_np_dtype(expected_type))


def run_test(test_dir: str) -> tuple[str, str]:
    """Returns (outcome, reason) with outcome in pass / fail / skip."""
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    graph = model.graph
    types = [elem_type(v) for v in (*graph.input, *graph.output)]
    if any(t in SUB_BYTE for t in types):
        return "skip", "sub-byte tensor (ORT Python API cannot exchange it)"
    data_dir = os.path.join(test_dir, "test_data_set_0")
    feeds = {}
    for i, vi in enumerate(graph.input):
        proto = read_tensor(os.path.join(data_dir, f"input_{i}.pb"))
        array = numpy_helper.to_array(proto)
        if proto.data_type in RAW_BITS:
            bits = np.ascontiguousarray(array.view(RAW_BITS[proto.data_type])).reshape(array.shape)
            feeds[vi.name] = ort.OrtValue.ortvalue_from_numpy_with_onnx_type(bits, proto.data_type)
        else:
            feeds[vi.name] = array
    expected = [
        read_tensor(os.path.join(data_dir, f"output_{i}.pb")) for i in range(len(graph.output))
    ]
    options = ort.SessionOptions()
    options.log_severity_level = 4
    try:
        session = ort.InferenceSession(
            model.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # noqa: BLE001 - any load failure is a test failure
        return "fail", "load: " + str(exc).splitlines()[0][:160]
    try:
        names = [o.name for o in graph.output]
        raw_out = any(p.data_type in RAW_BITS for p in expected)
        if raw_out or any(isinstance(v, ort.OrtValue) for v in feeds.values()):
            # String tensors cannot become OrtValues; no test mixes them with raw-bit types.
            ort_feeds = {
                k: v if isinstance(v, ort.OrtValue) else ort.OrtValue.ortvalue_from_numpy(v)
                for k, v in feeds.items()
            }
            outputs = [
                to_numpy(v, p.data_type)
                for v, p in zip(session.run_with_ort_values(names, ort_feeds), expected)
            ]
        else:
            outputs = session.run(names, feeds)
    except Exception as exc:  # noqa: BLE001
        return "fail", "run: " + str(exc).splitlines()[0][:160]
    reasons = []
    for vi, proto, value in zip(graph.output, expected, outputs):
        reason = compare(vi.name, proto, value)
        if reason:
            reasons.append(reason)
    return ("fail", "mismatch: " + "; ".join(reasons)) if reasons else ("pass", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=DEFAULT_DIR)
    parser.add_argument("--filter", default="", help="only tests whose name contains this")
    args = parser.parse_args()

    with open(os.path.join(args.data_dir, "manifest.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    counts = collections.defaultdict(collections.Counter)
    failures = []
    skips = collections.Counter()
    for name, op, _opset, _ir, status, reason in rows:
        if args.filter not in name:
            continue
        kind = "expanded" if EXPANDED.search(name) else "plain"
        if status != "run":
            outcome, why = "skip", f"manifest: {reason}"
        else:
            outcome, why = run_test(os.path.join(args.data_dir, name))
        counts[kind][outcome] += 1
        counts["all"][outcome] += 1
        if outcome == "fail":
            failures.append((name, op, why))
        elif outcome == "skip":
            skips[why] += 1

    for kind in ("plain", "expanded", "all"):
        c = counts[kind]
        print(f"{kind:>8}: {c['pass']} passed, {c['fail']} failed, {c['skip']} skipped")
    for why, n in sorted(skips.items()):
        print(f"skipped {n}: {why}")
    if failures:
        print("failures:")
        for name, op, why in failures:
            print(f"  {name} [{op}] {why}")
    c = counts["all"]
    print(f"{c['pass']} passed, {c['fail']} failed, {c['skip']} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
