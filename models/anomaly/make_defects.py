"""Generate the committed synthetic-defect set (defects/) from held-out photo regions.

  /usr/bin/python3 models/anomaly/make_defects.py      (needs fetch-photos.sh first)

Deterministic (seed 2026). `--seed 7 --out /tmp/anomaly_val` gives the validation set the
score rule is chosen on (evaluate.py); it is regenerated, not committed. 192x192 crops of the `heldout` regions (parts of training photos
that no training patch overlaps) and the `unseen` region (a photo with no training patch),
each given one synthetic defect, plus clean crops of the same regions:
  hole         dark soil-coloured irregular blob (a gap in the canopy / a washout)
  dry          irregular blob recoloured to straw/brown hue, texture kept (dry or diseased patch)
  foreign      a pasted object: a flat-coloured geometric shape or a crop of an unrelated
               photo (cups, furniture, brushes: the `foreign` rows of regions.tsv)
  missing_row  a straight band across the crop filled with bare-soil texture
  clean        no defect
Images are written as JPEG quality 95, masks as PNG (255 = defect). defects.json lists, for
each image, its type, source photo/role/crop, mask file and the defect's bounding box.
"""
import hashlib
import json
import os

import cv2
import numpy as np

from data import HERE, regions, region_image

SEED = 2026
SIZE = 192
PER_TYPE = 12
CLEAN = 16
TYPES = ["hole", "dry", "foreign", "missing_row"]
OUT = os.path.join(HERE, "defects")


def blob_mask(rng, r_lo, r_hi):
    m = np.zeros((SIZE, SIZE), np.uint8)
    cx, cy = rng.integers(40, SIZE - 40, 2)
    for _ in range(int(rng.integers(3, 6))):
        ax = int(rng.integers(r_lo, r_hi)), int(rng.integers(r_lo, r_hi))
        off = rng.integers(-r_lo, r_lo + 1, 2)
        cv2.ellipse(m, (int(cx + off[0]), int(cy + off[1])), ax, float(rng.uniform(0, 180)), 0, 360, 255, -1)
    return m


def soil_texture(rng, base):
    low = cv2.resize(rng.normal(0, 1, (12, 12)).astype(np.float32), (SIZE, SIZE), interpolation=cv2.INTER_CUBIC)
    high = rng.normal(0, 1, (SIZE, SIZE)).astype(np.float32)
    t = np.asarray(base, np.float32)[None, None, :] * (1 + 0.12 * low[..., None] + 0.10 * high[..., None])
    return np.clip(t, 0, 255)


def blend(img, fill, mask):
    alpha = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (5, 5), 1.0)[..., None]
    return np.clip(img * (1 - alpha) + fill * alpha, 0, 255).astype(np.uint8)


def hole(rng, img):
    m = blob_mask(rng, 8, 22)
    base = [rng.uniform(25, 55), rng.uniform(20, 40), rng.uniform(12, 30)]
    return blend(img, soil_texture(rng, base), m), m


def dry(rng, img):
    m = blob_mask(rng, 12, 30)
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV).astype(np.float32)
    hsv[..., 0] = rng.uniform(12, 24)                       # OpenCV hue: straw / brown
    hsv[..., 1] = np.clip(hsv[..., 1] * rng.uniform(0.55, 0.8), 0, 255)
    hsv[..., 2] = np.clip(hsv[..., 2] * rng.uniform(0.95, 1.3) + 10, 0, 255)
    fill = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB).astype(np.float32)
    return blend(img, fill, m), m


