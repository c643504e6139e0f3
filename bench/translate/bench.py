#!/usr/bin/env python3
"""onnxrun vs ONNX Runtime on one optimum MarianMT export, in one run: output tokens/s at each
batch size and thread count, fp32 and int8 (when EXPORT/int8/ exists), load time, peak RSS, the
ratios onnxrun/ORT and how many output sentences are identical.

    /work/main/.venv/bin/python bench/translate/bench.py EXPORT_DIR [--sources FILE]
        [--onnxrun .build/release/onnxrun] [--batches 1,64] [--threads 1,2] [--max-length N]
        [--precisions fp32,fp32-pair,int8] [--b1-sentences N] [--repeat R] [--json FILE]

Sources (token ids, one sentence per line, final </s> included): --sources FILE, else
EXPORT/sources_64.ids (written by make_base_export.py), else EXPORT/reference/source_ids.txt
repeated in order up to --sentences lines (64).

Every measurement is a fresh process under GNU `/usr/bin/time -f %e/%M` (wall s, peak RSS KB):
- onnxrun: `onnxrun MODELS --ids --batch-size B --threads T --max-length L --verbose`, MODELS =
  EXPORT (fp32: the CLI picks decoder_model_merged.onnx when present), EXPORT --int8 (int8: the
  int8/ encoder, decoder_model and decoder_with_past_model), or the three fp32 files
  encoder_model/decoder_model/decoder_with_past_model (fp32-pair: the graphs the ORT loop runs).
  Decode time = the `--verbose` summary (from after the Translator is created to the last
  translation). Load = wall time of another fresh process on an empty input: process start and
  Translator creation (reading, checking and planning the graphs, packing weights), nothing decoded.
- ORT: this script in worker mode (imports only numpy and onnxruntime): three InferenceSessions
  (encoder_model, decoder_model, decoder_with_past_model; intra_op_num_threads = T,
  inter_op_num_threads = 1, default optimizations = ORT_ENABLE_ALL, CPU EP), then a greedy loop as
  users write it with plain session.run: the encoder once per batch, decoder_model at step 0,
  decoder_with_past_model after it with the KV cache, <pad> never generated, sentences that emit
  </s> leave the batch. Load = the three session creations; decode = the loop over all batches.
Both engines take the sentences in input order in consecutive batches of B (same composition, which
matters for int8: DynamicQuantizeLinear scales over the whole batch). tokens/s = generated tokens
(without </s>) / decode seconds, each engine counting its own output. Peak RSS is the whole process
(for ORT: Python + numpy + onnxruntime).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


# ---------------------------------------------------------------------------------------------
# ORT worker: session creation + greedy loop, timings as JSON on stdout
# ---------------------------------------------------------------------------------------------

def special_tokens(export: str) -> dict:
    """decoder start, </s>, <pad> and banned ids from generation_config.json / config.json."""
    cfg = {}
    for name in ("config.json", "generation_config.json"):
        p = os.path.join(export, name)
        if os.path.exists(p):
            with open(p) as f:
                cfg.update(json.load(f))
    pad = cfg.get("pad_token_id")
    bad = [b[0] for b in cfg.get("bad_words_ids") or [] if len(b) == 1]
    return {"start": cfg.get("decoder_start_token_id", pad), "eos": cfg["eos_token_id"], "pad": pad, "bad": bad}


def ort_worker(args) -> None:
    t0 = time.perf_counter()
    import numpy as np
    import onnxruntime as ort
    t_import = time.perf_counter() - t0
    folder = os.path.join(args.export, "int8") if args.precision == "int8" else args.export   # fp32, fp32-pair
    tok = special_tokens(folder)
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    so.inter_op_num_threads = 1
    t0 = time.perf_counter()
    enc, dec, decp = (ort.InferenceSession(os.path.join(folder, g + ".onnx"), so, providers=["CPUExecutionProvider"])
                      for g in ("encoder_model", "decoder_model", "decoder_with_past_model"))
    t_load = time.perf_counter() - t0
    with open(args.input) as f:
        sources = [[int(t) for t in line.split()] for line in f]
    dec_names = [o.name for o in dec.get_outputs()]
    past_names = [o.name for o in decp.get_outputs()]
    t_enc = 0.0
    t0 = time.perf_counter()
    results = []
    for b0 in range(0, len(sources), args.batch):
        batch = sources[b0:b0 + args.batch]
        B, L = len(batch), max(len(x) for x in batch)
        ids = np.full((B, L), tok["pad"], np.int64)
        mask = np.zeros((B, L), np.int64)
        for i, x in enumerate(batch):
            ids[i, :len(x)] = x
            mask[i, :len(x)] = 1
        te = time.perf_counter()
        hs = enc.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        t_enc += time.perf_counter() - te
        rows = np.arange(B)
        outs = [[] for _ in range(B)]
        cur = np.full((B, 1), tok["start"], np.int64)
        past = {}
        for step in range(args.max_length):
            if step == 0:
                res = dec.run(None, {"encoder_attention_mask": mask, "input_ids": cur, "encoder_hidden_states": hs})
                names = dec_names
            else:
                res = decp.run(None, {"encoder_attention_mask": mask, "input_ids": cur, **past})
                names = past_names
            for n, a in zip(names[1:], res[1:]):
                if step == 0 or ".decoder." in n:
                    past[n.replace("present", "past_key_values")] = a
            logits = res[0][:, -1]
            if tok["bad"]:
                logits[:, tok["bad"]] = -np.inf
            nxt = logits.argmax(axis=-1)
            fin = nxt == tok["eos"]
            for j, r in enumerate(rows):
                if not fin[j]:
                    outs[r].append(int(nxt[j]))
            if fin.any():
                keep = ~fin
                rows, mask, nxt = rows[keep], mask[keep], nxt[keep]
                past = {k: v[keep] for k, v in past.items()}
            if len(rows) == 0:
                break
            cur = nxt[:, None].astype(np.int64)
        results.extend(outs)
    t_decode = time.perf_counter() - t0
    with open(args.output, "w") as f:
        for o in results:
            f.write(" ".join(map(str, o)) + "\n")
    print(json.dumps({"import": t_import, "load": t_load, "decode": t_decode, "encoder": t_enc,
                      "tokens": sum(len(o) for o in results), "sentences": len(results)}))


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

def timed(cmd):
    """Runs cmd under GNU time; returns (stdout, stderr without the time line, wall s, peak RSS MB)."""
    p = subprocess.run(["/usr/bin/time", "-f", "@@TIME %e %M"] + cmd, capture_output=True, text=True)
    lines = p.stderr.rstrip("\n").split("\n")
    tl = [l for l in lines if l.startswith("@@TIME ")]
    rest = "\n".join(l for l in lines if not l.startswith("@@TIME "))
    if p.returncode != 0 or not tl:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{rest[-3000:]}")
    _, wall, rss = tl[-1].split()
    return p.stdout, rest, float(wall), int(rss) / 1024.0


def onnxrun_models(a, prec):
    """onnxrun's model arguments: "fp32" and "int8" give the export folder (the CLI picks the files:
    decoder_model_merged.onnx for fp32 when present, the int8/ pair with --int8); "fp32-pair" names
    encoder_model, decoder_model and decoder_with_past_model, the graphs the ORT loop runs."""
    if prec == "fp32-pair":
        return [os.path.join(a.export, g + ".onnx") for g in ("encoder_model", "decoder_model", "decoder_with_past_model")]
    return [a.export] + (["--int8"] if prec == "int8" else [])


def run_onnxrun(a, prec, b, t, src, out):
    models = onnxrun_models(a, prec)
    cmd = [a.onnxrun] + models + [
        "--ids", "--batch-size", str(b), "--threads", str(t), "--max-length", str(a.max_length),
        "--verbose", "--input", src, "--output", out]
    _, err, wall, rss = timed(cmd)
    summary = [l for l in err.split("\n") if "tokens/s" in l][-1]   # "N sentences, N tokens, R tokens/s, S.SS s"
    parts = [p.strip() for p in summary.split(",")]
    tokens, rate, secs = int(parts[1].split()[0]), float(parts[2].split()[0]), float(parts[3].split()[0])
    # rate is an integer computed from the unrounded time, secs has 2 decimals: use the more precise one
    decode = tokens / rate if rate > 0 and 0.5 / rate < 0.005 / max(secs, 1e-9) else secs
    # load: a fresh process on an empty input (process start + Translator creation, nothing decoded)
    empty = os.path.join(os.path.dirname(out), "empty.ids")
    open(empty, "w").close()
    _, _, load_wall, load_rss = timed([a.onnxrun] + models + ["--ids", "--threads", str(t), "--input", empty,
                                                              "--output", os.devnull])
    return {"tokens": tokens, "decode": decode, "load": load_wall, "load_rss": load_rss, "wall": wall, "rss": rss,
            "wall_minus_decode": wall - decode}


def run_ort(a, prec, b, t, src, out):
    cmd = [sys.executable, os.path.abspath(__file__), "--ort-worker", a.export, "--precision", prec,
           "--batch", str(b), "--threads", str(t), "--max-length", str(a.max_length), "--input", src, "--output", out]
    so, _, wall, rss = timed(cmd)
    r = json.loads(so.strip().split("\n")[-1])
    r.update(wall=wall, rss=rss)
    return r


def read_lines(p):
    with open(p) as f:
        return f.read().split("\n")[:-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("export")
    ap.add_argument("--sources")
    ap.add_argument("--sentences", type=int, default=64)
    ap.add_argument("--onnxrun", default=os.path.join(ROOT, ".build", "release", "onnxrun"))
    ap.add_argument("--batches", default="1,64")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--precisions", default="fp32,fp32-pair,int8",
                    help="fp32: onnxrun EXPORT (merged decoder when present); fp32-pair: onnxrun with the "
                         "encoder/decoder/decoder_with_past files ORT runs; int8: onnxrun EXPORT --int8")
    ap.add_argument("--max-length", type=int,
                    help="at most N generated tokens per sentence (default: the export's max_length - 1, else 64)")
    ap.add_argument("--b1-sentences", type=int,
                    help="batch-1 runs use only the first N sentences (both engines; for slow configurations)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement; the median run is reported")
    ap.add_argument("--engines", default="onnxrun,ort")
    ap.add_argument("--json", help="also write all measurements here")
    # worker mode
    ap.add_argument("--ort-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--precision", help=argparse.SUPPRESS)
    ap.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--output", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.ort_worker:
        a.threads = int(a.threads)
        return ort_worker(a)

    a.export = os.path.abspath(a.export)
    if a.max_length is None:
        gp = os.path.join(a.export, "generation_config.json")
        a.max_length = 64
        if os.path.exists(gp):
            with open(gp) as fh:
                a.max_length = json.load(fh).get("max_length", 65) - 1
    tmp = tempfile.mkdtemp(prefix="bench-translate-")
    if a.sources:
        src_path = a.sources
    elif os.path.exists(os.path.join(a.export, "sources_64.ids")):
        src_path = os.path.join(a.export, "sources_64.ids")
    else:
        base = read_lines(os.path.join(a.export, "reference", "source_ids.txt"))
        src_path = os.path.join(tmp, "sources.ids")
        with open(src_path, "w") as f:
            f.write("\n".join(base[i % len(base)] for i in range(a.sentences)) + "\n")
    srcs = read_lines(src_path)
    precs = [p for p in a.precisions.split(",") if p != "int8" or os.path.isdir(os.path.join(a.export, "int8"))]
    engines = a.engines.split(",")
    load0 = os.getloadavg()
    print(f"export {a.export}\nsources {src_path}: {len(srcs)} sentences, {sum(len(s.split()) for s in srcs)} tokens; "
          f"max {a.max_length} generated tokens\nload average at start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}",
          flush=True)
    rows = []
    for prec in precs:
        for b in [int(x) for x in a.batches.split(",")]:
            for t in [int(x) for x in a.threads.split(",")]:
                row = {"prec": prec, "batch": b, "threads": t, "loadavg": os.getloadavg()[0], "sentences": len(srcs)}
                src = src_path
                if b == 1 and a.b1_sentences and a.b1_sentences < len(srcs):
                    src = os.path.join(tmp, f"sources_first{a.b1_sentences}.ids")
                    with open(src, "w") as fh:
                        fh.write("\n".join(srcs[:a.b1_sentences]) + "\n")
                    row["sentences"] = a.b1_sentences
                outs = {}
                for eng in engines:
                    out = os.path.join(tmp, f"{eng}_{prec}_b{b}_t{t}.ids")
                    runs = []
                    for _ in range(a.repeat):
                        r = (run_onnxrun if eng == "onnxrun" else run_ort)(a, prec, b, t, src, out)
                        r["tps"] = r["tokens"] / r["decode"] if r["decode"] > 0 else 0.0
                        runs.append(r)
                    runs.sort(key=lambda r: r["tps"])
                    row[eng] = dict(runs[len(runs) // 2], all_tps=[r["tps"] for r in runs])   # the median run
                    outs[eng] = read_lines(out)
                if len(outs) == 2:
                    x, y = outs.values()
                    row["identical"] = sum(p == q for p, q in zip(x, y)) if len(x) == len(y) else 0
                rows.append(row)
                print(json.dumps(row), flush=True)
    load1 = os.getloadavg()

    def f(v, fmt):
        return fmt % v if v is not None else "–"

    print()
    print(f"load average (1/5/15 min): start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}, "
          f"end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
    print()
    print("| prec | batch | threads | onnxrun tok/s | ORT tok/s | ratio | onnxrun load s | ORT load s | "
          "onnxrun RSS MB | ORT RSS MB | identical | onnxrun / ORT tokens | load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        o, q = r.get("onnxrun"), r.get("ort")
        print(f"| {r['prec']} | {r['batch']} | {r['threads']} | {f(o and o['tps'], '%.0f')} | {f(q and q['tps'], '%.0f')} | "
              f"{f(o and q and o['tps'] / q['tps'], '%.3f')} | {f(o and o['load'], '%.2f')} | {f(q and q['load'], '%.2f')} | "
              f"{f(o and o['rss'], '%.0f')} | {f(q and q['rss'], '%.0f')} | {r.get('identical', '–')}/{r['sentences']} | "
              f"{f(o and o['tokens'], '%d')} / {f(q and q['tokens'], '%d')} | {r['loadavg']:.2f} |")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"export": a.export, "sources": src_path, "loadavg_start": load0, "loadavg_end": load1,
                       "rows": rows}, fh, indent=1)


if __name__ == "__main__":
    main()
