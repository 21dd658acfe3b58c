"""Evaluate the flow and the baseline on the committed synthetic-defect set.

  /usr/bin/python3 models/anomaly/make_defects.py --seed 7 --out /tmp/anomaly_val   (validation set)
  /usr/bin/python3 models/anomaly/make_defects.py --seed 11 --out /tmp/anomaly_val2  (confirmation set)
  /usr/bin/python3 models/anomaly/evaluate.py [--field /tmp/anomaly_flow/ckpt.pt]
        [--general /tmp/anomaly_general/ckpt.pt] [--val /tmp/anomaly_val] [--confirm /tmp/anomaly_val2]

Patches: the inspection grid (16x16, stride 8) of every 192x192 image.
Patch labels: anomalous if more than 25% of its pixels are in the defect mask, normal if none
are; patches with 0-25% overlap are left out (a boundary patch is neither clearly right nor
clearly wrong). Image labels: defect image vs clean image; image score = max patch score.
Metrics: AUROC (rank statistic, ties counted half) and precision at recall 0.8 (the precision
of the lowest threshold that finds at least 80% of the anomalous patches), pooled over all
images and per defect type (that type's anomalous patches against all normal patches).

Score rules. A rule is one or two weighted terms plus a smoothing, written
`term[+w*term]:smooth`, e.g. `llr-image-one+0.25*nll-global-two:smooth5`. A term is
quantity-norm-sided:
  quantity   nll  the field flow's per-patch NLL, bits/dim
             llr  nll_field - nll_general: how much less likely the patch is under the field flow
                  than under a flow of everyday photos (cancels the "simple patches are likely"
                  effect of pixel flows; Schirrmeister et al. 2020, Ren et al. 2019)
             gen  the general flow's NLL (nll - llr)
             base the baseline's Mahalanobis distance (baseline.py; baseline rules only)
             self the patch statistics' robust Mahalanobis distance from the patch's own image
                  (baseline.py image_referenced_distance, square root); needs no training data
                  (on the training patches, pooled as one image, it only sets the floor of the
                  image norm's spread)
  norm       global  (v - training median) / training spread (1.4826 MAD)
             image   (v - this image's median) / max(this image's spread, 0.5 x training spread)
  sided      two: |d| (a far *more* likely patch, e.g. a flat dark hole, is unusual too); one: d
  smooth     none, smooth3 or smooth5: mean of the summed score over the k x k grid neighbourhood
Flow rules: every single term (nll/llr x norm x sided) and every pair of an llr term with a
weighted (0.25, 0.5, 1) nll or gen term, each with every smoothing. Hybrid rules: every llr term
plus a weighted (0.25, 0.5, 1, 2) self-image-one term, each with every smoothing. Baseline rules:
every single base or self term. Every rule's validation-set patch AUROC is computed; in each
family the rule with the best validation AUROC is the one reported on the committed test set
(no test-set selection), and the shipped rule is the better of the best flow and the best hybrid
rule on validation. Writes eval_results.json and calibration.json (what export.py embeds).
"""
import argparse
import itertools
import json
import os

import cv2
import numpy as np
import torch

from baseline import GaussianBaseline, features, image_referenced_distance
from data import HERE, PATCH, STRIDE, grid_patches, training_patches
from model import PatchFlow

POS_FRAC = 0.25
RECALL = 0.8
THRESHOLD_QUANTILE = 0.999
SCALE_FLOOR = 0.5   # the Java ScoreRule.SCALE_FLOOR


def auroc(pos, neg):
    """Mann-Whitney AUROC; tied scores share their average rank (count half)."""
    s = np.concatenate([pos, neg])
    order = s.argsort(kind="mergesort")
    _, first, count = np.unique(s[order], return_index=True, return_counts=True)
    ranks = np.empty(len(s))
    ranks[order] = np.repeat(first + (count + 1) / 2.0, count)
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
    """One term (quantity, norm, sided, smooth) on one image's values."""
    _, norm, sided, smooth = rule
    if norm == "image":
        centre = np.median(values)
        scale = max(1.4826 * np.median(np.abs(values - centre)), SCALE_FLOOR * scale)
    d = (values - centre) / scale
    d = np.abs(d) if sided == "two" else d
    return d if smooth == "none" else box_mean(d, shape, int(smooth[-1]))


