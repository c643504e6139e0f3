#!/usr/bin/env python3
"""Makes the larger benchmark export: a random MarianMT "base" (d_model 512, 6 encoder + 6 decoder
layers, 8 heads, FFN 2048, vocab 32000, 512 positions, about 61 M parameters) with the weight init of
../shared/reference/translation-models.md, exported the standard way (optimum-onnx,
text2text-generation-with-past: encoder_model, decoder_model, decoder_with_past_model,
decoder_model_merged) and quantized with onnxruntime's quantize_dynamic into OUT/int8/ (per-tensor,
QInt8 weights, the defaults). Also writes OUT/sources_64.ids: 64 sources of uniform random ids in
[2, 31998], lengths 20-40, plus </s> (the note's benchmark sources).

No tokenizer: run onnxrun with --ids. The export is about 830 MB (fp32 + int8) and is not committed.

    /tmp/venv-tr/bin/python bench/translate/make_base_export.py /tmp/marian-base

The venv is the one of scripts/requirements-translation.txt (torch from /opt/wheels, no accelerate:
with accelerate importable optimum writes the dedup lm_head variant, which quantize_dynamic leaves
in float).
"""
import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile

import numpy as np

VOCAB = 32000
EOS, UNK, PAD = 0, 1, VOCAB - 1          # </s>=0, <unk>=1, <pad>=31999 = decoder start token
D_MODEL, LAYERS, HEADS, FFN, MAX_POS = 512, 6, 8, 2048, 512
MAX_LENGTH = 65                           # HF max_length includes the start token: 64 generated tokens
SEED = 20261124


def build_model():
    """The fixture script's `build_model` at base size, with the note's embedding std 0.05 for d = 512."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts",
                        "make_translation_fixtures.py")
    spec = importlib.util.spec_from_file_location("make_translation_fixtures", path)
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    return fixtures.build_model(vocab=VOCAB, d_model=D_MODEL, layers=LAYERS, heads=HEADS, ffn=FFN,
                                max_pos=MAX_POS, max_length=MAX_LENGTH, seed=SEED, eos=EOS, pad=PAD,
                                emb_std=0.05)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="output folder (replaced)")
    args = ap.parse_args()
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"      # optimum's merge names shared initializers in set order
        os.execv(sys.executable, [sys.executable] + sys.argv)
    if importlib.util.find_spec("accelerate") is not None:
        sys.exit("accelerate is importable: optimum would write the dedup (tied lm_head) variant")
    import torch
    torch.set_num_threads(2)
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from optimum.exporters.onnx import main_export

    out = os.path.abspath(args.out)
    tmp = tempfile.mkdtemp(prefix="marian-base-")
    hf = os.path.join(tmp, "hf")
    print("1. MarianMT base, recipe init")
    model = build_model()
    print(f"   {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters")
    model.save_pretrained(hf)

    print("2. optimum export (text2text-generation-with-past)")
    onnx_dir = os.path.join(tmp, "onnx")
    main_export(hf, output=onnx_dir, task="text2text-generation-with-past", do_validation=False,
                device="cpu", library_name="transformers")
    assert not [f for f in os.listdir(onnx_dir) if f.endswith(".onnx_data")], "external data written"
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "int8"))
    graphs = ["encoder_model", "decoder_model", "decoder_with_past_model", "decoder_model_merged"]
    for f in os.listdir(onnx_dir):
        if not f.endswith(".onnx"):
            shutil.copy(os.path.join(onnx_dir, f), os.path.join(out, f))
            shutil.copy(os.path.join(onnx_dir, f), os.path.join(out, "int8", f))
    for g in graphs:
        shutil.copy(os.path.join(onnx_dir, g + ".onnx"), os.path.join(out, g + ".onnx"))

    print("3. quantize_dynamic (per-tensor, QInt8 weights, QUInt8 activations)")
    for g in graphs[:3]:
        quantize_dynamic(os.path.join(out, g + ".onnx"), os.path.join(out, "int8", g + ".onnx"),
                         weight_type=QuantType.QInt8, per_channel=False, reduce_range=False)

    print("4. sources: 64 sentences of uniform random ids in [2, 31998], 20-40 tokens + </s>")
    rng = np.random.default_rng(SEED + 2)
    with open(os.path.join(out, "sources_64.ids"), "w") as f:
        for _ in range(64):
            n = int(rng.integers(20, 41))
            f.write(" ".join(map(str, rng.integers(2, VOCAB - 1, size=n).tolist() + [EOS])) + "\n")
    shutil.rmtree(tmp)
    sizes = {os.path.relpath(os.path.join(d, f), out): os.path.getsize(os.path.join(d, f))
             for d, _, fs in os.walk(out) for f in fs if f.endswith(".onnx")}
    print(json.dumps({k: round(v / 1e6, 1) for k, v in sorted(sizes.items())}, indent=1))


if __name__ == "__main__":
    main()
