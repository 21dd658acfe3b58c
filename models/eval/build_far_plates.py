#!/usr/bin/python3
"""Build the far variant of a COCO plate set: every photo scaled so its plate is 10-24 px tall
and placed on a 1280x720 canvas, as a dash camera sees a car two or three lanes away.

Made for ../shared/data/real-plates (250 real car photos, one plate box each; evaluation and
tuning only, its licence forbids training on it or committing it), so the output goes under
.cache, never into the repository:

    /usr/bin/python3 models/eval/build_far_plates.py \
        --src ../shared/data/real-plates --out .cache/real-plates-far

Per photo (its own seed, so one photo's variant does not depend on the others):
  * target plate height log-uniform in [--min-h, --max-h] px (default 10-24), the photo scaled
    by target / plate height with INTER_AREA (the way a camera integrates light, not aliased);
  * if the scaled photo is larger than the canvas, a 1280x720 window that holds the whole plate
    is cut from it at a random position; if smaller, it is pasted at a random position onto the
    same photo enlarged to fill the canvas and blurred beyond recognition (Gaussian sigma 5% of
    the canvas width: no legible plate survives), with a feathered seam. A flat canvas would
    give the photo hard, straight edges that the text detector reports as one huge "text
    line" covering the plate, which inflates recall; a mirrored copy would add unannotated
    plates;
  * written as JPEG quality 90; the boxes are scaled and shifted exactly as the pixels.

Every annotation of the source image (faces too, if any) is carried; the 'split' field is kept
and 'plate_height_px' records the plate's height after scaling. Deterministic: the same source
and seed give byte-identical files.
"""
import argparse
import hashlib
import json
import math
import os

import cv2
import numpy as np

CANVAS_W, CANVAS_H = 1280, 720
PLATE_CATEGORY = 2


