"""Independent numpy reference for `shortlist run M K V N SEED`: rebuilds the guest's toy data
with the same xorshift32 sequence and prints the stdout the guest must print (float32 arithmetic
as in the guest, int8 product in int64).

    /work/main/.venv/bin/python guests/shortlist/reference.py [M K V N SEED]   (defaults 8 256 4096 256 1)
"""
import sys

import numpy as np


class Rng:
    def __init__(self, seed: int) -> None:
        self.s = (seed * 2654435761 + 1) & 0xFFFFFFFF

    def next(self) -> int:
        x = self.s
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.s = x
        return x

    def unit(self) -> np.float32:
        return np.float32(np.float32(self.next() >> 8) * np.float32(2.0 / 16777216.0) - np.float32(1.0))


def main() -> None:
    m, k, v, n, seed = (int(a) for a in sys.argv[1:6]) if len(sys.argv) > 5 else (8, 256, 4096, 256, 1)
    r = Rng(seed)
    hidden = np.array([r.unit() for _ in range(m * k)], np.float32).reshape(m, k)
    w = np.array([(r.next() % 255) - 127 for _ in range(v * k)], np.int64).reshape(v, k)
    w_scale = np.zeros(v, np.float32)
    bias = np.zeros(v, np.float32)
    for t in range(v):
        w_scale[t] = np.float32(0.001) * np.float32(1.0 + (r.next() % 16))
        bias[t] = np.float32(0.1) * r.unit()
    ids = list(range(v))
    for j in range(n):
        x = j + r.next() % (v - j)
        ids[j], ids[x] = ids[x], ids[j]
    ids = sorted(ids[:n])

    scale = np.abs(hidden).max(axis=1) / np.float32(127.0)
    scale = np.where(scale > 0, scale, np.float32(1.0)).astype(np.float32)
    q = np.clip(np.rint(hidden / scale[:, None]), -127, 127).astype(np.int64)  # rint: ties to even, as nearbyintf
    c = q @ w[ids].T  # [m, n] = (A - 128) . (B - 128)
    checksum = int(sum(int(c.flat[i]) * (i % 7 + 1) for i in range(c.size)))
    print(f"shortlist: M={m} K={k} V={v} N={n} seed={seed} graph=mmi")
    for i in range(m):
        logits = (c[i].astype(np.float32) * scale[i]) * w_scale[ids] + bias[ids]
        j = int(np.argmax(logits))  # first maximum, as the guest's strict '>'
        print(f"row {i}: token {ids[j]} (shortlist slot {j}) logit {logits[j]:.4f}")
    print(f"check: wasi-nn MatMulInteger == wasm int8 GEMM ({m * n} int32 values, checksum {checksum})")


if __name__ == "__main__":
    main()
