#!/usr/bin/python3
"""PlateNet + the plate-or-not classifier on the project dev set (read only; nothing is trained
on it, it only informs the recommended threshold).

For every image: PlateNet map (torch checkpoint, evaluate.predict), candidates by
evaluate.components at --map-thr (Java's detect.plate_map_pixel_threshold, default 0.5), the
classifier on each candidate's context crop (cls_data.make_crop), kept when score >= t.

  recall     a GT plate (category 2) is found when one kept box covers >= 90% of it
             (the rule of evaluate.py), per split and plate-height bucket
  precision  kept boxes that overlap any GT box (face or plate) / all kept boxes;
             precision_plate counts only overlaps with GT plates (evaluate.py's rule)

  /usr/bin/python3 models/plates/cls_evaluate.py --devset .cache/devset \
      --cls .cache/plates-cls/plate_cls.pt --json .cache/plates-cls/devset.json
"""
import argparse
import json
import os

import cv2
import numpy as np
import torch

import cls_data as cd
from cls_train import PlateCls, predict

ev = cd.ev
torch.set_num_threads(1)
CLS_THRESHOLDS = (None, 0.3, 0.5, 0.7)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devset", required=True)
    ap.add_argument("--ckpt", default=os.path.join(cd.DEFAULT_ROOT, ".cache", "plates-ckpt", "plate_det.pt"))
    ap.add_argument("--cls", required=True)
    ap.add_argument("--map-thr", type=float, nargs="+", default=[0.5])
    ap.add_argument("--json")
    ap.add_argument("--limit", type=int, default=0, help="first N images only (smoke test)")
    args = ap.parse_args()
    det = cd.load_model(args.ckpt)
    cls = PlateCls()
    cls.load_state_dict(torch.load(args.cls, map_location="cpu")["model"])
    cls.eval()
    coco = json.load(open(os.path.join(args.devset, "annotations.json")))
    by_img = {}
    for a in coco["annotations"]:
        by_img.setdefault(a["image_id"], []).append(a)
    per_img = []
    for im in coco["images"][:args.limit or None]:
        img = cv2.imread(os.path.join(args.devset, im["file_name"]), cv2.IMREAD_COLOR)
        H, W = img.shape[:2]
        prob = ev.predict(det, img[:, :, ::-1])
        cands = {}
        for mt in args.map_thr:
            comps = ev.components(prob, mt, W, H)
            crops = [cd.make_crop(img, (c[0], c[1], c[2] - c[0], c[3] - c[1])) for c in comps]
            ok = [i for i, c in enumerate(crops) if c is not None]
            s = np.zeros(len(comps), np.float32)
            if ok:
                s[ok] = predict(cls, np.stack([crops[i] for i in ok]))
            cands[mt] = [(c[:4], float(si)) for c, si in zip(comps, s)]
        per_img.append((im, cands))
    res = {}
    for mt in args.map_thr:
        for ct in CLS_THRESHOLDS:
            key = f"map{mt}_cls{'none' if ct is None else ct}"
            rec, prec = {}, {}
            for im, cands in per_img:
                kept = [b for b, s in cands[mt] if ct is None or s >= ct]
                anns = by_img.get(im["id"], [])
                boxes = {k: [[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                             for a in anns if a["category_id"] == k] for k in (1, 2)}
                sp = im["split"]
                for a, g in zip([a for a in anns if a["category_id"] == 2], boxes[2]):
                    b = ev.bucket(a.get("attributes", {}).get("plate_height_px", a["bbox"][3]))
                    r = rec.setdefault(sp, {}).setdefault(b, [0, 0])
                    r[1] += 1
                    r[0] += int(any(ev.cover(k, g) >= 0.9 for k in kept))
                p = prec.setdefault(sp, {"kept": 0, "on_gt": 0, "on_plate": 0, "images": 0})
                p["images"] += 1
                for k in kept:
                    p["kept"] += 1
                    p["on_gt"] += int(any(ev.cover(k, g) > 0 for g in boxes[1] + boxes[2]))
                    p["on_plate"] += int(any(ev.cover(k, g) > 0 for g in boxes[2]))
            out = {"splits": {}}
            for sp in sorted(prec):
                bk = rec.get(sp, {})
                f = sum(v[0] for v in bk.values()); n = sum(v[1] for v in bk.values())
                p = prec[sp]
                out["splits"][sp] = {"recall": round(f / n, 4) if n else None, "found": f, "plates": n,
                                     "by_height": {k: f"{v[0]}/{v[1]}" for k, v in sorted(bk.items())},
                                     "precision": round(p["on_gt"] / max(1, p["kept"]), 4),
                                     "precision_plate": round(p["on_plate"] / max(1, p["kept"]), 4),
                                     "kept": p["kept"], "false_per_image": round((p["kept"] - p["on_gt"]) / p["images"], 3)}
            F = sum(v["found"] for v in out["splits"].values()); N = sum(v["plates"] for v in out["splits"].values())
            K = sum(prec[s]["kept"] for s in prec); G = sum(prec[s]["on_gt"] for s in prec)
            out["all"] = {"recall": round(F / max(1, N), 4), "precision": round(G / max(1, K), 4), "kept": K,
                          "false_per_image": round((K - G) / len(per_img), 3)}
            res[key] = out
            print(key, json.dumps(out["all"]), {s: (v["recall"], v["precision"], v["false_per_image"])
                                                for s, v in out["splits"].items()}, flush=True)
    if args.json:
        json.dump(res, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
