#!/usr/bin/python3
"""Evaluate a PlateNet checkpoint (or the same weights before export).

  --val DIR     synthetic validation crops from synth.py (own seed 90417): pixel-level and
                box-level recall / precision per plate-height bucket
  --devset DIR  the project dev set built by models/eval/build_devset.py (read only):
                recall for licence plates (category 2) per split and height bucket, and
                precision (a component that overlaps no GT plate is a false positive;
                faces and other text therefore count as false positives)

Decoding (the same rule the Java side should use):
  1. threshold plate_prob at --thr, 8-connected components on the stride-4 grid;
  2. component box in pixels: x0 = 4*cx0, x1 = 4*(cx1+1) (same for y);
  3. grow each side by GROW_FRAC * box height + GROW_PX (undoes the 10% shrink of the target
     plus the stride-4 quantisation); clip to the image.
A GT plate is found when one grown component box covers >= 90% of the GT box area.
"""
import argparse
import json
import os
import time

import cv2
import numpy as np
import torch

from net import PlateNet

torch.set_num_threads(1)

GROW_FRAC = 0.125   # = SHRINK / (1 - 2 * SHRINK) with SHRINK = 0.10
GROW_PX = 4.0
BUCKETS = [("<16", 0, 16), ("16-32", 16, 32), ("32-64", 32, 64), (">64", 64, 1e9)]


def bucket(h):
    for name, lo, hi in BUCKETS:
        if lo <= h < hi:
            return name


def components(prob, thr, W, H, grow_frac=GROW_FRAC, grow_px=GROW_PX):
    binm = (prob >= thr).astype(np.uint8)
    n, lab, stats, _ = cv2.connectedComponentsWithStats(binm, connectivity=8)
    out = []
    for k in range(1, n):
        x, y, w, h, a = stats[k]
        x0, y0, x1, y1 = 4.0 * x, 4.0 * y, 4.0 * (x + w), 4.0 * (y + h)
        g = grow_frac * (y1 - y0) + grow_px
        out.append([max(0, x0 - g), max(0, y0 - g), min(W, x1 + g), min(H, y1 + g),
                    float(prob[lab == k].max())])
    return out


