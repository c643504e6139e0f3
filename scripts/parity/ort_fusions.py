#!/usr/bin/env python3
"""Which fusions ONNX Runtime's default level (ORT_ENABLE_ALL, CPU, 1 thread) applies to the sample
model, and which of them change its results.

1. Saves ORT's optimized graph of each model (SessionOptions.optimized_model_filepath) under OUT
   and prints the com.microsoft ops it holds per graph (SkipLayerNormalization, FusedMatMul with
   its alpha/transB, QuickGelu, MatMulIntegerToFloat, DynamicQuantizeMatMul).
2. With --ablate, runs ORT's greedy loop (make_translation_fixtures.py's, batch 1 per sentence and
   batch 24) once with every optimizer and once per fusion with that one disabled, and prints how
   many sentences' logits change bits: the fusions whose arithmetic onnxrun's passes must copy.

    /work/main/.venv/bin/python scripts/parity/ort_fusions.py OUT [--precision int8|fp32] [--ablate]
"""
import argparse
import collections
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MODEL = os.path.join(ROOT, "testdata", "marian-tiny")
GRAPHS = ["encoder_model", "decoder_model", "decoder_with_past_model"]
FUSIONS = ["SkipLayerNormFusion", "MatMulScaleFusion", "MatmulTransposeFusion", "QuickGeluFusion",
           "DynamicQuantizeMatMulFusion", "MatMulIntegerToFloatFusion"]
PAD, EOS, MAX_NEW = 1023, 0, 63


def session(path, disabled=(), save=None):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    if save:
        so.optimized_model_filepath = save
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"], disabled_optimizers=list(disabled))


def greedy(sessions, batch):
    enc, dec, past_s = sessions
    L = max(len(x) for x in batch)
    ids = np.full((len(batch), L), PAD, np.int64)
    mask = np.zeros_like(ids)
    for i, x in enumerate(batch):
        ids[i, :len(x)] = x
        mask[i, :len(x)] = 1
    hs = enc.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask})[0]
    B = len(batch)
    rows, done, outs, logs = np.arange(B), np.zeros(B, bool), [[] for _ in range(B)], [hs]
    cur, past = np.full((B, 1), PAD, np.int64), {}
    for step in range(MAX_NEW):
        s = dec if step == 0 else past_s
        feeds = {"encoder_attention_mask": mask, "input_ids": cur}
        feeds.update({"encoder_hidden_states": hs} if step == 0 else past)
        res = s.run(None, feeds)
        for o, v in zip(s.get_outputs()[1:], res[1:]):
            if step == 0 or ".decoder." in o.name:
                past[o.name.replace("present", "past_key_values")] = v
        lg = res[0][:, -1].copy()
        logs.append(lg.copy())
        lg[:, PAD] = -np.inf
        nxt = lg.argmax(-1)
        for j, r in enumerate(rows):
            if not done[r]:
                done[r] = nxt[j] == EOS
                if not done[r]:
                    outs[r].append(int(nxt[j]))
        if done.all():
            break
        feed = np.where(done[rows], PAD, nxt)[:, None].astype(np.int64)
        keep = ~done[rows]
        rows, mask, feed = rows[keep], mask[keep], feed[keep]
        past = {k: v[keep] for k, v in past.items()}
        cur = feed
    return outs, logs


def run_all(directory, disabled):
    sessions = [session(os.path.join(directory, g + ".onnx"), disabled) for g in GRAPHS]
    with open(os.path.join(MODEL, "reference", "source_ids.txt")) as f:
        src = [[int(t) for t in line.split()] for line in f.read().splitlines()]
    return [greedy(sessions, [s]) for s in src], greedy(sessions, src)


def same(a, b):
    return len(a) == len(b) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--precision", default="int8", choices=["int8", "fp32"])
    ap.add_argument("--ablate", action="store_true")
    a = ap.parse_args()
    directory = os.path.join(MODEL, "int8") if a.precision == "int8" else MODEL
    os.makedirs(a.out, exist_ok=True)
    for g in GRAPHS:
        path = os.path.join(a.out, f"{a.precision}_{g}.onnx")
        session(os.path.join(directory, g + ".onnx"), save=path)
        nodes = [n for n in onnx.load(path).graph.node if n.domain == "com.microsoft"]
        print(f"{a.precision} {g}: " + ", ".join(f"{k} {v}" for k, v in
                                                 sorted(collections.Counter(n.op_type for n in nodes).items())))
        forms = collections.Counter()
        for n in nodes:
            attrs = {x.name: helper.get_attribute_value(x) for x in n.attribute}
            if n.op_type in ("FusedMatMul", "QuickGelu"):
                forms[f"{n.op_type}({', '.join(f'{k}={v}' for k, v in sorted(attrs.items()) if v)})"] += 1
        for f, c in sorted(forms.items()):
            print(f"    {c} × {f}")
    if not a.ablate:
        return
    base_b1, base_b24 = run_all(directory, [])
    for fusion in FUSIONS:
        b1, b24 = run_all(directory, [fusion])
        d1 = sum(not same(x[1], y[1]) for x, y in zip(b1, base_b1))
        t1 = sum(x[0] == y[0] for x, y in zip(b1, base_b1))
        print(f"without {fusion}: batch 1: {d1}/24 sentences change bits, tokens {t1}/24 same; batch 24: "
              f"{'bits change' if not same(b24[1], base_b24[1]) else 'same bits'}, tokens "
              f"{sum(x == y for x, y in zip(b24[0], base_b24[0]))}/24 same")


if __name__ == "__main__":
    main()
