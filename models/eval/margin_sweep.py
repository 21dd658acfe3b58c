#!/usr/bin/python3
"""How much must a face detector's box grow to cover the whole head? Offline, from one eval run.

Run `edge-agent eval --dataset D --set redact.margin=0 --detections det.json` once, then:

  models/eval/margin_sweep.py --dataset D --detections det.json [--margins 0,0.1,...] [--top 0,0.1]

For each margin m (every side grown by m of the box's width/height, as redact.margin does) and
extra top growth t (hair), it prints face recall under the eval's rule (a ground-truth face is
found when >= 90% of its area lies in the union of redacted boxes), the share of faces covered
completely, and the redacted area per found face in units of its ground-truth area (what the
margin costs in picture). Only faces that some detection touches (IoU > 0.1) are counted, so the
figures isolate coverage from detection. Needs python3-numpy.
"""
import argparse
import collections
import json
import os

import numpy as np


def iou(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    iw = min(ax + aw, bx + bw) - max(ax, bx)
    ih = min(ay + ah, by + bh) - max(ay, by)
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    return inter / (aw * ah + bw * bh - inter)


def grow(b, m, top):
    x, y, w, h = b
    return (x - m * w, y - (m + top) * h, w + 2 * m * w, h + (2 * m + top) * h)


def coverage(gt, boxes):
    """Fraction of gt's area inside the union of boxes, on a 0.25 px grid over the gt box."""
    x, y, w, h = gt
    n = max(8, int(max(w, h) * 4))
    xs = x + (np.arange(n) + 0.5) * w / n
    ys = y + (np.arange(n) + 0.5) * h / n
    gx, gy = np.meshgrid(xs, ys)
    inside = np.zeros_like(gx, dtype=bool)
    for bx, by, bw, bh in boxes:
        inside |= (gx >= bx) & (gx < bx + bw) & (gy >= by) & (gy < by + bh)
    return inside.mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--detections", required=True)
    ap.add_argument("--margins", default="0,0.1,0.2,0.3,0.4,0.5")
    ap.add_argument("--top", default="0")
    args = ap.parse_args()
    coco = json.load(open(os.path.join(args.dataset, "annotations.json")))
    name = {i["id"]: os.path.basename(i["file_name"]) for i in coco["images"]}
    gts = collections.defaultdict(list)
    for a in coco["annotations"]:
        if a["category_id"] == 1:
            gts[name[a["image_id"]]].append(a["bbox"])
    dets = collections.defaultdict(list)
    for d in json.load(open(args.detections)):
        if d["class"] == "face":
            dets[d["image"]].append(d["detected"])
    pairs = [(g, dets[img]) for img, gl in gts.items() for g in gl
             if any(iou(g, d) > 0.1 for d in dets[img])]
    print(f"{len(pairs)} ground-truth faces touched by a detection "
          f"(of {sum(len(v) for v in gts.values())})")
    print("margin  top   recall(>=90%)  whole(100%)  redacted/gt area")
    for top in [float(t) for t in args.top.split(",")]:
        for m in [float(v) for v in args.margins.split(",")]:
            found = whole = 0
            cost = []
            for g, ds in pairs:
                grown = [grow(d, m, top) for d in ds]
                c = coverage(g, grown)
                found += c >= 0.9
                whole += c >= 0.999
                best = max(grown, key=lambda b: iou(g, b))
                cost.append(best[2] * best[3] / (g[2] * g[3]))
            n = len(pairs)
            print(f"{m:5.2f}  {top:4.2f}   {found / n:.3f}          {whole / n:.3f}        {np.median(cost):.2f}")


if __name__ == "__main__":
    main()
