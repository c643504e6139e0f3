#!/usr/bin/env python3
"""Prints the ONNX Runtime outputs (CPU, 1 thread, ORT_DISABLE_ALL) that
Tests/OpsTests/OnnxRuntimeParityTests.swift pastes in, as float32 bit patterns: Sigmoid, Softmax
(last axis), LayerNormalization (last axis, with mean and inverse std), com.microsoft
SkipLayerNormalization (what ONNX Runtime's default level fuses Add + LayerNormalization into) and a
one-row MatMul on
inputs from the same linear congruential sequence as the test. The bits depend on the CPU MLAS
dispatches to (AVX-512F here); the test asserts them on AVX-512 machines only.

    /work/main/.venv/bin/python scripts/parity/make_kernel_cases.py
"""
import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper


def values(count, seed, lo=-4.0, width=8.0):
    """The test's sequence: s = s·1664525 + 1013904223 (mod 2^32), (s >> 8) / 2^24 · width + lo."""
    s, out = seed, []
    for _ in range(count):
        s = (s * 1664525 + 1013904223) % 2**32
        out.append(np.float32(np.float32((s >> 8) / float(1 << 24)) * np.float32(width)) + np.float32(lo))
    return np.array(out, np.float32)


def run(nodes, inputs, outputs, feeds, opset=17):
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in inputs],
                          [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset), helper.make_opsetid("com.microsoft", 1)])
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(m.SerializeToString(), so, providers=["CPUExecutionProvider"]).run(None, feeds)


def bits(name, a):
    u = np.asarray(a, np.float32).reshape(-1).view(np.uint32)
    body = ", ".join(f"0x{v:08x}" for v in u)
    print(f"    static let {name}: [UInt32] = [{body}]")


def main():
    x = values(48, 1, -20.0, 40.0)
    bits("sigmoid", run([helper.make_node("Sigmoid", ["x"], ["y"])], ["x"], ["y"], {"x": x})[0])
    s = values(2 * 37, 2, -6.0, 12.0).reshape(2, 37)
    bits("softmax37", run([helper.make_node("Softmax", ["x"], ["y"], axis=-1)], ["x"], ["y"], {"x": s})[0])
    s = values(64, 3, -6.0, 12.0).reshape(1, 64)
    bits("softmax64", run([helper.make_node("Softmax", ["x"], ["y"], axis=-1)], ["x"], ["y"], {"x": s})[0])
    ln = values(3 * 64, 4).reshape(3, 64)
    ln[2] = ln[2] * np.float32(0.01) + np.float32(1000)   # a large mean: the variance is two-pass
    g, b = values(64, 5, 0.5, 1.0), values(64, 6, -0.5, 1.0)
    y, mean, inv = run([helper.make_node("LayerNormalization", ["x", "g", "b"], ["y", "m", "i"], axis=-1,
                                         epsilon=1e-5)], ["x", "g", "b"], ["y", "m", "i"], {"x": ln, "g": g, "b": b})
    bits("layerNorm", y)
    bits("layerNormMean", mean)
    bits("layerNormInvStd", inv)
    sx, sk, sb = values(3 * 64, 9).reshape(3, 64), values(3 * 64, 10).reshape(3, 64), values(64, 11, -0.5, 1.0)
    y, mean, inv, total = run([helper.make_node("SkipLayerNormalization", ["x", "s", "g", "b", "bias"],
                                                ["y", "m", "i", "sum"], domain="com.microsoft", epsilon=1e-5)],
                              ["x", "s", "g", "b", "bias"], ["y", "m", "i", "sum"],
                              {"x": sx, "s": sk, "g": g, "b": b, "bias": sb})
    bits("skipLayerNorm", y)
    bits("skipLayerNormMean", mean)
    bits("skipLayerNormInvStd", inv)
    bits("skipLayerNormSum", total)
    a, w = values(19, 7).reshape(1, 19), values(19 * 21, 8).reshape(19, 21)
    bits("matMulRow", run([helper.make_node("MatMul", ["a", "w"], ["y"])], ["a", "w"], ["y"], {"a": a, "w": w})[0])


if __name__ == "__main__":
    main()
