#!/usr/bin/env python3
"""Fixtures for Tests/ONNXLoaderTests (small ONNX models and TensorProto files).

Regenerate (from the repository root, with the project's venv: onnx 1.23.2, numpy, ml_dtypes):
    /work/main/.venv/bin/python scripts/make_loader_fixtures.py
Writes Tests/ONNXLoaderTests/Fixtures/ (deleting what was there). Deterministic: the same onnx and
numpy versions give the same bytes.

Contents:
- initializers.onnx: one initializer per (storage form, data type), named `<form>_<dtype>`, and
  expected.json with each one's data type, shape and expected storage bytes (hex) in this runtime's
  convention (little-endian; float16/bfloat16/float8 as bits; bool 0/1; int4/int2 sign-extended to
  one byte, other sub-byte types one code per byte), computed from `onnx.numpy_helper.to_array`.
- tensor_*.pb: single TensorProto files (the node tests' input_N.pb form), good and bad.
- symbolic.onnx, if.onnx, function.onnx, external*.onnx (+ .bin data): feature models.
- bad_*.onnx: models that must be rejected with a typed error.
"""
import json
import os
import shutil
import sys

import ml_dtypes
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ONNXLoaderTests", "Fixtures")


def storage_hex(arr: np.ndarray, dt: int) -> str:
    """The runtime's storage bytes for `arr` (as numpy_helper.to_array returns it)."""
    flat = arr.reshape(-1)
    if dt in (TensorProto.INT4, TensorProto.INT2):
        b = flat.astype(np.int8).tobytes()
    elif dt in (TensorProto.UINT4, TensorProto.UINT2):
        b = flat.astype(np.uint8).tobytes()
    elif dt == TensorProto.BOOL:
        b = flat.astype(np.uint8).tobytes()
    elif flat.dtype.itemsize == 1:
        b = flat.view(np.uint8).tobytes()  # float8, float4, float6 codes
    elif dt in (TensorProto.FLOAT16, TensorProto.BFLOAT16):
        b = flat.view(np.uint16).astype("<u2").tobytes()
    else:
        b = flat.astype(flat.dtype.newbyteorder("<")).tobytes()
    return b.hex()


