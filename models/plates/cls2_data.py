#!/usr/bin/python3
"""Crops for plate-cls-v2 from scene_synth.py frames and the agent's own candidates on them.

The candidates are what the agent's detectors really propose on these frames: run `eval` with
every candidate source on and no second stage (the text detector at the default and the
vehicle profile's input size, the plate map with its classifier off), writing --detections:

    bin/edge-agent eval --dataset .cache/plates-cls2/train --set detect.faces=false \
        --set detect.plate_text_policy=all_text --set detect.plate_map=true \
        --set detect.plate_map_verify_threshold=0 --set detect.plate_max_side=960 \
        --detections .cache/plates-cls2/train-det960.json
    (again with detect.plate_max_side=1600 -> train-det1600.json)

then
    /usr/bin/python3 models/plates/cls2_data.py --frames .cache/plates-cls2/train \
        --detections .cache/plates-cls2/train-det960.json .cache/plates-cls2/train-det1600.json \
        --out .cache/plates-cls2/train.npz

Each detection's `detected` box is exactly the box the Java PlateCropVerifier scores (the
grown text line, or the plate-map box), cut with the same crop rule (cls_data.make_crop).
Labels, against the frame's plates:
  positive  IoU >= 0.3 with a plate, or covers >= 50% of it, or lies >= 60% inside it (one line
            of a two-line plate: its pixels are still a plate's);
  negative  touches no plate (scene text, lettering, tail lights, timestamps, clutter);
  ignored   otherwise (half on a plate: neither answer is right).
Added beside the candidates, as cls_data.py does: every plate box jittered twice (kind 1,
positive; the plate map proposes whole plates), random plate-shaped boxes away from plates
(kind 2) and every rendered negative's box jittered (kind 3).  kind 0 = agent candidates.
"""
import argparse
import json
import math
import os
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cls_data import iou, jitter, make_crop  # noqa: E402


def inside(cand, g):
    """Fraction of cand's area inside g; boxes as (x0, y0, x1, y1)."""
    iw = min(cand[2], g[2]) - max(cand[0], g[0])
    ih = min(cand[3], g[3]) - max(cand[1], g[1])
    area = (cand[2] - cand[0]) * (cand[3] - cand[1])
    return 0.0 if iw <= 0 or ih <= 0 or area <= 0 else iw * ih / area


def label(cand, plates):
    """(label, index of the matched plate): 1 positive, 0 negative, -1 ignored."""
    touch = False
    for i, g in enumerate(plates):
        if inside(cand, g) > 0:
            touch = True
            if iou(cand, g) >= 0.3 or inside(g, cand) >= 0.5 or inside(cand, g) >= 0.6:
                return 1, i
    return (-1 if touch else 0), -1


def xyxy(b):
    return (b[0], b[1], b[0] + b[2], b[1] + b[3])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--frames", required=True, help="scene_synth.py output folder")
    ap.add_argument("--detections", nargs="+", required=True, help="eval --detections files on those frames")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=9103)
    args = ap.parse_args()
    coco = json.load(open(os.path.join(args.frames, "annotations.json")))
    plates = {}
    for a in coco["annotations"]:
        if a["category_id"] == 2:
            plates.setdefault(a["image_id"], []).append(a)
    cands = {}
    for path in args.detections:
        for d in json.load(open(path)):
            if d["class"] == "plate":
                cands.setdefault(d["image"], []).append(d["detected"])
    rng = np.random.default_rng(args.seed)
    crops, lab, kind, height, frame, motion = [], [], [], [], [], []

    def add(img, box, y, k, h, fi, m=0.0):
        c = make_crop(img, box)
        if c is not None:
            crops.append(c); lab.append(y); kind.append(k); height.append(h); frame.append(fi); motion.append(m)

    n_cand = [0, 0, 0]
    for im in coco["images"]:
        img = cv2.imread(os.path.join(args.frames, im["file_name"]), cv2.IMREAD_COLOR)
        ps = plates.get(im["id"], [])
        gts = [xyxy(p["bbox"]) for p in ps]
        seen = set()
        for box in cands.get(os.path.basename(im["file_name"]), []):
            key = tuple(round(v) for v in box)
            if key in seen:
                continue
            seen.add(key)
            y, gi = label(xyxy(box), gts)
            n_cand[y + 1] += 1
            if y >= 0:
                h = ps[gi]["bbox"][3] if y == 1 else box[3]
                add(img, box, y, 0, h, im["id"], ps[gi].get("motion_px", 0.0) if y == 1 else 0.0)
        for p in ps:
            for _ in range(2):
                add(img, jitter(rng, xyxy(p["bbox"])), 1, 1, p["bbox"][3], im["id"], p.get("motion_px", 0.0))
        H, W = img.shape[:2]
        for _ in range(3):
            for _try in range(10):
                h = math.exp(rng.uniform(math.log(6), math.log(min(200, H / 3))))
                w = h * rng.uniform(1.5, 6)
                x, yy = rng.uniform(0, W - w), rng.uniform(0, H - h)
                if all(inside((x, yy, x + w, yy + h), g) == 0 for g in gts):
                    add(img, (x, yy, w, h), 0, 2, h, im["id"])
                    break
        for n in im.get("negatives", []):
            b = jitter(rng, xyxy(n["bbox"]), 0.1)
            if all(inside(xyxy(b), g) == 0 for g in gts):
                add(img, b, 0, 3, b[3], im["id"])
    lab_a, kind_a = np.array(lab, np.int8), np.array(kind, np.int8)
    np.savez_compressed(args.out, crops=np.stack(crops), label=lab_a, kind=kind_a,
                        height=np.array(height, np.float32), frame=np.array(frame, np.int32),
                        motion=np.array(motion, np.float32), score=np.full(len(lab), -1.0, np.float32))
    print(f"{args.out}: {len(lab)} crops; candidates ignored/negative/positive {n_cand}; "
          f"kind0 pos {int(((kind_a == 0) & (lab_a == 1)).sum())} neg {int(((kind_a == 0) & (lab_a == 0)).sum())}; "
          f"positives {int((lab_a == 1).sum())} negatives {int((lab_a == 0).sum())}")


if __name__ == "__main__":
    main()
