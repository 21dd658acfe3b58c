"""Write models/own-models.tsv from the exported SR models (run after export.py).

  /usr/bin/python3 models/sr/pin_own_models.py

For each exported file: its sha256 (the agent refuses any other bytes) and its parameter count
as export.py recorded it in reference_x2.json (the Java side cannot count ONNX initializers).
"""
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TSV = os.path.join(ROOT, "models", "own-models.tsv")
LICENCE = "project-trained; photos CC-BY/CC-BY-SA/CC0/GPL-2+ (models/sr/fetch_photos.sh)"
MODELS = [
    ("affine-stablesr-x2", "affine_stablesr_x2.onnx",
     "x2 SR, conditional affine-coupling flow sampled at z=0 (models/sr/srmodels.py FlowSR)"),
    ("fsrcnn-x2", "fsrcnn_x2.onnx",
     "x2 SR, CNN baseline with bicubic skip (models/sr/srmodels.py CNNSR)"),
]

header = [line for line in open(TSV) if line.startswith("#")]
ref = json.load(open(os.path.join(HERE, "reference_x2.json")))["models"]
rows = []
for name, fname, desc in MODELS:
    path = os.path.join(HERE, fname)
    if not os.path.exists(path):
        continue
    sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
    rows.append("\t".join([name, "models/sr/" + fname, sha, LICENCE, str(ref[fname]["params"]), desc]) + "\n")
with open(TSV, "w") as f:
    f.writelines(header + rows)
print("".join(rows), end="")
