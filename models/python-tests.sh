#!/usr/bin/env bash
# Python tests of the normalizing-flow layer library (models/flows).
# Installs Debian's python3-torch / python3-numpy / python3-onnx if torch is missing,
# runs the unittest suite and prints a final line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
if ! "$PY" -c 'import torch' >/dev/null 2>&1; then
  echo "installing Debian python3-torch python3-numpy python3-onnx ..."
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y python3-torch python3-numpy python3-onnx \
    || { echo "apt-get install failed"; echo "0 passed, 1 failed"; exit 1; }
fi
"$PY" flows/tests/run_tests.py
rc=$?
exit $rc
