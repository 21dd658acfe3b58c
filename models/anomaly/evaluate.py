"""Evaluate the flow and the baseline on the committed synthetic-defect set.

  /usr/bin/python3 models/anomaly/make_defects.py --seed 7 --out /tmp/anomaly_val   (validation set)
  /usr/bin/python3 models/anomaly/evaluate.py [--field /tmp/anomaly_flow/ckpt.pt]
        [--general /tmp/anomaly_general/ckpt.pt] [--val /tmp/anomaly_val]

Patches: the inspection grid (16x16, stride 8) of every 192x192 image.
Patch labels: anomalous if more than 25% of its pixels are in the defect mask, normal if none
are; patches with 0-25% overlap are left out (a boundary patch is neither clearly right nor
clearly wrong). Image labels: defect image vs clean image; image score = max patch score.
Metrics: AUROC (rank statistic, ties counted half) and precision at recall 0.8 (the precision
of the lowest threshold that finds at least 80% of the anomalous patches), pooled over all
images and per defect type (that type's anomalous patches against all normal patches).

Score rules (each a quantity, a normalisation, a sidedness and an optional 3x3 smoothing):
  quantity   nll  the field flow's per-patch NLL, bits/dim
             llr  nll_field - nll_general: how much less likely the patch is under the field flow
                  than under a flow of everyday photos (cancels the "simple patches are likely"
                  effect of pixel flows; Schirrmeister et al. 2020, Ren et al. 2019)
             base the baseline's Mahalanobis distance (baseline.py)
  norm       global  (v - training median) / training spread (1.4826 MAD)
             image   (v - this image's median) / max(this image's spread, 0.5 x training spread)
  sided      two: |d| (a far *more* likely patch, e.g. a flat dark hole, is unusual too); one: d
  smooth     mean over the 3x3 or 5x5 grid neighbourhood of the normalised score (or none)
Every rule's validation-set patch AUROC is computed; for the flow and for the baseline the rule
with the best validation AUROC is the one reported on the committed test set (no test-set
selection). Writes eval_results.json and calibration.json (what export.py embeds).
"""
import argparse
import itertools
import json
import os

import cv2
import numpy as np
import torch

from baseline import GaussianBaseline
from data import HERE, PATCH, STRIDE, grid_patches, training_patches
from model import PatchFlow

POS_FRAC = 0.25
RECALL = 0.8
THRESHOLD_QUANTILE = 0.999
SCALE_FLOOR = 0.5   # the Java ScoreRule.SCALE_FLOOR


def auroc(pos, neg):
    s = np.concatenate([pos, neg])
    order = s.argsort(kind="mergesort")
    ranks = np.empty(len(s))
    ranks[order] = np.arange(1, len(s) + 1)
    ss = s[order]
    i = 0
    while i < len(ss):   # ties share their average rank
        j = i
        while j + 1 < len(ss) and ss[j + 1] == ss[i]:
            j += 1
        if j > i:
            ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def precision_at_recall(pos, neg, recall=RECALL):
    thr = np.sort(pos)[::-1][int(np.ceil(recall * len(pos))) - 1]   # lowest threshold reaching the recall
    tp = (pos >= thr).sum()
    fp = (neg >= thr).sum()
    return float(tp / (tp + fp))


def load_flow(path):
    ck = torch.load(path, map_location="cpu")
    m = PatchFlow()
    m.load_state_dict(ck["model"])
    m.eval()
    return m, ck


@torch.no_grad()
def flow_nll(model, patches, batch=1024):
    return np.concatenate([model.nll_bpd(torch.from_numpy(patches[i:i + batch])).numpy()
                           for i in range(0, len(patches), batch)])


def load_defect_set(folder):
    meta = json.load(open(os.path.join(folder, "defects.json")))
    out = []
    for it in meta["items"]:
        img = cv2.cvtColor(cv2.imread(os.path.join(folder, it["file"])), cv2.COLOR_BGR2RGB)
        mask = (cv2.imread(os.path.join(folder, it["mask"]), cv2.IMREAD_GRAYSCALE) > 127
                if "mask" in it else np.zeros(img.shape[:2], bool))
        p, corners = grid_patches(img)
        frac = np.array([mask[y:y + PATCH, x:x + PATCH].mean() for y, x in corners])
        shape = (len(range(0, img.shape[0] - PATCH + 1, STRIDE)), len(range(0, img.shape[1] - PATCH + 1, STRIDE)))
        out.append({"item": it, "patches": p, "frac": frac, "shape": shape})
    return meta, out


