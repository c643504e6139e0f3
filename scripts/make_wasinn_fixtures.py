#!/usr/bin/env python3
"""Builds Tests/WasiNNTests/Fixtures/: small ONNX models for the wasi-nn tests.

Models (IR 8, opset 17; deterministic):
    concat_<t>.onnx   for t in f16 f32 f64 u8 i32 i64 bf16 i8 (the wasi-nn tensor types):
                      x: T[2,3] ─ Concat(x, x, axis=1) ─▶ y: T[2,6]
    add_one.onnx      x: float[2,2] ─ Add(x, 1) ─▶ y: float[2,2]
    two_io.onnx       a: float[batch,4], ids: int64[batch]
                      ─▶ doubled = a + a: float[batch,4], ids_plus = ids + 1: int64[batch]
    mlp.onnx          x: float[1,8] ─ MatMul(W1[8,16]) ─ Add(b1) ─ Relu ─ MatMul(W2[16,4]) ─ Add(b2) ─▶ y: float[1,4]
                      (weights from numpy seed 7)
    mmi.onnx          a: uint8[4,8], b: int8[8,3] ─ MatMulInteger ─▶ c: int32[4,3]
    identity.onnx     x: float[1] ─ Identity ─▶ y: float[1]  (the "empty compute" of the overhead benchmark)

Regenerate: /work/main/.venv/bin/python scripts/make_wasinn_fixtures.py   (needs onnx and numpy)
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "WasiNNTests", "Fixtures")

TYPES = {
    "f16": TensorProto.FLOAT16, "f32": TensorProto.FLOAT, "f64": TensorProto.DOUBLE,
    "u8": TensorProto.UINT8, "i32": TensorProto.INT32, "i64": TensorProto.INT64,
    "bf16": TensorProto.BFLOAT16, "i8": TensorProto.INT8,
}


def save(graph, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make_wasinn_fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name))


def main():
    os.makedirs(OUT, exist_ok=True)
    for key, t in TYPES.items():
        g = helper.make_graph(
            [helper.make_node("Concat", ["x", "x"], ["y"], axis=1)], f"concat_{key}",
            [helper.make_tensor_value_info("x", t, [2, 3])], [helper.make_tensor_value_info("y", t, [2, 6])])
        save(g, f"concat_{key}.onnx")

    one = numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one")
    save(helper.make_graph([helper.make_node("Add", ["x", "one"], ["y"])], "add_one",
                           [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 2])],
                           [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 2])], [one]), "add_one.onnx")

    one64 = numpy_helper.from_array(np.array(1, dtype=np.int64), "one64")
    save(helper.make_graph([helper.make_node("Add", ["a", "a"], ["doubled"]),
                            helper.make_node("Add", ["ids", "one64"], ["ids_plus"])], "two_io",
                           [helper.make_tensor_value_info("a", TensorProto.FLOAT, ["batch", 4]),
                            helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch"])],
                           [helper.make_tensor_value_info("doubled", TensorProto.FLOAT, ["batch", 4]),
                            helper.make_tensor_value_info("ids_plus", TensorProto.INT64, ["batch"])], [one64]),
         "two_io.onnx")

    rng = np.random.default_rng(7)
    w1 = numpy_helper.from_array(rng.standard_normal((8, 16)).astype(np.float32), "W1")
    b1 = numpy_helper.from_array(rng.standard_normal(16).astype(np.float32), "b1")
    w2 = numpy_helper.from_array(rng.standard_normal((16, 4)).astype(np.float32), "W2")
    b2 = numpy_helper.from_array(rng.standard_normal(4).astype(np.float32), "b2")
    save(helper.make_graph([helper.make_node("MatMul", ["x", "W1"], ["h0"]), helper.make_node("Add", ["h0", "b1"], ["h1"]),
                            helper.make_node("Relu", ["h1"], ["h2"]), helper.make_node("MatMul", ["h2", "W2"], ["h3"]),
                            helper.make_node("Add", ["h3", "b2"], ["y"])], "mlp",
                           [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
                           [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])], [w1, b1, w2, b2]), "mlp.onnx")

    save(helper.make_graph([helper.make_node("MatMulInteger", ["a", "b"], ["c"])], "mmi",
                           [helper.make_tensor_value_info("a", TensorProto.UINT8, [4, 8]),
                            helper.make_tensor_value_info("b", TensorProto.INT8, [8, 3])],
                           [helper.make_tensor_value_info("c", TensorProto.INT32, [4, 3])]), "mmi.onnx")

    save(helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "identity",
                           [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                           [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])]), "identity.onnx")


if __name__ == "__main__":
    main()
