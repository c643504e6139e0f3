#!/usr/bin/env python3
"""Materialize ONNX's backend node tests for onnxrun's ops as files on disk.

The onnx 1.23.2 wheel ships no `onnx/backend/test/data/node/` files; it builds
every node test in memory (`onnx.backend.test.loader.load_model_tests(kind="node")`,
each case has `.model` and `.data_sets`). This script writes the node tests of
the ops listed in `OPS` in the classic layout, so the Swift conformance test can
read them without Python:

    testdata/onnx-node/<test_name>/model.onnx
    testdata/onnx-node/<test_name>/test_data_set_0/input_N.pb   (TensorProto)
    testdata/onnx-node/<test_name>/test_data_set_0/output_N.pb  (TensorProto)
    testdata/onnx-node/manifest.tsv

Contracts:
- Selection: a plain test is a one-node graph; it belongs to the op of that
  node (ai.onnx domain). An `_expanded` / `_expanded_verN` test (the op replaced
  by its function body) belongs to the op of its plain twin (the name without
  the `_expanded...` suffix).
- input_N.pb / output_N.pb follow the order of graph.input / graph.output.
  Arrays are serialized with `onnx.numpy_helper.from_array` (0-d arrays stay
  0-d; ml_dtypes arrays such as bfloat16/float8 get their ONNX data_type;
  int4/uint4/int2/uint2/float4e2m1 are packed as the ONNX spec says). Cases
  whose generator already supplies a TensorProto are written as given (only the
  name is set). Every written tensor's data_type is checked against the graph's
  declared element type.
- Tests with a non-tensor graph input or output (sequence, optional, map) are
  not written; they appear in the manifest as `skip` / `non-tensor input/output`.
- manifest.tsv: one line per selected test, sorted, no header:
  `test_name<TAB>op<TAB>ai.onnx opset<TAB>ir_version<TAB>status<TAB>reason`
  with status `run` (reason empty) for written tests.
- Output is deterministic: the output directory is wiped and rewritten, and
  protobufs are serialized with deterministic=True.

Regenerate (from the repository root):

    /work/main/.venv/bin/python scripts/materialize_node_tests.py [--out DIR]

Cross-check the files with onnxruntime: scripts/ort_node_tests.py.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper
from onnx.backend.test.loader import load_model_tests

OPS = frozenset(
    """
    Add Sub Mul Div Pow Sqrt Reciprocal Erf Tanh Sigmoid Relu Gelu Not Equal
    Less Greater Where Cast CastLike MatMul Gemm MatMulInteger
    DynamicQuantizeLinear QuantizeLinear DequantizeLinear QLinearMatMul Softmax
    LogSoftmax LayerNormalization ReduceMean ReduceSum ReduceMax ArgMax TopK
    Gather GatherElements ScatterND Reshape Transpose Unsqueeze Squeeze Concat
    Slice Split Shape ConstantOfShape Constant Expand Range Tile Trilu Identity
    If Einsum
    Loop Exp Log Neg Ceil Round Clip Max Min Sum Size Flatten ReduceMin
    """.split()
)

EXPANDED_SUFFIX = re.compile(r"_expanded(_ver\d+)?$")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "testdata", "onnx-node")
SKIP_NON_TENSOR = "non-tensor input/output"


def ai_onnx_opset(model: onnx.ModelProto) -> str:
    """The model's ai.onnx opset import version, or "-" if it has none."""
    versions = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
    return str(versions[0]) if versions else "-"


def to_tensor_proto(value, value_info: onnx.ValueInfoProto, test: str) -> TensorProto:
    """Serialize one test value as a TensorProto named after its graph value."""
    if isinstance(value, TensorProto):
        tensor = TensorProto()
        tensor.CopyFrom(value)
        tensor.name = value_info.name
    else:
        # np.asarray keeps 0-d values 0-d (numpy scalars become 0-d arrays).
        tensor = numpy_helper.from_array(np.asarray(value), value_info.name)
    declared = value_info.type.tensor_type.elem_type
    if tensor.data_type != declared:
        raise SystemExit(
            f"{test}: {value_info.name} serialized as data_type {tensor.data_type}, "
            f"graph declares {declared}"
        )
    return tensor