def sample(dt: int, n: int) -> np.ndarray:
    """n deterministic values of type dt, covering negative and extreme values where they exist."""
    rng = np.random.default_rng(dt * 7919 + n)
    np_dt = helper.tensor_dtype_to_np_dtype(dt)
    if dt == TensorProto.BOOL:
        return rng.integers(0, 2, n).astype(bool)
    if dt in (TensorProto.INT4,):
        return np.array([-8, 7, -1, 0, 3, -5, 6][:n] + [1] * max(0, n - 7), dtype=np.int8).astype(np_dt)
    if dt in (TensorProto.UINT4,):
        return np.array([0, 15, 1, 8, 9, 2, 7][:n] + [3] * max(0, n - 7), dtype=np.uint8).astype(np_dt)
    if dt == TensorProto.INT2:
        return np.array([-2, 1, -1, 0, 1, -2, 0][:n] + [1] * max(0, n - 7), dtype=np.int8).astype(np_dt)
    if dt == TensorProto.UINT2:
        return np.array([0, 3, 1, 2, 3, 2, 1][:n] + [3] * max(0, n - 7), dtype=np.uint8).astype(np_dt)
    if np.issubdtype(np_dt, np.integer):
        info = np.iinfo(np_dt)
        vals = [info.min, info.max, 0, 1] + list(rng.integers(info.min // 2, info.max // 2, max(0, n - 4), dtype=np.int64))
        return np.array([int(v) for v in vals[:n]], dtype=np_dt)
    if np.issubdtype(np_dt, np.complexfloating):
        return (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np_dt)
    if dt == TensorProto.FLOAT8E8M0:
        return np.array([1.0, 2.0, 0.25, 1024.0, 0.5, 8.0, 4.0][:n], dtype=np.float32).astype(np_dt)
    vals = (rng.standard_normal(n) * 2).astype(np.float32)
    vals[0] = -1.5
    return vals.astype(np_dt)


ALL_TYPES = [
    TensorProto.FLOAT, TensorProto.UINT8, TensorProto.INT8, TensorProto.UINT16, TensorProto.INT16,
    TensorProto.INT32, TensorProto.INT64, TensorProto.BOOL, TensorProto.FLOAT16, TensorProto.DOUBLE,
    TensorProto.UINT32, TensorProto.UINT64, TensorProto.COMPLEX64, TensorProto.COMPLEX128,
    TensorProto.BFLOAT16, TensorProto.FLOAT8E4M3FN, TensorProto.FLOAT8E4M3FNUZ, TensorProto.FLOAT8E5M2,
    TensorProto.FLOAT8E5M2FNUZ, TensorProto.UINT4, TensorProto.INT4, TensorProto.FLOAT4E2M1,
    TensorProto.FLOAT8E8M0, TensorProto.UINT2, TensorProto.INT2, TensorProto.FLOAT6E2M3, TensorProto.FLOAT6E3M2,
]


def name_of(dt: int) -> str:
    return TensorProto.DataType.Name(dt).lower()


def initializer_cases():
    """(name, TensorProto) for every storage form ONNX writers use."""
    out = []
    shape = [7]  # odd and not a multiple of 4: exercises sub-byte padding
    for dt in ALL_TYPES:
        vals = sample(dt, 7).reshape(shape)
        out.append((f"raw_{name_of(dt)}", helper.make_tensor(f"raw_{name_of(dt)}", dt, shape, vals, raw=True)))
        if dt in (TensorProto.COMPLEX64, TensorProto.COMPLEX128):
            t = helper.make_tensor(f"typed_{name_of(dt)}", dt, shape, vals.reshape(-1).tolist())
        else:
            t = helper.make_tensor(f"typed_{name_of(dt)}", dt, shape, vals.reshape(-1))
        out.append((f"typed_{name_of(dt)}", t))
    strings = np.array([b"hello", "w\u00f6rld".encode(), b"", b"x"], dtype=object).reshape(2, 2)
    out.append(("typed_string", numpy_helper.from_array(strings, "typed_string")))
    big = np.arange(2048, dtype=np.float32).reshape(32, 64) * 0.25  # > 4 KiB: raw_data taken over
    out.append(("raw_big_float", numpy_helper.from_array(big, "raw_big_float")))
    out.append(("raw_scalar_int64", numpy_helper.from_array(np.array(-42, dtype=np.int64), "raw_scalar_int64")))
    out.append(("raw_empty_float", numpy_helper.from_array(np.zeros((0, 3), dtype=np.float32), "raw_empty_float")))
    return out


def expected_entry(t: TensorProto, base_dir=None):
    arr = numpy_helper.to_array(t, base_dir) if base_dir else numpy_helper.to_array(t)
    entry = {"dataType": int(t.data_type), "shape": list(arr.shape)}
    if t.data_type == TensorProto.STRING:
        entry["strings"] = [s.decode("utf-8") if isinstance(s, bytes) else str(s) for s in arr.reshape(-1)]
    else:
        entry["hex"] = storage_hex(arr, t.data_type)
    return entry


def save(model, name, check=True):
    if check:
        onnx.checker.check_model(model)
    with open(os.path.join(ROOT, name), "wb") as f:
        f.write(model.SerializeToString())


def write(name, data: bytes):
    with open(os.path.join(ROOT, name), "wb") as f:
        f.write(data)


def model(graph, opset=21, **kw):
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)] + kw.pop("extra_opsets", []), **kw)


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)
    F = TensorProto.FLOAT

    # --- every initializer storage form
    cases = initializer_cases()
    expected = {n: expected_entry(t) for n, t in cases}
    outs = [helper.make_tensor_value_info("raw_float", F, [7])]
    g = helper.make_graph([], "initializers", [], outs, initializer=[t for _, t in cases])
    m = model(g)
    m.metadata_props.add(key="purpose", value="loader fixture")
    m.producer_name = "make_loader_fixtures"
    save(m, "initializers.onnx", check=False)  # the checker rejects some float8 typed forms' ranges
    with open(os.path.join(ROOT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=0, sort_keys=True)

    # --- single TensorProto files
    t = numpy_helper.from_array(np.array([[1.5, -2.0, 3.25]], dtype=np.float32), "x")
    write("tensor_float.pb", t.SerializeToString())
    t = helper.make_tensor("i4", TensorProto.INT4, [5], np.array([-8, 7, -1, 0, 3], dtype=np.int8))
    write("tensor_int4_typed.pb", t.SerializeToString())
    bad = numpy_helper.from_array(np.arange(4, dtype=np.float32), "short")
    bad.dims[:] = [5]  # claims 20 bytes, holds 16
    write("tensor_short_raw.pb", bad.SerializeToString())
    bad = numpy_helper.from_array(np.arange(4, dtype=np.float32), "neg")
    bad.dims[:] = [2, -2]
    write("tensor_negative_dims.pb", bad.SerializeToString())
    bad = numpy_helper.from_array(np.arange(4, dtype=np.float32), "huge")
    bad.dims[:] = [1 << 40, 1 << 40]
    write("tensor_overflow_dims.pb", bad.SerializeToString())
    bad = numpy_helper.from_array(np.arange(4, dtype=np.float32), "weird")
    bad.data_type = 99
    write("tensor_unknown_type.pb", bad.SerializeToString())
    bad = TensorProto(name="few", data_type=F, dims=[3], float_data=[1.0, 2.0])
    write("tensor_short_typed.pb", bad.SerializeToString())

    # --- symbolic dims, value_info, a non-tensor value
    x = helper.make_tensor_value_info("x", F, ["N", 3, None])
    y = helper.make_tensor_value_info("y", F, ["N", 3, None])
    seq = helper.make_tensor_sequence_value_info("s", F, None)
    relu = helper.make_node("Relu", ["x"], ["r"], name="relu")
    neg = helper.make_node("Neg", ["r"], ["y"], name="neg")
    seqn = helper.make_node("SequenceConstruct", ["x"], ["s"], name="seq")
    vi = helper.make_tensor_value_info("r", F, ["N", 3, "W"])
    g = helper.make_graph([relu, neg, seqn], "symbolic", [x], [y, seq], value_info=[vi])
    save(model(g), "symbolic.onnx")

    # --- If with then/else subgraphs capturing an outer value
    cond = helper.make_tensor_value_info("cond", TensorProto.BOOL, [])
    a = helper.make_tensor_value_info("a", F, [2])
    out = helper.make_tensor_value_info("out", F, [2])
    then_g = helper.make_graph([helper.make_node("Add", ["a", "a"], ["t_out"], name="then_add")], "then",
                               [], [helper.make_tensor_value_info("t_out", F, [2])])
    else_g = helper.make_graph([helper.make_node("Neg", ["a"], ["e_out"], name="else_neg")], "else",
                               [], [helper.make_tensor_value_info("e_out", F, [2])])
    iff = helper.make_node("If", ["cond"], ["out"], name="branch", then_branch=then_g, else_branch=else_g)
    g = helper.make_graph([iff], "if_model", [cond, a], [out])
    save(model(g), "if.onnx")

    # --- model-local functions: AddScale(x, y; alpha=2.0) = (x + y) * alpha, calling Twice(z) = z + z
    twice = helper.make_function("local", "Twice", ["z"], ["w"],
                                 [helper.make_node("Add", ["z", "z"], ["w"], name="dbl")],
                                 [helper.make_opsetid("", 21)])
    alpha_const = helper.make_node("Constant", [], ["alpha"], name="k")
    ref = onnx.AttributeProto()
    ref.name = "value_float"
    ref.ref_attr_name = "alpha"
    ref.type = onnx.AttributeProto.FLOAT
    alpha_const.attribute.append(ref)
    addscale = helper.make_function(
        "local", "AddScale", ["x", "y"], ["out"],
        [helper.make_node("Twice", ["x"], ["t"], domain="local", name="call_twice"),
         helper.make_node("Add", ["t", "y"], ["s"], name="sum"),
         alpha_const,
         helper.make_node("Mul", ["s", "alpha"], ["out"], name="scale")],
        [helper.make_opsetid("", 21), helper.make_opsetid("local", 1)],
        attributes=[])
    default = helper.make_attribute("alpha", 2.0)
    addscale.attribute_proto.append(default)
    p = helper.make_tensor_value_info("p", F, [3])
    q = helper.make_tensor_value_info("q", F, [3])
    r1 = helper.make_tensor_value_info("r1", F, [3])
    r2 = helper.make_tensor_value_info("r2", F, [3])
    call1 = helper.make_node("AddScale", ["p", "q"], ["r1"], domain="local", name="c1")
    call2 = helper.make_node("AddScale", ["r1", "q"], ["r2"], domain="local", name="c2", alpha=0.5)
    g = helper.make_graph([call1, call2], "fn_model", [p, q], [r1, r2])
    m = model(g, extra_opsets=[helper.make_opsetid("local", 1)], functions=[addscale, twice])
    save(m, "function.onnx")

    # --- external data
    w = np.arange(12, dtype=np.float32).reshape(3, 4) / 8
    blob = bytearray(64) + bytearray(w.tobytes())  # offset 64: viewed in place
    write("external.bin", bytes(blob))

    def ext_model(location, offset=64, length=None):
        t = TensorProto(name="w", data_type=F, dims=[3, 4])
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", location), ("offset", str(offset)), ("length", str(length or w.nbytes))):
            t.external_data.add(key=k, value=v)
        xin = helper.make_tensor_value_info("x", F, [3, 4])
        yout = helper.make_tensor_value_info("y", F, [3, 4])
        return model(helper.make_graph([helper.make_node("Add", ["x", "w"], ["y"], name="add")],
                                       "ext", [xin], [yout], initializer=[t]))

    save(ext_model("external.bin"), "external.onnx", check=False)
    shared = ext_model("external.bin")
    w2 = TensorProto()
    w2.CopyFrom(shared.graph.initializer[0])
    w2.name = "w2"
    shared.graph.initializer.append(w2)  # same bytes as "w": must not alias its storage
    save(shared, "external_shared.onnx", check=False)
    expected_ext = {"hex": storage_hex(w, F)}
    with open(os.path.join(ROOT, "external_expected.json"), "w") as f:
        json.dump(expected_ext, f)
    save(ext_model("../external.bin"), "bad_external_dotdot.onnx", check=False)
    save(ext_model("/etc/passwd", offset=0, length=48), "bad_external_absolute.onnx", check=False)
    save(ext_model("external.bin", offset=80), "bad_external_past_end.onnx", check=False)
    save(ext_model("missing.bin", offset=0), "bad_external_missing.onnx", check=False)

    # --- graphs that break invariants
    xin = helper.make_tensor_value_info("x", F, [2])
    yout = helper.make_tensor_value_info("y", F, [2])
    g = helper.make_graph([helper.make_node("Add", ["x", "nowhere"], ["y"], name="reads_undefined")],
                          "undefined", [xin], [yout])
    save(model(g), "bad_undefined_value.onnx", check=False)
    g = helper.make_graph([helper.make_node("Add", ["x", "b"], ["a"], name="first"),
                           helper.make_node("Neg", ["a"], ["b"], name="second"),
                           helper.make_node("Identity", ["a"], ["y"], name="out")],
                          "cyclic", [xin], [yout])
    save(model(g), "bad_cycle.onnx", check=False)
    g = helper.make_graph([helper.make_node("Identity", ["x"], ["y"], name="id")], "future", [xin], [yout])
    m = model(g)
    m.ir_version = 15
    save(m, "bad_ir_version.onnx", check=False)
    neg_init = numpy_helper.from_array(np.arange(4, dtype=np.float32), "w")
    neg_init.dims[:] = [-4]
    g = helper.make_graph([helper.make_node("Add", ["x", "w"], ["y"], name="add")], "negdims", [xin], [yout],
                          initializer=[neg_init])
    save(model(g), "bad_negative_dims.onnx", check=False)

    w1 = numpy_helper.from_array(np.zeros(2, dtype=np.float32), "w")
    g = helper.make_graph([helper.make_node("Add", ["x", "w"], ["y"], name="add")], "dup", [xin], [yout],
                          initializer=[w1, w1])
    save(model(g), "bad_duplicate_initializer.onnx", check=False)

    # --- every attribute type on a custom-domain node, Constant nodes, sparse initializers
    small = numpy_helper.from_array(np.array([[1, 2], [3, 4]], dtype=np.int32), "small")
    sp_vals = numpy_helper.from_array(np.array([5.0, 7.0], dtype=np.float32), "sp")
    sp_lin = numpy_helper.from_array(np.array([1, 5], dtype=np.int64), "sp_idx")
    sparse_lin = helper.make_sparse_tensor(sp_vals, sp_lin, [2, 3])
    sp2_vals = numpy_helper.from_array(np.array([9, 8], dtype=np.int64), "sp2")
    sp2_idx = numpy_helper.from_array(np.array([[0, 2], [1, 0]], dtype=np.int64), "sp2_idx")
    sparse_coo = helper.make_sparse_tensor(sp2_vals, sp2_idx, [2, 3])
    body = helper.make_graph([helper.make_node("Identity", ["x"], ["gy"], name="inner")], "body", [],
                             [helper.make_tensor_value_info("gy", F, [2])])
    tp = helper.make_tensor_type_proto(TensorProto.INT64, ["B", 4])
    seq_tp = helper.make_sequence_type_proto(helper.make_tensor_type_proto(F, None))
    attrs = [
        helper.make_attribute("f", 0.25), helper.make_attribute("i", -3), helper.make_attribute("s", "text"),
        helper.make_attribute("t", small), helper.make_attribute("g", body),
        helper.make_attribute("sparse", sparse_lin), helper.make_attribute("tp", tp),
        helper.make_attribute("floats", [1.0, 2.5]), helper.make_attribute("ints", [4, 5, 6]),
        helper.make_attribute("strings", ["a", "bc"]), helper.make_attribute("tensors", [small, small]),
        helper.make_attribute("graphs", [body]), helper.make_attribute("sparses", [sparse_coo]),
        helper.make_attribute("tps", [tp, seq_tp]),
    ]
    custom = helper.make_node("AllAttrs", ["x"], ["y"], domain="com.example", name="all")
    custom.attribute.extend(attrs)
    const = helper.make_node("Constant", [], ["c"], name="const", value=small)
    const_sp = helper.make_node("Constant", [], ["csp"], name="const_sparse", sparse_value=sparse_coo)
    xin = helper.make_tensor_value_info("x", F, [2])
    outs = [helper.make_tensor_value_info(n, t, None) for n, t in
            (("y", F), ("c", TensorProto.INT32), ("csp", TensorProto.INT64), ("dense", F))]
    g = helper.make_graph([custom, const, const_sp, helper.make_node("Identity", ["sp_init"], ["dense"], name="id")],
                          "attrs", [xin], outs)
    sp_init_vals = numpy_helper.from_array(np.array([1.5, -2.5, 3.5], dtype=np.float32), "sp_init")
    sp_init_idx = numpy_helper.from_array(np.array([0, 4, 11], dtype=np.int64), "sp_init_idx")
    g.sparse_initializer.append(helper.make_sparse_tensor(sp_init_vals, sp_init_idx, [3, 4]))
    save(model(g, extra_opsets=[helper.make_opsetid("com.example", 1)]), "attributes.onnx", check=False)

    # --- Loop whose body captures an outer value
    trip = helper.make_tensor_value_info("trip", TensorProto.INT64, [])
    c0 = helper.make_tensor_value_info("c0", TensorProto.BOOL, [])
    v0 = helper.make_tensor_value_info("v0", F, [2])
    loop_body = helper.make_graph(
        [helper.make_node("Add", ["v_in", "step"], ["v_out"], name="acc"),
         helper.make_node("Identity", ["cond_in"], ["cond_out"], name="keep")],
        "loop_body",
        [helper.make_tensor_value_info("iter", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("v_in", F, [2])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("v_out", F, [2])])
    step = numpy_helper.from_array(np.array([1.0, 2.0], dtype=np.float32), "step")
    loop = helper.make_node("Loop", ["trip", "c0", "v0"], ["v_final"], name="loop", body=loop_body)
    g = helper.make_graph([loop], "loop_model", [trip, c0, v0], [helper.make_tensor_value_info("v_final", F, [2])],
                          initializer=[step])
    save(model(g), "loop.onnx")

    # --- a function that calls itself
    rec = helper.make_function("local", "Rec", ["a"], ["b"],
                               [helper.make_node("Rec", ["a"], ["b"], domain="local", name="again")],
                               [helper.make_opsetid("", 21), helper.make_opsetid("local", 1)])
    a = helper.make_tensor_value_info("a", F, [1])
    b = helper.make_tensor_value_info("b", F, [1])
    g = helper.make_graph([helper.make_node("Rec", ["a"], ["b"], domain="local", name="call")], "recursive", [a], [b])
    save(model(g, extra_opsets=[helper.make_opsetid("local", 1)], functions=[rec]), "bad_recursive_function.onnx",
         check=False)

    # --- a function whose output is its input, with an optional second output the call omits
    passf = helper.make_function("local", "Pass", ["u"], ["u", "extra"],
                                 [helper.make_node("Neg", ["u"], ["extra"], name="neg")],
                                 [helper.make_opsetid("", 21)])
    g = helper.make_graph([helper.make_node("Pass", ["a"], ["b"], domain="local", name="call")], "passing", [a], [b])
    save(model(g, extra_opsets=[helper.make_opsetid("local", 1)], functions=[passf]), "function_passthrough.onnx",
         check=False)

    print(f"wrote {len(os.listdir(ROOT))} files to {os.path.normpath(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