def cover(comp, gt):
    """fraction of GT box (x0,y0,x1,y1) covered by comp box."""
    iw = min(comp[2], gt[2]) - max(comp[0], gt[0])
    ih = min(comp[3], gt[3]) - max(comp[1], gt[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    return iw * ih / max(1e-6, (gt[2] - gt[0]) * (gt[3] - gt[1]))


def predict(model, img_rgb):
    H, W = img_rgb.shape[:2]
    Hp, Wp = (H + 31) // 32 * 32, (W + 31) // 32 * 32
    x = np.zeros((Hp, Wp, 3), np.float32)   # zero padding bottom/right
    x[:H, :W] = img_rgb / 255.0
    with torch.no_grad():
        p = model(torch.from_numpy(x).permute(2, 0, 1)[None])[0, 0].numpy()
    return p[: (H + 3) // 4, : (W + 3) // 4]


def val_predictions(model, d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    out = []
    for c in meta["crops"]:
        stem = os.path.splitext(c["file"])[0]
        img = cv2.imread(os.path.join(d, stem + ".jpg"))[:, :, ::-1]
        mask = cv2.imread(os.path.join(d, stem + ".png"), cv2.IMREAD_GRAYSCALE) > 0
        out.append((c, mask, img.shape[0], predict(model, img)))
    return out


def eval_val(preds, thr):
    tp = fp = fn = 0
    found = {b[0]: [0, 0] for b in BUCKETS}
    comp_tp = comp_fp = 0
    for c, mask, S, p in preds:
        pb = p >= thr
        tp += int((pb & mask).sum()); fp += int((pb & ~mask).sum()); fn += int((~pb & mask).sum())
        comps = components(p, thr, S, S)
        gts = []
        for pl in c["plates"]:
            q = np.array(pl["quad"])
            g = [q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()]
            inside = g[0] >= 0 and g[1] >= 0 and g[2] <= S and g[3] <= S
            gts.append((g, inside, pl["h"]))
            if inside:
                b = bucket(pl["h"])
                found[b][1] += 1
                if any(cover(cm, g) >= 0.9 for cm in comps):
                    found[b][0] += 1
        for cm in comps:
            if any(cover(cm, g) > 0 or cover(g, cm) > 0 for g, _, _ in gts):
                comp_tp += 1
            else:
                comp_fp += 1
    res = {"pixel_recall": tp / max(1, tp + fn), "pixel_precision": tp / max(1, tp + fp),
           "box_recall_by_height": {k: {"found": v[0], "total": v[1], "recall": v[0] / max(1, v[1])}
                                    for k, v in found.items()},
           "box_recall_all": sum(v[0] for v in found.values()) / max(1, sum(v[1] for v in found.values())),
           "components": comp_tp + comp_fp, "false_positive_components": comp_fp,
           "box_precision": comp_tp / max(1, comp_tp + comp_fp), "crops": len(preds)}
    return res


def devset_predictions(model, d):
    coco = json.load(open(os.path.join(d, "annotations.json")))
    maps, t_total = {}, 0.0
    for im in coco["images"]:
        img = cv2.imread(os.path.join(d, im["file_name"]))[:, :, ::-1]
        t = time.time()
        maps[im["id"]] = (predict(model, img), img.shape[1], img.shape[0])
        t_total += time.time() - t
    return coco, maps, t_total / max(1, len(coco["images"]))


def eval_devset(coco, maps, t_img, thr, dump=None):
    by_img = {}
    for a in coco["annotations"]:
        by_img.setdefault(a["image_id"], []).append(a)
    rec = {}
    prec = {}
    preds = {}
    for im in coco["images"]:
        p, W, H = maps[im["id"]]
        comps = components(p, thr, W, H)
        anns = by_img.get(im["id"], [])
        plates = [a for a in anns if a["category_id"] == 2]
        sp = im["split"]
        for a in plates:
            x, y, w, h = a["bbox"]
            g = [x, y, x + w, y + h]
            hh = a.get("attributes", {}).get("plate_height_px", h)
            b = bucket(hh)
            r = rec.setdefault(sp, {}).setdefault(b, [0, 0])
            r[1] += 1
            if any(cover(cm, g) >= 0.9 for cm in comps):
                r[0] += 1
        pr = prec.setdefault(sp, {"components": 0, "fp": 0, "fp_on_face": 0, "images": 0})
        pr["images"] += 1
        for cm in comps:
            pr["components"] += 1
            gboxes = [[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                      for a in plates]
            if not any(cover(cm, g) > 0 for g in gboxes):
                pr["fp"] += 1
                fboxes = [[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                          for a in anns if a["category_id"] == 1]
                if any(cover(cm, g) > 0 for g in fboxes):
                    pr["fp_on_face"] += 1
        preds[im["file_name"]] = [[round(v, 1) for v in cm] for cm in comps]
    out = {"recall": {}, "precision": {}, "seconds_per_image_torch_1thread": t_img}
    for sp, bk in rec.items():
        f = sum(v[0] for v in bk.values()); n = sum(v[1] for v in bk.values())
        out["recall"][sp] = {"found": f, "total": n, "recall": f / max(1, n),
                             "by_height": {k: {"found": v[0], "total": v[1]} for k, v in sorted(bk.items())}}
    for sp, pr in prec.items():
        pr["precision"] = (pr["components"] - pr["fp"]) / max(1, pr["components"])
        out["precision"][sp] = pr
    allc = sum(p["components"] for p in prec.values()); allfp = sum(p["fp"] for p in prec.values())
    out["precision_all"] = (allc - allfp) / max(1, allc)
    if dump:
        json.dump(preds, open(dump, "w"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--val")
    ap.add_argument("--devset")
    ap.add_argument("--thr", type=float, nargs="+", default=[0.5])
    ap.add_argument("--json")
    ap.add_argument("--dump")
    args = ap.parse_args()
    model = PlateNet()
    model.load_state_dict(torch.load(args.ckpt, map_location="cpu")["model"])
    model.eval()
    res = {}
    vp = val_predictions(model, args.val) if args.val else None
    dp = devset_predictions(model, args.devset) if args.devset else None
    for thr in args.thr:
        r = {}
        if vp:
            r["val"] = eval_val(vp, thr)
        if dp:
            r["devset"] = eval_devset(*dp, thr, args.dump + f".{thr}" if args.dump else None)
        res[str(thr)] = r
        print(json.dumps({str(thr): r}), flush=True)
    if args.json:
        json.dump(res, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
