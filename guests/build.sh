#!/usr/bin/env bash
# Builds every wasm guest into testdata/wasm/ (the .wasm files are committed; CI does not run this).
#
# Needs: the Swift 6.3 toolchain on PATH (its clang, swiftc and wasm-ld), and Debian packages
#   apt-get install wasi-libc libclang-rt-19-dev-wasm32      (wabt optional: wasm-objdump for checks)
# Models: guests/make_models.py (run with the project venv) writes the .onnx files beside them.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/testdata/wasm
G=$ROOT/guests
SW=$(dirname "$(command -v swift)")
SYSROOT=/usr                                    # Debian wasi-libc: /usr/include/wasm32-wasi, /usr/lib/wasm32-wasi
BUILTINS=$(ls /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a 2>/dev/null | head -n 1)
[ -n "$BUILTINS" ] || { echo "error: libclang_rt.builtins-wasm32.a not found (apt-get install libclang-rt-19-dev-wasm32)" >&2; exit 1; }
[ -f "$SYSROOT/lib/wasm32-wasi/libc.a" ] || { echo "error: wasi-libc not found (apt-get install wasi-libc)" >&2; exit 1; }
TMP=$ROOT/.build/wasm-guests   # a fixed path keeps the Swift outputs byte-identical between builds
mkdir -p "$TMP"

mkdir -p "$OUT"

# C guests: wasi-libc, the Swift toolchain's clang (it ships no wasm compiler-rt, hence -nodefaultlibs
# and the Debian builtins archive).
CFLAGS=(--target=wasm32-wasi --sysroot=$SYSROOT -O2 -Wall -Wextra -Werror -I"$G/c")
LIBS=(-nodefaultlibs -lc -lm "$BUILTINS" -Wl,--strip-all)
"$SW/clang" "${CFLAGS[@]}" "$G/c/nn_run.c" -o "$OUT/nn_run.wasm" "${LIBS[@]}"
"$SW/clang" "${CFLAGS[@]}" "$G/c/nn_probe.c" -o "$OUT/nn_probe.wasm" "${LIBS[@]}"
"$SW/clang" "${CFLAGS[@]}" "$G/shortlist/shortlist.c" -o "$OUT/shortlist.wasm" "${LIBS[@]}"

# Embedded Swift (reference note wasi-nn.md section 5 B/C and A).
SWIFTFLAGS=(-target wasm32-unknown-none-wasm -enable-experimental-feature Embedded
            -enable-experimental-feature Extern -wmo -Osize -Xfrontend -disable-stack-protector)
# WASI command with wasi-libc (for malloc and putchar): _start.
"$SW/swiftc" "${SWIFTFLAGS[@]}" -c "$G/swift/main.swift" "$G/swift/NN.swift" -o "$TMP/command.o"
"$SW/wasm-ld" "$SYSROOT/lib/wasm32-wasi/crt1-command.o" "$TMP/command.o" "$SYSROOT/lib/wasm32-wasi/libc.a" \
    -o "$OUT/swift_command.wasm" --strip-all
# Reactor without libc: exports run.
"$SW/clang" --target=wasm32 -O2 -ffreestanding -fno-builtin -nostdlib -c "$G/swift/rt.c" -o "$TMP/rt.o"
"$SW/swiftc" "${SWIFTFLAGS[@]}" -parse-as-library -c "$G/swift/Reactor.swift" "$G/swift/NN.swift" -o "$TMP/reactor.o"
"$SW/wasm-ld" "$TMP/reactor.o" "$TMP/rt.o" -o "$OUT/swift_reactor.wasm" --no-entry --strip-all
chmod 644 "$OUT"/*.wasm

ls -l "$OUT"/*.wasm
