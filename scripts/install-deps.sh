#!/usr/bin/env bash
# Installs the Debian packages onnxrun builds against (Debian 12; needs root or sudo):
#   libprotobuf-c-dev  protobuf-c runtime that parses ONNX files (the generated code is committed)
#   libonnx-dev, libprotobuf-dev  ONNX 1.12's checker and shape inference behind `onnxrun check`
#   libsentencepiece-dev  SentencePiece, for translation text in and out
#   pkg-config         how SwiftPM finds libprotobuf-c
# The Swift toolchain (6.2 or newer) is expected on PATH.
set -euo pipefail
packages=(libprotobuf-c-dev libonnx-dev libprotobuf-dev libsentencepiece-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