def box_mean(v, shape, k):
    """Mean over the k x k grid neighbourhood (edges: over the neighbours that exist)."""
    g = v.reshape(shape).astype(np.float64)
    s = cv2.boxFilter(g, -1, (k, k), normalize=False, borderType=cv2.BORDER_CONSTANT)
    n = cv2.boxFilter(np.ones_like(g), -1, (k, k), normalize=False, borderType=cv2.BORDER_CONSTANT)
    return (s / n).reshape(-1)


def apply_rule(values, shape, rule, centre, scale):
    _, norm, sided, smooth = rule
    if norm == "image":
        centre = np.median(values)
        scale = max(1.4826 * np.median(np.abs(values - centre)), SCALE_FLOOR * scale)
    d = (values - centre) / scale
    d = np.abs(d) if sided == "two" else d
    return d if smooth == "none" else box_mean(d, shape, int(smooth[-1]))


def metrics(scores, items):
    pos_all, neg_all, per_type, img_pos, img_neg = [], [], {}, [], []
    for e, s in zip(items, scores):
        pos, neg = s[e["frac"] > POS_FRAC], s[e["frac"] == 0]
        pos_all.append(pos)
        neg_all.append(neg)
        per_type.setdefault(e["item"]["type"], []).append(pos)
        (img_neg if e["item"]["type"] == "clean" else img_pos).append(s.max())
    pos, neg = np.concatenate(pos_all), np.concatenate(neg_all)
    res = {"patch_auroc": auroc(pos, neg), f"patch_precision_at_recall_{RECALL}": precision_at_recall(pos, neg),
           "image_auroc": auroc(np.array(img_pos), np.array(img_neg)),
           "anomalous_patches": int(len(pos)), "normal_patches": int(len(neg)), "per_type": {}}
    for t, ps in per_type.items():
        if t != "clean":
            p = np.concatenate(ps)
            res["per_type"][t] = {"patch_auroc": auroc(p, neg), f"patch_precision_at_recall_{RECALL}":
                                  precision_at_recall(p, neg), "anomalous_patches": int(len(p))}
    for role in ("heldout", "unseen"):
        sel = [i for i, e in enumerate(items) if e["item"]["role"] == role]
        p = np.concatenate([scores[i][items[i]["frac"] > POS_FRAC] for i in sel])
        n = np.concatenate([scores[i][items[i]["frac"] == 0] for i in sel])
        res[f"patch_auroc_{role}_only"] = auroc(p, n)
    return res


