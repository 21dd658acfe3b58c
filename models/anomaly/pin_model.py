"""Write (or replace) the crop-flow row of models/own-models.tsv after export.py; other rows
are left as they are.

  /usr/bin/python3 models/anomaly/pin_model.py
"""
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
TSV = os.path.join(HERE, "..", "own-models.tsv")
NAME = "crop-flow"
LICENCE = "project-trained; photos GPL-2+/LGPL-3/CC0-1.0/CC-BY-4.0/CC-BY-SA-4.0, authors in models/anomaly/photos.tsv"
DESC = ("crop-anomaly map: field-texture flow and general-photo flow (CInC 3x3 conv + quad coupling) on 16x16 "
        "patches, per-patch NLL and likelihood ratio, scored with the patch statistics' distance from their own image; "
        "scoring constants in the file's metadata (models/anomaly/MODEL_CARD.md)")

sha = hashlib.sha256(open(os.path.join(HERE, "crop_flow.onnx"), "rb").read()).hexdigest()
params = json.load(open(os.path.join(HERE, "reference.json")))["metadata"]["params"]
row = "\t".join([NAME, "models/anomaly/crop_flow.onnx", sha, LICENCE, str(params), DESC]) + "\n"
lines = [ln for ln in open(TSV, encoding="utf-8") if not ln.startswith(NAME + "\t")]
with open(TSV, "w", encoding="utf-8") as f:
    f.writelines(lines + [row])
print(row, end="")