def is_tensor(value_info: onnx.ValueInfoProto) -> bool:
    return value_info.type.WhichOneof("value") == "tensor_type"


def write_case(case, directory: str) -> None:
    model = case.model
    (inputs, outputs), = case.data_sets
    graph = model.graph
    if len(inputs) != len(graph.input) or len(outputs) != len(graph.output):
        raise SystemExit(f"{case.name}: value count does not match graph inputs/outputs")
    data_dir = os.path.join(directory, "test_data_set_0")
    os.makedirs(data_dir)
    with open(os.path.join(directory, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString(deterministic=True))
    for prefix, values, infos in (("input", inputs, graph.input), ("output", outputs, graph.output)):
        for j, (value, info) in enumerate(zip(values, infos)):
            tensor = to_tensor_proto(value, info, case.name)
            with open(os.path.join(data_dir, f"{prefix}_{j}.pb"), "wb") as f:
                f.write(tensor.SerializeToString(deterministic=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    args = parser.parse_args()

    with warnings.catch_warnings():
        # Some generators (Cast overflow, log(0)) warn on purpose.
        warnings.simplefilter("ignore", RuntimeWarning)
        cases = load_model_tests(kind="node")
    by_name = {c.name: c for c in cases}
    if len(by_name) != len(cases):
        raise SystemExit("duplicate node test names")

    selected = []  # (name, op, case)
    for case in cases:
        twin = by_name.get(EXPANDED_SUFFIX.sub("", case.name))
        if twin is None:
            raise SystemExit(f"{case.name}: no plain twin")
        nodes = twin.model.graph.node
        if len(nodes) != 1:
            raise SystemExit(f"{twin.name}: plain test has {len(nodes)} nodes")
        node = nodes[0]
        if node.domain in ("", "ai.onnx") and node.op_type in OPS:
            selected.append((case.name, node.op_type, case))
    selected.sort(key=lambda t: t[0])

    out = os.path.abspath(args.out)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)

    lines = []
    counts = collections.defaultdict(collections.Counter)
    for name, op, case in selected:
        graph = case.model.graph
        expanded = EXPANDED_SUFFIX.search(name) is not None
        if all(is_tensor(v) for v in (*graph.input, *graph.output)):
            write_case(case, os.path.join(out, name))
            status, reason = "run", ""
            counts[op]["expanded" if expanded else "plain"] += 1
        else:
            status, reason = "skip", SKIP_NON_TENSOR
            counts[op]["skipped"] += 1
        lines.append(
            "\t".join(
                [name, op, ai_onnx_opset(case.model), str(case.model.ir_version), status, reason]
            )
        )
    lines.sort()
    with open(os.path.join(out, "manifest.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(line + "\n" for line in lines))

    total = collections.Counter()
    print(f"{'op':<24}{'plain':>7}{'expanded':>10}{'skipped':>9}")
    for op in sorted(OPS):
        c = counts[op]
        total.update(c)
        print(f"{op:<24}{c['plain']:>7}{c['expanded']:>10}{c['skipped']:>9}")
    print(f"{'total':<24}{total['plain']:>7}{total['expanded']:>10}{total['skipped']:>9}")
    missing = sorted(op for op in OPS if not counts[op])
    if missing:
        print("ops without any node test:", " ".join(missing))

    size = 0
    files = 0
    for root, _, names in os.walk(out):
        for n in names:
            size += os.path.getsize(os.path.join(root, n))
            files += 1
    written = total["plain"] + total["expanded"]
    print(f"wrote {written} test dirs, {files} files, {size} bytes ({size / 1e6:.2f} MB) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