def rule_key(rule):
    return "-".join(rule)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--field", default="/tmp/anomaly_flow/ckpt.pt")
    ap.add_argument("--general", default="/tmp/anomaly_general/ckpt.pt")
    ap.add_argument("--val", default="/tmp/anomaly_val")
    args = ap.parse_args()
    torch.set_num_threads(1)
    field, ck_f = load_flow(args.field)
    general, ck_g = load_flow(args.general)
    base = None
    train = training_patches()

    def quantities(patches):
        nf = flow_nll(field, patches)
        return {"nll": nf, "llr": nf - flow_nll(general, patches), "base": np.sqrt(base.score(patches))}

    base = GaussianBaseline().fit(train)
    tq = quantities(train)
    stats = {}
    for q, v in tq.items():
        med = float(np.median(v))
        stats[q] = (med, float(1.4826 * np.median(np.abs(v - med))))

    meta, test = load_defect_set(os.path.join(HERE, "defects"))
    _, val = load_defect_set(args.val)
    for e in test + val:
        e["q"] = quantities(e["patches"])

    rules = [r for r in itertools.product(["nll", "llr", "base"], ["global", "image"], ["two", "one"],
                                          ["none", "smooth3", "smooth5"])]
    table = {}
    for rule in rules:
        c, s = stats[rule[0]]
        sc_val = [apply_rule(e["q"][rule[0]], e["shape"], rule, c, s) for e in val]
        sc_test = [apply_rule(e["q"][rule[0]], e["shape"], rule, c, s) for e in test]
        table[rule_key(rule)] = {"validation": metrics(sc_val, val), "test": metrics(sc_test, test)}
    flow_rules = [r for r in rules if r[0] != "base"]
    base_rules = [r for r in rules if r[0] == "base"]
    best_flow = max(flow_rules, key=lambda r: table[rule_key(r)]["validation"]["patch_auroc"])
    best_base = max(base_rules, key=lambda r: table[rule_key(r)]["validation"]["patch_auroc"])

    c, s = stats[best_flow[0]]
    # The threshold: the 0.999 quantile of the rule's scores over the clean validation images
    # (training patches cannot stand in for the image rule, which needs whole images).
    clean_val = np.concatenate([apply_rule(e["q"][best_flow[0]], e["shape"], best_flow, c, s)
                                for e in val if e["item"]["type"] == "clean"])
    threshold = float(np.quantile(clean_val, THRESHOLD_QUANTILE))
    clean_test = np.concatenate([apply_rule(e["q"][best_flow[0]], e["shape"], best_flow, c, s)
                                 for e in test if e["item"]["type"] == "clean"])
    defect_test_pos = np.concatenate([apply_rule(e["q"][best_flow[0]], e["shape"], best_flow, c, s)[e["frac"] > POS_FRAC]
                                      for e in test if e["item"]["type"] != "clean"])
    cal = {"quantity": best_flow[0], "norm": best_flow[1], "sided": best_flow[2], "smooth": best_flow[3],
           "score_rule": rule_key(best_flow), "centre": c, "scale": s,
           "nll_median_bpd": stats["nll"][0], "nll_scale_bpd": stats["nll"][1],
           "llr_median_bpd": stats["llr"][0], "llr_scale_bpd": stats["llr"][1], "threshold": threshold,
           "threshold_rule": f"{THRESHOLD_QUANTILE} quantile of the rule's patch scores on the clean validation images"}
    results = {
        "defect_set_sha256": meta["sha256_of_files"], "images": len(test), "validation_images": len(val),
        "patch": PATCH, "stride": STRIDE, "positive_if_mask_fraction_over": POS_FRAC,
        "field_flow": {"steps": ck_f["step"], "train_minutes": round(ck_f["elapsed_min"], 2),
                       "train_bpd_ema": ck_f["bpd_ema"]},
        "general_flow": {"steps": ck_g["step"], "train_minutes": round(ck_g["elapsed_min"], 2),
                         "train_bpd_ema": ck_g["bpd_ema"]},
        "train_patches": int(len(train)),
        "selected": {"flow": rule_key(best_flow), "baseline": rule_key(best_base)},
        "flow": table[rule_key(best_flow)]["test"], "baseline": table[rule_key(best_base)]["test"],
        "threshold_on_test": {"clean_patch_flag_rate": float(np.mean(clean_test > threshold)),
                              "defect_patch_recall": float(np.mean(defect_test_pos > threshold))},
        "calibration": cal, "all_rules": table}
    json.dump(results, open(os.path.join(HERE, "eval_results.json"), "w"), indent=1)
    json.dump(cal, open(os.path.join(HERE, "calibration.json"), "w"), indent=1)
    print(f"{'rule':28s} {'val AUROC':>9s} {'test AUROC':>10s} {'test P@R.8':>10s} {'test img':>8s}")
    for rule in rules:
        v, t = table[rule_key(rule)]["validation"], table[rule_key(rule)]["test"]
        print(f"{rule_key(rule):28s} {v['patch_auroc']:9.4f} {t['patch_auroc']:10.4f} "
              f"{t[f'patch_precision_at_recall_{RECALL}']:10.4f} {t['image_auroc']:8.4f}  " +
              " ".join(f"{k}:{x['patch_auroc']:.3f}" for k, x in t["per_type"].items()))
    print(f"selected flow {rule_key(best_flow)}, baseline {rule_key(best_base)}")
    print(f"threshold {threshold:.3f}: {results['threshold_on_test']}")


if __name__ == "__main__":
    main()
