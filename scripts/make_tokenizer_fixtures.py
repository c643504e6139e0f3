#!/usr/bin/env python3
"""Fixtures for the SentencePiece / MarianTokenizer tests (Tests/TranslateTests/Tokenizer*.swift).

Regenerate (from the repository root, with the project's venv plus sentencepiece and transformers):
    /work/main/.venv/bin/pip install sentencepiece "transformers<4.58"
    HF_HUB_OFFLINE=1 /work/main/.venv/bin/python scripts/make_tokenizer_fixtures.py
Writes Tests/TranslateTests/Fixtures/ (deleting what was there). Nothing comes from a hub: the
SentencePiece models are trained here on synthetic text, single-threaded with a fixed seed.

Contents:
- marian/: a Marian export's tokenizer files, written by MarianTokenizer.save_pretrained:
  source.spm (unigram, 200 pieces, English-like synthetic text, a small NFKC-like normalization
  table: see normalization_rules), target.spm (unigram, 160 pieces, German-like synthetic text,
  identity normalization: a different model, so tests see which side is used), vocab.json
  (piece -> id: `</s>`=0, `<unk>`=1, the union of both models' pieces in shuffled order minus a
  few source pieces (they must encode as `<unk>`), plus `>>fr<<`, `<eop>`, and `<pad>` last),
  tokenizer_config.json, special_tokens_map.json.
- marian-variant/: tokenizer_config.json and special_tokens_map.json of a second tokenizer over the
  same spm/vocab files: `</s>` with lstrip and rstrip, additional special tokens `<eop>` (in
  vocab.json, single_word) and `<eod>` (not: transformers appends it after the vocabulary), and
  clean_up_tokenization_spaces=True.
- marian-legacy/: hand-written tokenizer_config.json (no added_tokens_decoder, so transformers
  reads the next two files), special_tokens_map.json (`<eop>` single_word as an additional special
  token) and added_tokens.json (`<new>` and `<eod>` after the vocabulary).
- tokenizer_reference.json: for each configuration ("marian", "variant", "legacy"), transformers'
  MarianTokenizer (loaded with from_pretrained from those folders) results:
  encode: [{text, ids (tokenizer(text).input_ids), tokens (tokenizer.tokenize(text))}]
  decode: [{ids, text (decode, skip_special_tokens=True), text_keep (skip_special_tokens=False)}]
  plus "spm": the source model's own pieces/ids (sentencepiece encode) and the target model's
  decode_ids/id_to_piece for a few ids, checking the shim against the Python binding directly.
"""
import io
import json
import os
import random
import shutil
import sys

import sentencepiece as spm
from transformers import AddedToken, MarianTokenizer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "TranslateTests", "Fixtures")

SOURCE_WORDS = """the a an of to and in is was for on that with as by at from this be have it not
are or his her they we you he she will would can could there their what which who when where how
house river mountain city garden window table morning evening winter summer friend teacher child
quick brown fox jumps over lazy dog translation model sentence token piece word language machine
small large green red blue yellow happy tired running walking reading writing café naïve résumé
déjà vu coöperate über façade piñata""".split()

TARGET_WORDS = """der die das und ist nicht ein eine zu den von mit sich auf für im dem des es
haus fluss berg stadt garten fenster tisch morgen abend winter sommer freund lehrer kind schnell
braun fuchs springt über faul hund übersetzung modell satz wort sprache maschine klein groß grün
rot blau gelb glücklich müde laufen gehen lesen schreiben straße größe weiß ähnlich öffnen""".split()

PUNCT = [".", ",", "!", "?", ";", ":", "'s", "n't", "-", "(", ")", '"']


def corpus(words, rng, lines):
    out = []
    for _ in range(lines):
        n = rng.randint(3, 14)
        toks = []
        for i in range(n):
            w = rng.choice(words)
            if i == 0 or rng.random() < 0.08:
                w = w.capitalize()
            if rng.random() < 0.05:
                w = str(rng.randint(0, 2025))
            toks.append(w)
            if rng.random() < 0.1:
                toks.append(rng.choice(PUNCT))
        out.append(" ".join(toks) + rng.choice([".", "!", "?", ""]))
    return out


