#!/usr/bin/env python3
"""Builds testdata/sample/: a small transformer feed-forward block with a dynamically quantized
projection, its input and ONNX Runtime's outputs (the reference the tests compare onnxrun with).

    x[batch, seq, 16] ─ LayerNormalization ─ MatMul(W1) ─ Add(b1) ─ Gelu ─ DynamicQuantizeLinear
      ─ MatMulInteger(W2 int8) ─ Cast ─ Mul(x_scale·w_scale) ─ Add(b2) ─ Add(x) ─▶ y
    y ─ Softmax(axis=-1) ─▶ probs;   y ─ ReduceMean(axes=[1]) ─▶ pooled

Regenerate (deterministic): .venv/bin/python scripts/make_sample_model.py
Needs onnx, onnxruntime and numpy in the venv.
"""
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "sample")


def main() -> None:
    rng = np.random.default_rng(7)
    d, h = 16, 32
    w1 = (rng.standard_normal((d, h)) / np.sqrt(d)).astype(np.float32)
    b1 = (rng.standard_normal(h) * 0.1).astype(np.float32)
    w2_float = rng.standard_normal((h, d)) / np.sqrt(h)
    w2_scale = np.float32(np.abs(w2_float).max() / 127)
    w2 = np.clip(np.round(w2_float / w2_scale), -127, 127).astype(np.int8)
    b2 = (rng.standard_normal(d) * 0.1).astype(np.float32)
    gamma = (1 + 0.1 * rng.standard_normal(d)).astype(np.float32)
    beta = (0.1 * rng.standard_normal(d)).astype(np.float32)

    inits = [
        numpy_helper.from_array(w1, "W1"), numpy_helper.from_array(b1, "b1"),
        numpy_helper.from_array(w2, "W2"), numpy_helper.from_array(np.int8(0), "W2_zero_point"),
        numpy_helper.from_array(np.array(w2_scale, np.float32), "W2_scale"),
        numpy_helper.from_array(b2, "b2"), numpy_helper.from_array(gamma, "gamma"),
        numpy_helper.from_array(beta, "beta"), numpy_helper.from_array(np.array([1], np.int64), "pool_axes"),
    ]
    nodes = [
        helper.make_node("LayerNormalization", ["x", "gamma", "beta"], ["ln"], name="ln", axis=-1, epsilon=1e-5),
        helper.make_node("MatMul", ["ln", "W1"], ["h1"], name="fc1"),
        helper.make_node("Add", ["h1", "b1"], ["h1b"], name="fc1_bias"),
        helper.make_node("Gelu", ["h1b"], ["g"], name="gelu"),
        helper.make_node("DynamicQuantizeLinear", ["g"], ["g_q", "g_scale", "g_zp"], name="quant"),
        helper.make_node("MatMulInteger", ["g_q", "W2", "g_zp", "W2_zero_point"], ["h2_i32"], name="fc2"),
        helper.make_node("Cast", ["h2_i32"], ["h2_f"], name="fc2_cast", to=TensorProto.FLOAT),
        helper.make_node("Mul", ["g_scale", "W2_scale"], ["h2_scale"], name="fc2_scale"),
        helper.make_node("Mul", ["h2_f", "h2_scale"], ["h2"], name="fc2_rescale"),
        helper.make_node("Add", ["h2", "b2"], ["h2b"], name="fc2_bias"),
        helper.make_node("Add", ["h2b", "x"], ["y"], name="residual"),
        helper.make_node("Softmax", ["y"], ["probs"], name="softmax", axis=-1),
        helper.make_node("ReduceMean", ["y", "pool_axes"], ["pooled"], name="pool", keepdims=0),
    ]
    graph = helper.make_graph(
        nodes, "sample_ffn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "seq", d])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "seq", d]),
         helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["batch", "seq", d]),
         helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", d])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)], producer_name="onnxrun-sample")
    model.ir_version = 10
    onnx.checker.check_model(model, full_check=True)
    os.makedirs(OUT, exist_ok=True)
    onnx.save(model, os.path.join(OUT, "model.onnx"))

    x = rng.standard_normal((2, 5, d)).astype(np.float32)
    np.save(os.path.join(OUT, "x.npy"), x)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(os.path.join(OUT, "model.onnx"), options, providers=["CPUExecutionProvider"])
    for name, value in zip(["y", "probs", "pooled"], session.run(["y", "probs", "pooled"], {"x": x})):
        np.save(os.path.join(OUT, f"expected_{name}.npy"), value)
    print("wrote", sorted(os.listdir(OUT)), "onnxruntime", ort.__version__)


if __name__ == "__main__":
    main()
