#!/usr/bin/env python3
"""Builds Tests/CLITests/Fixtures/: small models and .npy files for the `onnxrun` CLI tests.

Models (inputs, expected outputs computed by ONNX Runtime):
    tiny.onnx            IR 8, opset 17:  x,y float[batch,3] ─ Add ─▶ sum ─ MatMul(W[3,2]) ─ Add(B) ─▶ "out/logits"
                         (an output name with '/', producer, metadata); tiny_x.npy, tiny_y.npy,
                         tiny_expected_logits.npy, tiny_expected_sum.npy
    tiny_ir10.onnx       the same graph at IR 10 / opset 21 (outside libonnx 1.12's range)
    bad_output_shape.onnx IR 8: MatMul output declared [batch,3] though it is [batch,2] (strict shape inference fails)
    unsorted.onnx        IR 8: a node reads 'missing', which nothing defines (checker fails)
    unknown_op.onnx      IR 8: com.example::Frobnicate (no kernel: plan fails)
    if_subgraph.onnx     IR 8: an If whose branches hold Add, Mul, Mul, Identity (histogram counts subgraphs)
.npy files under npy/ (written by numpy):
    <dtype>.npy          for every supported dtype: shape (2,3), values listed in VALUES below
    v2_f4.npy, v3_f4.npy format versions 2.0 and 3.0;  scalar_f8.npy shape ();  empty_f4.npy shape (0,3)
    fortran.npy, unicode.npy, object.npy, big_endian.npy   files the reader must refuse

Regenerate (deterministic): /work/main/.venv/bin/python scripts/make_cli_fixtures.py
Needs onnx, onnxruntime and numpy.
"""
import os

import numpy as np
import onnx
import onnxruntime as ort
from numpy.lib import format as npy_format
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "CLITests", "Fixtures")

# Values of the (2, 3) per-dtype .npy files; Tests/CLITests/NpyTests.swift repeats them.
VALUES = {
    "f2": [-2.5, -1.0, 0.0, 0.5, 1.5, 1000.0],
    "f4": [-2.5, -1.0, 0.0, 0.5, 1.5, 1000.0],
    "f8": [-2.5, -1.0, 0.0, 0.5, 1.5, 1000.0],
    "i1": [-128, -1, 0, 1, 2, 127],
    "i2": [-32768, -1, 0, 1, 2, 32767],
    "i4": [-2147483648, -1, 0, 1, 2, 2147483647],
    "i8": [-9223372036854775808, -1, 0, 1, 2, 9223372036854775807],
    "u1": [0, 1, 2, 3, 200, 255],
    "u2": [0, 1, 2, 3, 200, 65535],
    "u4": [0, 1, 2, 3, 200, 4294967295],
    "u8": [0, 1, 2, 3, 200, 18446744073709551615],
    "b1": [True, False, True, True, False, False],
}


def save_model(graph, name, ir=8, opsets=(("", 17),), **meta):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets],
                              producer_name="onnxrun-fixtures", producer_version="1")
    model.ir_version = ir
    if meta:
        helper.set_model_props(model, meta)
    onnx.save(model, os.path.join(OUT, name))
    return model


