#!/usr/bin/env python3
"""Saves real feeds of the int8 sample model (testdata/marian-tiny/int8) for
compare_intermediates.py: ONNX Runtime's greedy loop of scripts/make_translation_fixtures.py
(batch 24, sentences leave the batch when they emit </s>, or stay fed <pad> with --keep), run with
ORT_DISABLE_ALL and 1 thread. Writes OUT/encoder/*.npy, OUT/decoder/*.npy (step 0) and
OUT/past_<step>/*.npy (decoder_with_past_model at the given steps), and checks that the tokens equal
testdata/marian-tiny/reference/int8_b24[_keep].ids.

    /work/main/.venv/bin/python scripts/parity/dump_feeds.py OUT [--steps 1,5,10,20|all] [--keep]
        [--sentences 15]   # a sub-batch (one sentence: checked against int8_b1.ids)
"""
import argparse
import os

import numpy as np
import onnxruntime as ort

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MODEL = os.path.join(ROOT, "testdata", "marian-tiny")
PAD, EOS, MAX_NEW = 1023, 0, 63


LEVELS = {"disable": ort.GraphOptimizationLevel.ORT_DISABLE_ALL, "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
          "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED, "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL}
LEVEL = "disable"
DISABLED = []


def session(path):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.graph_optimization_level = LEVELS[LEVEL]
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"], disabled_optimizers=DISABLED)


def id_lines(name):
    with open(os.path.join(MODEL, "reference", name)) as f:
        return [[int(t) for t in line.split()] for line in f.read().splitlines()]


def save(dirname, feeds):
    os.makedirs(dirname, exist_ok=True)
    for k, v in feeds.items():
        np.save(os.path.join(dirname, k + ".npy"), v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--steps", default="1,5,10,20,30")
    ap.add_argument("--keep", action="store_true", help="finished sentences stay in the batch")
    ap.add_argument("--dir", default=os.path.join(MODEL, "int8"))
    ap.add_argument("--sentences", help="comma-separated source line indices (default: all 24)")
    ap.add_argument("--level", default="disable", choices=sorted(LEVELS),
                    help="ONNX Runtime graph optimization level (default: disable, op by op)")
    ap.add_argument("--disable-optimizers", default="", help="comma-separated ONNX Runtime optimizer names")
    a = ap.parse_args()
    global LEVEL
    LEVEL = a.level
    DISABLED[:] = [o for o in a.disable_optimizers.split(",") if o]
    steps = set(range(1, MAX_NEW)) if a.steps == "all" else {int(s) for s in a.steps.split(",") if s}
    enc = session(os.path.join(a.dir, "encoder_model.onnx"))
    dec = session(os.path.join(a.dir, "decoder_model.onnx"))
    past_s = session(os.path.join(a.dir, "decoder_with_past_model.onnx"))
    picked = [int(i) for i in a.sentences.split(",")] if a.sentences else None
    batch = id_lines("source_ids.txt")
    if picked:
        batch = [batch[i] for i in picked]
    L = max(len(x) for x in batch)
    ids = np.full((len(batch), L), PAD, np.int64)
    mask = np.zeros((len(batch), L), np.int64)
    for i, x in enumerate(batch):
        ids[i, :len(x)] = x
        mask[i, :len(x)] = 1
    save(os.path.join(a.out, "encoder"), {"input_ids": ids, "attention_mask": mask})
    hs = enc.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask})[0]
    B = len(batch)
    rows = np.arange(B)
    outs = [[] for _ in range(B)]
    done = np.zeros(B, bool)
    cur = np.full((B, 1), PAD, np.int64)
    past = {}
    dec_names = [o.name for o in dec.get_outputs()]
    past_names = [o.name for o in past_s.get_outputs()]
    for step in range(MAX_NEW):
        if step == 0:
            feeds = {"encoder_attention_mask": mask, "input_ids": cur, "encoder_hidden_states": hs}
            save(os.path.join(a.out, "decoder"), feeds)
            res = dec.run(None, feeds)
            names = dec_names
        else:
            feeds = {"encoder_attention_mask": mask, "input_ids": cur, **past}
            if step in steps:
                save(os.path.join(a.out, f"past_{step}"), feeds)
            res = past_s.run(None, feeds)
            names = past_names
        for n, v in zip(names[1:], res[1:]):
            if step == 0 or ".decoder." in n:
                past[n.replace("present", "past_key_values")] = v
        logits = res[0][:, -1].copy()
        logits[:, PAD] = -np.inf
        nxt = logits.argmax(axis=-1)
        for j, r in enumerate(rows):
            if done[r]:
                continue
            if nxt[j] == EOS:
                done[r] = True
            else:
                outs[r].append(int(nxt[j]))
        if done.all():
            break
        feed = np.where(done[rows], PAD, nxt)[:, None].astype(np.int64)
        if not a.keep and done[rows].any():
            keep = ~done[rows]
            rows, mask, feed = rows[keep], mask[keep], feed[keep]
            past = {k: v[keep] for k, v in past.items()}
        cur = feed
    ref = id_lines("int8_b24_keep.ids" if a.keep else "int8_b24.ids")
    if picked:
        ref = [id_lines("int8_b1.ids")[i] for i in picked] if len(picked) == 1 else [ref[i] for i in picked]
    same = sum(x == y for x, y in zip(outs, ref))
    print(f"ONNX Runtime ({a.level}) tokens vs reference: {same}/{len(ref)} identical")


if __name__ == "__main__":
    main()