def normalization_rules(path):
    """A small NFKC-like rule table (full-width ASCII, the fi ligature, odd spaces, e + U+0301).

    nmt_nfkc's precompiled table alone is 237 KB; these rules exercise the same normalizer code
    path in a few KB.
    """
    rules = [(0xFF21 + i, [0x41 + i]) for i in range(26)] + [(0xFF41 + i, [0x61 + i]) for i in range(26)]
    rules += [(0xFF10 + i, [0x30 + i]) for i in range(10)]
    rules += [(0xFB01, [0x66, 0x69]), (0x00A0, [0x20]), (0x3000, [0x20])]
    with open(path, "w") as f:
        for src, dst in rules:
            f.write(f"{src:X}\t{' '.join(f'{c:X}' for c in dst)}\n")
        f.write("65 301\tE9\n")


def train(lines, vocab_size, rules=None):
    model = io.BytesIO()
    normalization = {"normalization_rule_tsv": rules} if rules else {"normalization_rule_name": "identity"}
    spm.SentencePieceTrainer.train(
        **normalization,
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def build_vocab(source, target, rng):
    """vocab.json as Marian lays it out: eos 0, unk 1, pieces, pad last."""
    pieces = []
    seen = set()
    for sp in (source, target):
        for i in range(sp.get_piece_size()):
            if sp.is_control(i) or sp.is_unknown(i):
                continue
            p = sp.id_to_piece(i)
            if p not in seen:
                seen.add(p)
                pieces.append(p)
    rng.shuffle(pieces)
    # Source pieces left out of vocab.json: the tokenizer must map them to <unk>.
    dropped = {source.id_to_piece(i) for i in (10, 20, 30, 40)}
    pieces = [p for p in pieces if p not in dropped]
    pieces += [">>fr<<", "<eop>"]
    vocab = {"</s>": 0, "<unk>": 1}
    for p in pieces:
        vocab[p] = len(vocab)
    vocab["<pad>"] = len(vocab)
    return vocab


TEXTS = [
    "",
    " ",
    "the quick brown fox jumps over the lazy dog.",
    "The house by the river, in winter!",
    "  extra   spaces   between    words  ",
    "tabs\tand\nnewlines\r\nhere",
    "café naïve résumé über façade",
    "cafe\u0301 with a combining accent",
    "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３ and the ﬁ ligature",
    "unknown: 中文 текст 🙂 ∑",
    "Numbers 12345 and 3.14159, also 2025.",
    "Don't stop: it's the teacher's garden (isn't it?)",
    ">>fr<< the small garden",
    ">>xx<< a code missing from the vocabulary",
    ">><<",
    "hello </s> world",
    "a</s>b<unk>c<pad>d",
    "<eop> and <eod> markers",
    "a<new>b <new> c",
    "x<eop>y and a <eop>b and <eop>c",
    "  </s>  ",
    "</s>>>fr<< the dog",
    "the dog</s>",
    "x",
    "The" * 40,
    "a\u0000b",
    "zero\u200bwidth\u00a0nbsp\u3000ideographic",
    " ,leading comma and trailing space ",
]


def decode_cases(tok, rng, encoded):
    n = len(tok.encoder)
    cases = [[], [0], [tok.pad_token_id], [tok.pad_token_id, 5, 6, 0], [1, 1, 7, 1], [n + 50, -1, 3]]
    cases += [ids for ids in encoded if ids]
    for _ in range(12):
        cases.append([rng.randrange(0, n) for _ in range(rng.randint(1, 12))])
    return cases


def reference(tok, texts, rng):
    enc = []
    for t in texts:
        ids = tok(t).input_ids
        enc.append({"text": t, "ids": ids, "tokens": tok.tokenize(t)})
    dec = []
    for ids in decode_cases(tok, rng, [e["ids"] for e in enc]):
        dec.append({
            "ids": ids,
            "text": tok.decode(ids, skip_special_tokens=True),
            "text_keep": tok.decode(ids, skip_special_tokens=False),
        })
    return {"encode": enc, "decode": dec}


def main():
    rng = random.Random(1234)
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    tmp = os.path.join(OUT, "_raw")
    os.makedirs(tmp)

    rules = os.path.join(tmp, "rules.tsv")
    normalization_rules(rules)
    src_bytes = train(corpus(SOURCE_WORDS, rng, 3000), 200, rules)
    tgt_bytes = train(corpus(TARGET_WORDS, rng, 3000), 160)
    source = spm.SentencePieceProcessor(model_proto=src_bytes)
    target = spm.SentencePieceProcessor(model_proto=tgt_bytes)
    with open(os.path.join(tmp, "source.spm"), "wb") as f:
        f.write(src_bytes)
    with open(os.path.join(tmp, "target.spm"), "wb") as f:
        f.write(tgt_bytes)
    with open(os.path.join(tmp, "vocab.json"), "w") as f:
        json.dump(build_vocab(source, target, rng), f, ensure_ascii=False, indent=1)

    raw = dict(source_spm=os.path.join(tmp, "source.spm"), target_spm=os.path.join(tmp, "target.spm"),
               vocab=os.path.join(tmp, "vocab.json"), source_lang="en", target_lang="de")
    main_dir = os.path.join(OUT, "marian")
    MarianTokenizer(**raw).save_pretrained(main_dir)
    variant = MarianTokenizer(
        **raw,
        eos_token=AddedToken("</s>", lstrip=True, rstrip=True, special=True),
        additional_special_tokens=[AddedToken("<eop>", single_word=True, special=True), "<eod>"],
        clean_up_tokenization_spaces=True,
    )
    variant_dir = os.path.join(OUT, "marian-variant")
    variant.save_pretrained(variant_dir)
    shutil.rmtree(tmp)

    # Hand-written files in the older hub layout: no added_tokens_decoder, so transformers reads
    # special_tokens_map.json and added_tokens.json.
    legacy_dir = os.path.join(OUT, "marian-legacy")
    os.makedirs(legacy_dir)
    for name in ("source.spm", "target.spm", "vocab.json"):
        shutil.copy(os.path.join(main_dir, name), legacy_dir)
    n = len(json.load(open(os.path.join(main_dir, "vocab.json"))))
    legacy_files = {
        "tokenizer_config.json": {"source_lang": "en", "target_lang": "de", "model_max_length": 512,
                                  "additional_special_tokens": ["<eod>"]},
        "special_tokens_map.json": {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
                                    "additional_special_tokens": [{"content": "<eop>", "single_word": True,
                                                                   "lstrip": False, "rstrip": False,
                                                                   "normalized": False}]},
        "added_tokens.json": {"<new>": n, "<eod>": n + 1},
    }
    for name, content in legacy_files.items():
        with open(os.path.join(legacy_dir, name), "w") as f:
            json.dump(content, f, indent=1)

    ref = {
        "marian": reference(MarianTokenizer.from_pretrained(main_dir), TEXTS, random.Random(5)),
        "variant": reference(MarianTokenizer.from_pretrained(variant_dir), TEXTS, random.Random(5)),
        "legacy": reference(MarianTokenizer.from_pretrained(legacy_dir), TEXTS, random.Random(5)),
    }
    # The variant and legacy folders keep only their configuration; the tests add the model files.
    for d in (variant_dir, legacy_dir):
        for name in os.listdir(d):
            if name not in ("tokenizer_config.json", "special_tokens_map.json", "added_tokens.json"):
                os.remove(os.path.join(d, name))

    src = spm.SentencePieceProcessor(model_file=os.path.join(main_dir, "source.spm"))
    tgt = spm.SentencePieceProcessor(model_file=os.path.join(main_dir, "target.spm"))
    some_ids = [0, 1, 2, 3, 10, 50, 100, tgt.get_piece_size() - 1]
    ref["spm"] = {
        "source_size": src.get_piece_size(),
        "target_size": tgt.get_piece_size(),
        "source_unk_id": src.unk_id(),
        "source_encode": [{"text": t, "pieces": src.encode(t, out_type=str), "ids": src.encode(t)} for t in TEXTS],
        "target_pieces": [{"id": i, "piece": tgt.id_to_piece(i)} for i in some_ids],
        "target_decode_ids": [{"ids": ids, "text": tgt.decode_ids(ids)}
                              for ids in ([], [5, 6, 7], list(range(3, 40, 3)), [0, 1, 2, 9])],
    }
    with open(os.path.join(OUT, "tokenizer_reference.json"), "w") as f:
        json.dump(ref, f, ensure_ascii=False, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(OUT) for n in ns)
    print(f"wrote {OUT} ({total} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