def tiny_graph():
    w = np.array([[1.0, -1.0], [0.5, 2.0], [-3.0, 0.25]], np.float32)
    b = np.array([0.5, -0.5], np.float32)
    nodes = [
        helper.make_node("Add", ["x", "y"], ["sum"], name="add"),
        helper.make_node("MatMul", ["sum", "W"], ["mm"], name="matmul"),
        helper.make_node("Add", ["mm", "B"], ["out/logits"], name="bias"),
    ]
    return helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])],
        [helper.make_tensor_value_info("out/logits", TensorProto.FLOAT, ["batch", 2]),
         helper.make_tensor_value_info("sum", TensorProto.FLOAT, ["batch", 3])],
        [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B")])


def main() -> None:
    os.makedirs(os.path.join(OUT, "npy"), exist_ok=True)

    tiny = save_model(tiny_graph(), "tiny.onnx", author="onnxrun tests", note="two\nlines")
    onnx.checker.check_model(tiny, full_check=True)
    save_model(tiny_graph(), "tiny_ir10.onnx", ir=10, opsets=(("", 21),))
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0]], np.float32)
    y = np.array([[0.5, 0.5, 0.5], [2.0, -2.0, 1.0]], np.float32)
    np.save(os.path.join(OUT, "tiny_x.npy"), x)
    np.save(os.path.join(OUT, "tiny_y.npy"), y)
    session = ort.InferenceSession(os.path.join(OUT, "tiny.onnx"), providers=["CPUExecutionProvider"])
    logits, total = session.run(["out/logits", "sum"], {"x": x, "y": y})
    np.save(os.path.join(OUT, "tiny_expected_logits.npy"), logits)
    np.save(os.path.join(OUT, "tiny_expected_sum.npy"), total)

    g = tiny_graph()
    del g.output[0].type.tensor_type.shape.dim[1]
    g.output[0].type.tensor_type.shape.dim.add().dim_value = 3
    save_model(g, "bad_output_shape.onnx")

    g = helper.make_graph(
        [helper.make_node("Add", ["x", "missing"], ["z"], name="reads_missing")], "unsorted",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, [2])])
    save_model(g, "unsorted.onnx")

    g = helper.make_graph(
        [helper.make_node("Frobnicate", ["x"], ["z"], name="frob", domain="com.example")], "unknown_op",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, [2])])
    save_model(g, "unknown_op.onnx", opsets=(("", 17), ("com.example", 1)))

    then_g = helper.make_graph(
        [helper.make_node("Add", ["x", "x"], ["t1"], name="then_add"),
         helper.make_node("Mul", ["t1", "x"], ["t"], name="then_mul")], "then",
        [], [helper.make_tensor_value_info("t", TensorProto.FLOAT, [2])])
    else_g = helper.make_graph(
        [helper.make_node("Mul", ["x", "x"], ["e1"], name="else_mul"),
         helper.make_node("Identity", ["e1"], ["e"], name="else_id")], "else",
        [], [helper.make_tensor_value_info("e", TensorProto.FLOAT, [2])])
    g = helper.make_graph(
        [helper.make_node("If", ["c"], ["z"], name="if", then_branch=then_g, else_branch=else_g),
         helper.make_node("Mul", ["z", "x"], ["w"], name="outer_mul")], "if_subgraph",
        [helper.make_tensor_value_info("c", TensorProto.BOOL, []),
         helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("w", TensorProto.FLOAT, [2])])
    m = save_model(g, "if_subgraph.onnx")
    onnx.checker.check_model(m, full_check=True)

    npy = os.path.join(OUT, "npy")
    for code, values in VALUES.items():
        dtype = np.dtype(("|" if code[1] == "1" else "<") + code)
        np.save(os.path.join(npy, f"{code}.npy"), np.array(values, dtype=dtype).reshape(2, 3))
    a = np.array(VALUES["f4"], np.float32).reshape(2, 3)
    for version in [(2, 0), (3, 0)]:
        with open(os.path.join(npy, f"v{version[0]}_f4.npy"), "wb") as f:
            npy_format.write_array(f, a, version=version)
    np.save(os.path.join(npy, "scalar_f8.npy"), np.array(2.75, np.float64))
    np.save(os.path.join(npy, "empty_f4.npy"), np.zeros((0, 3), np.float32))
    np.save(os.path.join(npy, "fortran.npy"), np.asfortranarray(a))
    np.save(os.path.join(npy, "unicode.npy"), np.array(["ab", "c"]))
    np.save(os.path.join(npy, "object.npy"), np.array([1, "a"], dtype=object), allow_pickle=True)
    np.save(os.path.join(npy, "big_endian.npy"), a.astype(">f4"))
    print("wrote", sorted(os.listdir(OUT)), sorted(os.listdir(npy)))


if __name__ == "__main__":
    main()
