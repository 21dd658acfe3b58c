#!/usr/bin/env bash
# Python tests of the normalizing-flow layer library (models/flows), of the plate
# detector (models/plates: ONNX contract, pin, network shape, mask rasteriser) and of the
# development-set builder (models/eval: paste geometry, determinism, degradation ranges), of
# the crop-anomaly map (models/anomaly: metrics, flow inversion, ONNX contract and pin, defect set)
# and of the SR sampler (models/sr: the flow rebuilt from its ONNX file reproduces both references; the
# uncertainty evaluation's rank statistics).
# Needs Debian's python3-torch python3-numpy python3-onnx python3-opencv python3-pil
# (bin/install-test-tools installs them; this script only checks and fails clearly),
# runs the unittest suites and prints a final line "N passed, N failed" over both.
set -uo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
# bin/install-test-tools installs these (bin/test runs it first); this script installs nothing
if ! "$PY" -c 'import torch, numpy, onnx, cv2, PIL' >/dev/null 2>&1; then
  echo "python-tests: python3 cannot import torch, numpy, onnx, cv2 and PIL (Debian python3-torch python3-numpy" \
    "python3-onnx python3-opencv python3-pil); run bin/install-test-tools"
  echo "0 passed, 1 failed"
  exit 1
fi
rc=0
passed=0
failed=0
for suite in flows plates eval anomaly sr; do
  out="$("$PY" run_suite.py "$suite/tests" 2>&1)" || rc=1
  printf '%s\n' "$out" | grep -vE '^[0-9]+ passed, [0-9]+ failed$'
  line="$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)"
  [[ -n "$line" ]] || { line="0 passed, 1 failed"; rc=1; }
  passed=$((passed + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")))
done
echo "$passed passed, $failed failed"
exit $rc