def image_seed(seed, file_name):
    digest = hashlib.sha256(f"{seed}:{file_name}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def scaled_geometry(rng, img_w, img_h, plate_box, min_h, max_h):
    """Return (scale, offset_x, offset_y, crop): the photo is resized by scale, then either cropped
    at crop=(x, y) to the canvas (offsets 0) or pasted at (offset_x, offset_y) (crop None)."""
    target = math.exp(rng.uniform(math.log(min_h), math.log(max_h)))
    scale = target / plate_box[3]
    sw, sh = max(1, round(img_w * scale)), max(1, round(img_h * scale))
    px, py, pw, ph = (v * scale for v in plate_box)
    if sw <= CANVAS_W and sh <= CANVAS_H:
        ox = int(rng.integers(0, CANVAS_W - sw + 1))
        oy = int(rng.integers(0, CANVAS_H - sh + 1))
        return scale, (sw, sh), ox, oy, None
    # window of the canvas size (or the image's, where smaller) that contains the plate
    cw, ch = min(sw, CANVAS_W), min(sh, CANVAS_H)
    x_lo, x_hi = max(0, math.ceil(px + pw) - cw), min(sw - cw, math.floor(px))
    y_lo, y_hi = max(0, math.ceil(py + ph) - ch), min(sh - ch, math.floor(py))
    cx = int(rng.integers(x_lo, max(x_lo, x_hi) + 1))
    cy = int(rng.integers(y_lo, max(y_lo, y_hi) + 1))
    ox = int(rng.integers(0, CANVAS_W - cw + 1))
    oy = int(rng.integers(0, CANVAS_H - ch + 1))
    return scale, (sw, sh), ox, oy, (cx, cy, cw, ch)


FEATHER_PX = 12


def surround(img):
    """The photo enlarged to cover the canvas and blurred so that nothing in it is legible."""
    h, w = img.shape[:2]
    s = max(CANVAS_W / w, CANVAS_H / h)
    big = cv2.resize(img, (max(CANVAS_W, round(w * s)), max(CANVAS_H, round(h * s))), interpolation=cv2.INTER_LINEAR)
    big = big[:CANVAS_H, :CANVAS_W]
    return cv2.GaussianBlur(big, (0, 0), CANVAS_W * 0.05)


def feather(h, w, px):
    """Alpha [h, w, 1] that rises linearly from the border over px pixels (1 everywhere if px is 0)."""
    if px <= 0:
        return np.ones((h, w, 1), np.float32)
    ry = np.minimum(np.arange(h) + 0.5, h - np.arange(h) - 0.5) / px
    rx = np.minimum(np.arange(w) + 0.5, w - np.arange(w) - 0.5) / px
    return np.clip(np.minimum(ry[:, None], rx[None, :]), 0, 1)[..., None].astype(np.float32)


def build_one(rng, img, plate_box, min_h, max_h):
    h, w = img.shape[:2]
    scale, (sw, sh), ox, oy, crop = scaled_geometry(rng, w, h, plate_box, min_h, max_h)
    small = cv2.resize(img, (sw, sh), interpolation=cv2.INTER_AREA)
    cx, cy = 0, 0
    if crop is not None:
        cx, cy, cw, ch = crop
        small = small[cy:cy + ch, cx:cx + cw]
    canvas = surround(img)
    sh_, sw_ = small.shape[:2]
    alpha = feather(sh_, sw_, FEATHER_PX if crop is None else 0)
    roi = canvas[oy:oy + sh_, ox:ox + sw_].astype(np.float32)
    canvas[oy:oy + sh_, ox:ox + sw_] = np.clip(small * alpha + roi * (1 - alpha) + 0.5, 0, 255).astype(np.uint8)

    def move(box):
        x, y, bw, bh = box
        nx, ny = x * scale - cx + ox, y * scale - cy + oy
        x0, y0 = max(ox, nx), max(oy, ny)
        x1 = min(ox + small.shape[1], nx + bw * scale)
        y1 = min(oy + small.shape[0], ny + bh * scale)
        return None if x1 <= x0 or y1 <= y0 else [x0, y0, x1 - x0, y1 - y0]

    return canvas, move, plate_box[3] * scale


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", required=True, help="COCO set with annotations.json and images/")
    ap.add_argument("--out", required=True, help="output folder (keep it out of the repository)")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--min-h", type=float, default=10)
    ap.add_argument("--max-h", type=float, default=24)
    args = ap.parse_args()
    if not 1 <= args.min_h <= args.max_h:
        ap.error("need 1 <= --min-h <= --max-h")
    coco = json.load(open(os.path.join(args.src, "annotations.json")))
    by_image = {}
    for a in coco["annotations"]:
        by_image.setdefault(a["image_id"], []).append(a)
    os.makedirs(os.path.join(args.out, "images"), exist_ok=True)
    images, annotations = [], []
    skipped = 0
    for im in coco["images"]:
        anns = by_image.get(im["id"], [])
        plates = [a for a in anns if a["category_id"] == PLATE_CATEGORY]
        path = os.path.join(args.src, im["file_name"])
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise SystemExit(f"build_far_plates: cannot read {path}")
        if not plates:
            skipped += 1
            continue
        # the largest plate sets the scale; the others shrink with it
        main_plate = max(plates, key=lambda a: a["bbox"][3])
        rng = np.random.default_rng(image_seed(args.seed, im["file_name"]))
        canvas, move, plate_h = build_one(rng, img, main_plate["bbox"], args.min_h, args.max_h)
        name = "images/far_" + os.path.basename(im["file_name"]).rsplit(".", 1)[0] + ".jpg"
        ok, buf = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, 90])
        if not ok:
            raise SystemExit(f"build_far_plates: cannot encode {name}")
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(buf.tobytes())
        images.append({"id": im["id"], "file_name": name, "width": CANVAS_W, "height": CANVAS_H,
                       "split": im.get("split", "far"), "plate_height_px": round(plate_h, 2),
                       "source": im["file_name"]})
        for a in anns:
            box = move(a["bbox"])
            if box is None:
                continue
            annotations.append({"id": a["id"], "image_id": im["id"], "category_id": a["category_id"],
                                "bbox": [round(v, 2) for v in box], "area": round(box[2] * box[3], 2),
                                "iscrowd": 0})
    out = {"info": {"description": f"far variant of {os.path.basename(os.path.abspath(args.src))}: plates "
                                   f"{args.min_h:g}-{args.max_h:g} px tall on {CANVAS_W}x{CANVAS_H}",
                    "seed": args.seed},
           "images": images, "annotations": annotations, "categories": coco["categories"]}
    with open(os.path.join(args.out, "annotations.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(f"build_far_plates: {len(images)} images, {len(annotations)} boxes -> {args.out}"
          + (f" ({skipped} without a plate skipped)" if skipped else ""))


if __name__ == "__main__":
    main()