def foreign(rng, img, foreign_imgs):
    m = np.zeros((SIZE, SIZE), np.uint8)
    cx, cy = (int(v) for v in rng.integers(40, SIZE - 40, 2))
    s = int(rng.integers(12, 24))
    if rng.random() < 0.5:
        shape = int(rng.integers(3))
        if shape == 0:
            cv2.rectangle(m, (cx - s, cy - s // 2), (cx + s, cy + s // 2), 255, -1)
        elif shape == 1:
            cv2.circle(m, (cx, cy), s, 255, -1)
        else:
            pts = np.array([[cx, cy - s], [cx - s, cy + s], [cx + s, cy + s]], np.int32)
            cv2.fillPoly(m, [pts], 255)
        colours = [(235, 235, 230), (200, 30, 30), (30, 60, 200), (120, 120, 125), (240, 200, 20), (20, 20, 20)]
        c = np.asarray(colours[int(rng.integers(len(colours)))], np.float32)
        shade = np.linspace(0.85, 1.1, SIZE, dtype=np.float32)[None, :, None]
        fill = np.clip(c[None, None, :] * shade + rng.normal(0, 4, (SIZE, SIZE, 3)), 0, 255)
    else:
        src = foreign_imgs[int(rng.integers(len(foreign_imgs)))]
        y = int(rng.integers(0, src.shape[0] - SIZE))
        x = int(rng.integers(0, src.shape[1] - SIZE))
        fill = src[y:y + SIZE, x:x + SIZE].astype(np.float32)
        cv2.ellipse(m, (cx, cy), (s, int(s * rng.uniform(0.6, 1.0))), float(rng.uniform(0, 180)), 0, 360, 255, -1)
    return blend(img, fill, m), m


def missing_row(rng, img):
    m = np.zeros((SIZE, SIZE), np.uint8)
    width = int(rng.integers(10, 20))
    angle = rng.uniform(-35, 35) + (90 if rng.random() < 0.5 else 0)
    c = np.array([SIZE / 2, SIZE / 2]) + rng.uniform(-40, 40, 2)
    d = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    p0, p1 = (c - 300 * d).astype(int), (c + 300 * d).astype(int)
    cv2.line(m, tuple(int(v) for v in p0), tuple(int(v) for v in p1), 255, width)
    base = [rng.uniform(95, 135), rng.uniform(70, 95), rng.uniform(45, 65)]
    return blend(img, soil_texture(rng, base), m), m


def crop(rng, sources):
    img = sources[int(rng.integers(len(sources)))]
    name, role, reg = img
    y = int(rng.integers(0, reg.shape[0] - SIZE + 1))
    x = int(rng.integers(0, reg.shape[1] - SIZE + 1))
    return name, role, x, y, reg[y:y + SIZE, x:x + SIZE].copy()


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", default=OUT, help="another folder (and seed) gives the validation set")
    args = ap.parse_args()
    generate(args.seed, args.out)


def generate(seed, out_dir):
    global OUT
    OUT = out_dir
    rng = np.random.default_rng(seed)
    sources = [(n, "heldout", region_image(n, b)) for n, b in regions("heldout")]
    sources += [(n, "unseen", region_image(n, b)) for n, b in regions("unseen")]
    for n, _, r in sources:
        assert r.shape[0] >= SIZE and r.shape[1] >= SIZE, (n, r.shape)
    foreign_imgs = [region_image(n, b) for n, b in regions("foreign")]
    os.makedirs(os.path.join(OUT, "images"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "masks"), exist_ok=True)
    plan = [t for t in TYPES for _ in range(PER_TYPE)] + ["clean"] * CLEAN
    items = []
    for i, kind in enumerate(plan):
        name, role, x, y, img = crop(rng, sources)
        if kind == "hole":
            img, m = hole(rng, img)
        elif kind == "dry":
            img, m = dry(rng, img)
        elif kind == "foreign":
            img, m = foreign(rng, img, foreign_imgs)
        elif kind == "missing_row":
            img, m = missing_row(rng, img)
        else:
            m = np.zeros((SIZE, SIZE), np.uint8)
        stem = f"{i:03d}_{kind}"
        cv2.imwrite(os.path.join(OUT, "images", stem + ".jpg"), cv2.cvtColor(img, cv2.COLOR_RGB2BGR),
                    [cv2.IMWRITE_JPEG_QUALITY, 95])
        entry = {"file": f"images/{stem}.jpg", "type": kind, "source": name, "role": role, "crop_xy": [x, y],
                 "size": SIZE}
        if kind != "clean":
            cv2.imwrite(os.path.join(OUT, "masks", stem + ".png"), m)
            ys, xs = np.nonzero(m)
            entry["mask"] = f"masks/{stem}.png"
            entry["bbox_xywh"] = [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]
            entry["defect_pixels"] = int((m > 0).sum())
        items.append(entry)
    digest = hashlib.sha256()
    for it in items:
        for k in ("file", "mask"):
            if k in it:
                with open(os.path.join(OUT, it[k]), "rb") as f:
                    digest.update(f.read())
    meta = {"generator": "models/anomaly/make_defects.py", "seed": seed, "size": SIZE,
            "sha256_of_files": digest.hexdigest(), "items": items}
    with open(os.path.join(OUT, "defects.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(f"{len(items)} images in {OUT}, files sha256 {digest.hexdigest()}")


if __name__ == "__main__":
    main()