def parse_rule(key):
    """`llr-image-one+0.25*nll-global-two:smooth5` -> ([(1.0, (q, norm, sided)), ...], smooth)."""
    terms, smooth = key.split(":")
    out = []
    for t in terms.split("+"):
        w, t = (float(t.split("*")[0]), t.split("*")[1]) if "*" in t else (1.0, t)
        out.append((w, tuple(t.split("-"))))
    return out, smooth


def score_image(e, key, stats):
    terms, smooth = parse_rule(key)
    total = sum(w * apply_rule(e["q"][t[0]], e["shape"], t + ("none",), *stats[t[0]]) for w, t in terms)
    return total if smooth == "none" else box_mean(total, e["shape"], int(smooth[-1]))


def rule_space():
    singles = ["-".join(t) for t in itertools.product(["nll", "llr"], ["global", "image"], ["two", "one"])]
    pairs = [f"{a}+{w}*{b}" for a in singles if a.startswith("llr")
             for b in ["-".join(t) for t in itertools.product(["nll", "gen"], ["global", "image"], ["two"])]
             for w in (0.25, 0.5, 1.0)]
    smooths = ["none", "smooth3", "smooth5"]
    flow = [f"{t}:{s}" for t in singles + pairs for s in smooths]
    hybrid = [f"{a}+{w}*self-image-one:{s}" for a in singles if a.startswith("llr")
              for w in (0.25, 0.5, 1.0, 2.0) for s in smooths]
    base = [f"{q}-{n}-{d}:{s}" for q in ("base", "self") for n in ("global", "image") for d in ("two", "one")
            for s in smooths]
    return flow, hybrid, base


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


