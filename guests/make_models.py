"""Writes the small ONNX models the wasm guests load by name into testdata/wasm/.

Run from the repository root with the project venv:
    /work/main/.venv/bin/python guests/make_models.py

add_one.onnx         Y = X + 1; X, Y float32 [N] (N dynamic). Preload name used by the guests: add_one.
matmul_integer.onnx  One MatMulInteger node: Y int32 [M,N] = (A - 128) . (B - 128);
                     A uint8 [M,K], B uint8 [K,N] (M, K, N dynamic); both zero points are uint8 128
                     initializers. wasi-nn has no int8 tensor type, so the guest stores its int8
                     weights w as the uint8 w + 128 (w ^ 0x80) and the graph subtracts 128 again:
                     the product equals the int8 product exactly. Preload name: mmi.
matmul_integer_s8.onnx  The same product with B int8 [K,N] and no b_zero_point, for hosts that take
                     onnxrun's i8 tensor type extension (129). Preload name: mmi_s8.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

OPSET = 13
IR_VERSION = 8


def save(model: onnx.ModelProto, path: str) -> None:
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def add_one() -> onnx.ModelProto:
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N"])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N"])
    one = helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])
    node = helper.make_node("Add", ["X", "one"], ["Y"], name="add_one")
    graph = helper.make_graph([node], "add_one", [x], [y], initializer=[one])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
                             producer_name="onnxrun guests/make_models.py")


def matmul_integer() -> onnx.ModelProto:
    a = helper.make_tensor_value_info("A", TensorProto.UINT8, ["M", "K"])
    b = helper.make_tensor_value_info("B", TensorProto.UINT8, ["K", "N"])
    y = helper.make_tensor_value_info("Y", TensorProto.INT32, ["M", "N"])
    za = helper.make_tensor("a_zero_point", TensorProto.UINT8, [], [128])
    zb = helper.make_tensor("b_zero_point", TensorProto.UINT8, [], [128])
    node = helper.make_node("MatMulInteger", ["A", "B", "a_zero_point", "b_zero_point"], ["Y"], name="mmi")
    graph = helper.make_graph([node], "matmul_integer", [a, b], [y], initializer=[za, zb])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
                             producer_name="onnxrun guests/make_models.py")


def matmul_integer_s8() -> onnx.ModelProto:
    a = helper.make_tensor_value_info("A", TensorProto.UINT8, ["M", "K"])
    b = helper.make_tensor_value_info("B", TensorProto.INT8, ["K", "N"])
    y = helper.make_tensor_value_info("Y", TensorProto.INT32, ["M", "N"])
    za = helper.make_tensor("a_zero_point", TensorProto.UINT8, [], [128])
    node = helper.make_node("MatMulInteger", ["A", "B", "a_zero_point"], ["Y"], name="mmi_s8")
    graph = helper.make_graph([node], "matmul_integer_s8", [a, b], [y], initializer=[za])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
                             producer_name="onnxrun guests/make_models.py")


def self_check(out_dir: str) -> None:
    """Runs both models in onnxruntime against numpy."""
    import onnxruntime as ort

    s = ort.InferenceSession(os.path.join(out_dir, "add_one.onnx"), providers=["CPUExecutionProvider"])
    x = np.array([1, 2, 3, 4], np.float32)
    assert np.array_equal(s.run(None, {"X": x})[0], x + 1)
    s = ort.InferenceSession(os.path.join(out_dir, "matmul_integer.onnx"), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (3, 5), dtype=np.uint8)
    w = rng.integers(-128, 128, (5, 7), dtype=np.int8)
    got = s.run(None, {"A": a, "B": (w.view(np.uint8) ^ 0x80)})[0]
    want = (a.astype(np.int32) - 128) @ w.astype(np.int32)
    assert got.dtype == np.int32 and np.array_equal(got, want)
    s = ort.InferenceSession(os.path.join(out_dir, "matmul_integer_s8.onnx"), providers=["CPUExecutionProvider"])
    got = s.run(None, {"A": a, "B": w})[0]
    assert got.dtype == np.int32 and np.array_equal(got, want)
    print("onnxruntime self-check ok")


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "testdata", "wasm")
    os.makedirs(out_dir, exist_ok=True)
    save(add_one(), os.path.join(out_dir, "add_one.onnx"))
    save(matmul_integer(), os.path.join(out_dir, "matmul_integer.onnx"))
    save(matmul_integer_s8(), os.path.join(out_dir, "matmul_integer_s8.onnx"))
    self_check(out_dir)


if __name__ == "__main__":
    main()
