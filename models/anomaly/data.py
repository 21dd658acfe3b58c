"""Photos, regions and patches for the crop-anomaly flow.

Every photo is first resized so its long side is ANALYSIS_LONG_SIDE pixels (the scale the
agent analyses at: `edge-agent inspect` shrinks larger inputs to the same long side), then
the boxes of regions.tsv cut it into training, held-out and foreign-object material.
Patches are PATCH x PATCH RGB, float32 in [0, 1], NCHW.
"""
import os

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PHOTO_ROOT = os.path.join(ROOT, ".cache", "anomaly-photos", "root")
ANALYSIS_LONG_SIDE = 768
PATCH = 16
STRIDE = 8


def _tsv(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                rows.append(line.rstrip("\n").split("\t"))
    return rows


def photo_paths():
    return {r[0]: os.path.join(PHOTO_ROOT, r[2]) for r in _tsv("photos.tsv")}


def regions(role):
    """[(file, (x0, y0, x1, y1))] of one role of regions.tsv."""
    return [(r[1], tuple(float(v) for v in r[2:6])) for r in _tsv("regions.tsv") if r[0] == role]


def load_photo(name):
    """RGB uint8 at the analysis scale."""
    bgr = cv2.imread(photo_paths()[name], cv2.IMREAD_COLOR)
    if bgr is None:
        raise FileNotFoundError(f"{name}: run models/anomaly/fetch-photos.sh first")
    h, w = bgr.shape[:2]
    s = ANALYSIS_LONG_SIDE / max(h, w)
    bgr = cv2.resize(bgr, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def region_image(name, box):
    img = load_photo(name)
    h, w = img.shape[:2]
    x0, y0, x1, y1 = box
    return img[round(y0 * h):round(y1 * h), round(x0 * w):round(x1 * w)].copy()


def grid_patches(img, patch=PATCH, stride=STRIDE):
    """All patches on the inspection grid: (N,3,p,p) float32 and their (y, x) corners.
    The same grid the Java side uses (InspectGrid): corners at multiples of the stride."""
    h, w = img.shape[:2]
    ys = range(0, h - patch + 1, stride)
    xs = range(0, w - patch + 1, stride)
    corners = [(y, x) for y in ys for x in xs]
    p = np.stack([img[y:y + patch, x:x + patch] for y, x in corners]).astype(np.float32) / 255.0
    return p.transpose(0, 3, 1, 2).copy(), corners


def training_patches(role="train", stride=STRIDE):
    """Every grid patch of every region of a role (augmented later by flips): "train" for the
    field flow, "general" (at stride 16: about 40k patches) for the general flow."""
    out = [grid_patches(region_image(n, b), stride=stride)[0] for n, b in regions(role)]
    return np.concatenate(out)