def training_record(ck):
    """How a checkpoint was trained (train.py's options that change the weights)."""
    return {"steps": ck["step"], "train_minutes": round(ck["elapsed_min"], 2), "train_bpd_ema": ck["bpd_ema"],
            "seed": ck.get("seed"), "lr": ck.get("lr", 1e-3), "bright": ck.get("bright"), "gain": ck.get("gain", 0.0),
            "init": ck.get("init")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--field", default="/tmp/anomaly_flow/ckpt.pt")
    ap.add_argument("--general", default="/tmp/anomaly_general/ckpt.pt")
    ap.add_argument("--val", default="/tmp/anomaly_val")
    ap.add_argument("--confirm", help="a second, fresh validation set (make_defects.py --seed 11): the "
                    "selected rules are also scored on it, to see whether the choice holds")
    args = ap.parse_args()
    torch.set_num_threads(1)
    field, ck_f = load_flow(args.field)
    general, ck_g = load_flow(args.general)
    base = None
    train = training_patches()

    def quantities(patches):
        nf = flow_nll(field, patches)
        ng = flow_nll(general, patches)
        return {"nll": nf, "llr": nf - ng, "gen": ng, "base": np.sqrt(base.score(patches)),
                "self": np.sqrt(image_referenced_distance(features(patches)))}

    base = GaussianBaseline().fit(train)
    tq = quantities(train)
    stats = {}
    for q, v in tq.items():
        med = float(np.median(v))
        stats[q] = (med, float(1.4826 * np.median(np.abs(v - med))))

    meta, test = load_defect_set(os.path.join(HERE, "defects"))
    _, val = load_defect_set(args.val)
    confirm = load_defect_set(args.confirm)[1] if args.confirm else []
    for e in test + val + confirm:
        e["q"] = quantities(e["patches"])

    flow_rules, hybrid_rules, base_rules = rule_space()
    table = {}
    for key in flow_rules + hybrid_rules + base_rules:
        table[key] = {"validation": metrics([score_image(e, key, stats) for e in val], val),
                      "test": metrics([score_image(e, key, stats) for e in test], test)}

    def best(rules):
        return max(rules, key=lambda k: table[k]["validation"]["patch_auroc"])
    best_flow_only, best_hybrid, best_base = best(flow_rules), best(hybrid_rules), best(base_rules)
    best_flow = best([best_flow_only, best_hybrid])   # the shipped rule

    # The threshold: the 0.999 quantile of the rule's scores over the clean validation images
    # (training patches cannot stand in for the image-relative terms, which need whole images).
    clean_val = np.concatenate([score_image(e, best_flow, stats) for e in val if e["item"]["type"] == "clean"])
    threshold = float(np.quantile(clean_val, THRESHOLD_QUANTILE))
    clean_test = np.concatenate([score_image(e, best_flow, stats) for e in test if e["item"]["type"] == "clean"])
    defect_test_pos = np.concatenate([score_image(e, best_flow, stats)[e["frac"] > POS_FRAC]
                                      for e in test if e["item"]["type"] != "clean"])
    cal = {"score_rule": best_flow,
           "nll_median_bpd": stats["nll"][0], "nll_scale_bpd": stats["nll"][1],
           "llr_median_bpd": stats["llr"][0], "llr_scale_bpd": stats["llr"][1],
           "gen_median_bpd": stats["gen"][0], "gen_scale_bpd": stats["gen"][1],
           "self_median": stats["self"][0], "self_scale": stats["self"][1], "threshold": threshold,
           "threshold_rule": f"{THRESHOLD_QUANTILE} quantile of the rule's patch scores on the clean validation images"}
    results = {
        "defect_set_sha256": meta["sha256_of_files"], "images": len(test), "validation_images": len(val),
        "patch": PATCH, "stride": STRIDE, "positive_if_mask_fraction_over": POS_FRAC,
        "field_flow": training_record(ck_f), "general_flow": training_record(ck_g),
        "train_patches": int(len(train)),
        "selected": {"shipped": best_flow, "flow_only": best_flow_only, "hybrid": best_hybrid,
                     "baseline": best_base},
        "flow": table[best_flow]["test"], "flow_only": table[best_flow_only]["test"],
        "hybrid": table[best_hybrid]["test"], "baseline": table[best_base]["test"],
        "threshold_on_test": {"clean_patch_flag_rate": float(np.mean(clean_test > threshold)),
                              "defect_patch_recall": float(np.mean(defect_test_pos > threshold))},
        "calibration": cal, "all_rules": table}
    if confirm:
        results["confirmation_set"] = {"folder": args.confirm, "images": len(confirm), "selected": {
            k: metrics([score_image(e, r, stats) for e in confirm], confirm)
            for k, r in results["selected"].items()}}
    json.dump(results, open(os.path.join(HERE, "eval_results.json"), "w"), indent=1)
    json.dump(cal, open(os.path.join(HERE, "calibration.json"), "w"), indent=1)
    print(f"{'rule':44s} {'val AUROC':>9s} {'test AUROC':>10s} {'test P@R.8':>10s} {'test img':>8s}")
    for key in sorted(table, key=lambda k: -table[k]["validation"]["patch_auroc"]):
        v, t = table[key]["validation"], table[key]["test"]
        print(f"{key:44s} {v['patch_auroc']:9.4f} {t['patch_auroc']:10.4f} "
              f"{t[f'patch_precision_at_recall_{RECALL}']:10.4f} {t['image_auroc']:8.4f}  " +
              " ".join(f"{k}:{x['patch_auroc']:.3f}" for k, x in t["per_type"].items()))
    print(f"selected: shipped {best_flow}; flow only {best_flow_only}; hybrid {best_hybrid}; baseline {best_base}")
    print(f"threshold {threshold:.3f}: {results['threshold_on_test']}")


if __name__ == "__main__":
    main()
