#!/usr/bin/env bash
# Regenerates the protoc-c output for proto/onnx.proto into the COnnxProto C target.
# Needs protoc-c (Debian: apt-get install protobuf-c-compiler; tested with 1.4.1).
# The output is committed, so building the package needs only libprotobuf-c-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
out=Sources/COnnxProto
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
protoc-c --proto_path=proto --c_out="$tmp" proto/onnx.proto
mv "$tmp/onnx.pb-c.h" "$out/include/onnx.pb-c.h"
mv "$tmp/onnx.pb-c.c" "$out/onnx.pb-c.c"
