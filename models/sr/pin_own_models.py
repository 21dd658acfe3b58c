"""Update the SR rows of models/own-models.tsv from the exported SR models (run after export.py
and export_sampler.py).

  /usr/bin/python3 models/sr/pin_own_models.py

For each exported file: its sha256 (the agent refuses any other bytes) and its parameter count
as the export recorded it (reference_x2.json / reference_sampler_x2.json; the Java side cannot
count ONNX initializers). Rows of other models (plates, YuNet) are kept as they are.
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
    ("affine-stablesr-x2-sampler", "affine_stablesr_x2_sampler.onnx",
     "same weights as affine-stablesr-x2 with the latent z as an input, for K samples (SR uncertainty map)"),
    ("fsrcnn-x2", "fsrcnn_x2.onnx",
     "x2 SR, CNN baseline with bicubic skip (models/sr/srmodels.py CNNSR)"),
]


def params(fname):
    if fname == "affine_stablesr_x2_sampler.onnx":
        return json.load(open(os.path.join(HERE, "reference_sampler_x2.json")))["params"]
    return json.load(open(os.path.join(HERE, "reference_x2.json")))["models"][fname]["params"]


lines = open(TSV).read().splitlines(keepends=True)
rows = {}
for name, fname, desc in MODELS:
    path = os.path.join(HERE, fname)
    if os.path.exists(path):
        sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
        rows[name] = "\t".join([name, "models/sr/" + fname, sha, LICENCE, str(params(fname)), desc]) + "\n"
out = []
for line in lines:
    name = line.split("\t", 1)[0]
    out.append(rows.pop(name) if not line.startswith("#") and name in rows else line)
# new SR rows go right after the last SR row (or at the end)
last_sr = max((i for i, l in enumerate(out) if "\tmodels/sr/" in l), default=len(out) - 1)
out[last_sr + 1:last_sr + 1] = list(rows.values())
with open(TSV, "w") as f:
    f.writelines(out)
print("".join(l for l in out if "\tmodels/sr/" in l), end="")
