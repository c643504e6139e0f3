#!/bin/sh
# Compiles the arm64 NEON dot-product int8 GEMM kernels (Sources/CKernels/gemm_i8_neon.c) for
# arm64 Linux and macOS with the toolchain's clang and checks that the code uses sdot. Run-time
# behaviour of the real instructions is NOT tested here (no arm64 host); the same C code runs on
# x86-64 over a portable emulation of the intrinsics in the Kernels tests.
#
# Files that include libc headers (gemm_i8.c's driver, cpu.c's HWCAP probe) are also checked
# with -fsyntax-only when an arm64 sysroot is found (/usr/aarch64-linux-gnu or $AARCH64_SYSROOT);
# otherwise that step is skipped with a message.
# Usage: scripts/check_neon.sh [clang]   (default: $CLANG, else clang next to swift, else clang)
# Exit status: 0 ok, 1 a check failed, 77 no clang found.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cc=${1:-${CLANG:-}}
if [ -z "$cc" ]; then
    swift_bin=$(command -v swift 2>/dev/null || true)
    if [ -n "$swift_bin" ] && [ -x "$(dirname "$swift_bin")/clang" ]; then cc="$(dirname "$swift_bin")/clang"; else cc=clang; fi
fi
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "check_neon: no clang ($cc) found; skipped" >&2
    exit 77
fi
src="$root/Sources/CKernels/gemm_i8_neon.c"
inc="$root/Sources/CKernels/include"
status=0
for target in aarch64-linux-gnu arm64-apple-macos13; do
    asm=$("$cc" --target=$target -ffreestanding -O2 -Wall -Wextra -Werror -I"$inc" -S -o - "$src" 2>&1)
    if [ $? -ne 0 ]; then
        echo "check_neon: $target: compile failed" >&2
        echo "$asm" >&2
        status=1
        continue
    fi
    n=$(printf '%s\n' "$asm" | grep -c 'sdot')
    if [ "$n" -lt 8 ]; then
        echo "check_neon: $target: compiled, but only $n sdot instructions" >&2
        status=1
    else
        echo "check_neon: $target: gemm_i8_neon.c ok ($n sdot)"
    fi
done
sysroot=${AARCH64_SYSROOT:-/usr/aarch64-linux-gnu}
if [ -d "$sysroot/include" ]; then
    for f in gemm_i8.c cpu.c cpu_features.c; do
        if "$cc" --target=aarch64-linux-gnu --sysroot="$sysroot" -isystem "$sysroot/include" -fsyntax-only \
            -Wall -Werror -I"$inc" "$root/Sources/CKernels/$f"; then
            echo "check_neon: aarch64-linux-gnu: $f syntax ok"
        else
            status=1
        fi
    done
else
    echo "check_neon: no arm64 sysroot at $sysroot; gemm_i8.c / cpu.c not checked for arm64"
fi
exit $status
