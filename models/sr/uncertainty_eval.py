"""Does the flow's sample spread say where its temperature-0 output is wrong?

  SR_PHOTOS=/tmp/sr_photos/photos /usr/bin/python3 models/sr/uncertainty_eval.py [--k 8] [--out models/sr/uncertainty_results.json]

Model: the pinned affine_stablesr_x2.onnx, rebuilt in torch by flow_from_onnx.py (the same
weights as affine_stablesr_x2_sampler.onnx, which the agent runs).
Data: srdata.py's protocol (HR long side 1024 for test, LR = PIL BICUBIC x1/2); 2-pixel border
cropped as in eval.py.
Uncertainty = per-pixel standard deviation on Y (BT.601, Y in [16,235] units) of K samples
decoded from z ~ N(0, tau^2 I) (output clamped to [0,1], not rounded, like the agent's map).
Error = |Y(temperature-0 output rounded to 8 bits) - Y(HR)|.
Baselines: (a) Sobel gradient magnitude of Y of the PIL bicubic upscale; (b) |Y(SR_0) - Y(bicubic)|,
how much the model changed the bicubic image.
Spearman rank correlation (average ranks for ties) per image, then the mean over images; also
pooled over every 4th test pixel. Chosen on TRAIN photos only (first 8 of the train split, long
side 768, K = 8): tau (0.5, 0.8, 1.2) and the side of a box filter over the spread map (1 = raw,
3, 5, 9) by the highest mean Spearman, and, separately, the box side for the gradient baseline.
The test split is then scored once with those choices, and also at K = 2, 4, 8, 16 (same tau and
window) to show the estimator's noise. Calibration: pooled test pixels split into deciles of each
score; mean, median and 90th-percentile |error| per decile.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from eval import psnr_y, rgb_to_y, BORDER  # noqa: E402
from flow_from_onnx import load_flow_from_onnx  # noqa: E402
from srdata import load_set, read_split, make_pair, PHOTOS  # noqa: E402


def rankdata(a):
    a = np.ravel(a)
    sorter = np.argsort(a, kind="mergesort")
    inv = np.empty(sorter.size, dtype=np.intp)
    inv[sorter] = np.arange(sorter.size)
    s = a[sorter]
    obs = np.r_[True, s[1:] != s[:-1]]
    dense = obs.cumsum()[inv]
    count = np.r_[np.nonzero(obs)[0], len(obs)]
    return 0.5 * (count[dense] + count[dense - 1] + 1)


def spearman(a, b):
    ra, rb = rankdata(a), rankdata(b)
    ra -= ra.mean()
    rb -= rb.mean()
    return float((ra * rb).sum() / np.sqrt((ra * ra).sum() * (rb * rb).sum()))


def crop(a):
    return a[BORDER:-BORDER, BORDER:-BORDER]


def y_of(t):
    """[1,3,H,W] torch in [0,1] -> Y [H,W] float64 in [16,235] units."""
    x = t[0].double().numpy()
    return 16.0 + 65.481 * x[0] + 128.553 * x[1] + 24.966 * x[2]


def sobel_mag(y):
    t = torch.from_numpy(y)[None, None]
    kx = torch.tensor([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=t.dtype)[None, None]
    p = F.pad(t, (1, 1, 1, 1), mode="replicate")
    gx, gy = F.conv2d(p, kx), F.conv2d(p, kx.transpose(2, 3))
    return torch.sqrt(gx ** 2 + gy ** 2)[0, 0].numpy()


def temperature0(model, hr, lr):
    """The published output and its error, full size: LR tensor x, condition features feat,
    z shape, 8-bit output out8, |Y(out8) - Y(HR)| err, and the PIL bicubic enlargement bic."""
    x = torch.from_numpy(lr.copy()).permute(2, 0, 1)[None].float() / 255.0
    bic = np.asarray(Image.fromarray(lr).resize((hr.shape[1], hr.shape[0]), Image.BICUBIC))
    with torch.no_grad():
        feat = model.cond(x)
        zshape = (1, 12, x.shape[2], x.shape[3])
        sr0 = torch.clamp(model.decode(torch.zeros(zshape), x, feat), 0, 1)
    out8 = (sr0[0].permute(1, 2, 0).numpy() * 255.0).round().astype(np.uint8)
    return x, feat, zshape, out8, np.abs(rgb_to_y(out8) - rgb_to_y(hr)), bic


def scores(model, hr, lr, k_max, tau, seed):
    """Per-image maps (border cropped): error, flow std for K in 2,4,..,k_max, both baselines."""
    x, feat, zshape, out8, err, bic = temperature0(model, hr, lr)
    with torch.no_grad():
        g = torch.Generator().manual_seed(seed)
        s1 = np.zeros(err.shape)
        s2 = np.zeros(err.shape)
        stds = {}
        for k in range(1, k_max + 1):
            z = torch.randn(zshape, generator=g) * tau
            yk = y_of(torch.clamp(model.decode(z, x, feat), 0, 1))
            s1 += yk
            s2 += yk * yk
            if k >= 2 and (k & (k - 1)) == 0:
                stds[k] = crop(np.sqrt(np.maximum(s2 / k - (s1 / k) ** 2, 0.0)))
    grad = sobel_mag(rgb_to_y(bic))
    change = np.abs(rgb_to_y(out8) - rgb_to_y(bic))
    return {"err": crop(err), "std": stds, "grad": crop(grad), "change": crop(change),
            "psnr_y": psnr_y(out8, hr)}


def box(m, win):
    """Mean over a win x win window (replicate borders): the spread and the baselines are noisy per
    pixel, so a local average is one of the choices tuned on the train split."""
    if win == 1:
        return m
    t = torch.from_numpy(np.ascontiguousarray(m))[None, None]
    t = F.pad(t, (win // 2,) * 4, mode="replicate")
    return F.avg_pool2d(t, win, stride=1)[0, 0].numpy()


def deciles(score, err):
    edges = np.quantile(score, np.linspace(0, 1, 11))
    # rank-based bins so ties (e.g. many zero-gradient pixels) still split into ten equal parts
    r = rankdata(score)
    b = np.minimum((r - 1) * 10 // len(r), 9).astype(int)
    rows = []
    for d in range(10):
        e = err[b == d]
        rows.append({"decile": d + 1, "score_lo": float(score[b == d].min()), "score_hi": float(score[b == d].max()),
                     "n": int(e.size), "mean_abs_err": float(e.mean()), "median_abs_err": float(np.median(e)),
                     "p90_abs_err": float(np.quantile(e, 0.9))})
    return {"edges": [float(v) for v in edges], "rows": rows}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, default=8)
    ap.add_argument("--k-max", type=int, default=16)
    ap.add_argument("--taus", default="0.5,0.8,1.2")
    ap.add_argument("--windows", default="1,3,5,9", help="box-filter sides tried on train (1 = raw)")
    ap.add_argument("--train-photos", type=int, default=8, help="first N train photos (long side 768) for tau")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(HERE, "uncertainty_results.json"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    t_start = time.time()
    model = load_flow_from_onnx()
    res = {"model": "affine_stablesr_x2.onnx (sampling graph affine_stablesr_x2_sampler.onnx)",
           "k": args.k, "seed": args.seed, "y_units": "BT.601 Y in [16,235]", "border_cropped": BORDER}

    # 1. tau on the train split only
    tune = []
    names = read_split("train")[:args.train_photos]
    pairs = [(n,) + make_pair(os.path.join(PHOTOS, n), 768) for n in names]
    windows = [int(w) for w in args.windows.split(",")]
    grad_rows = {w: [] for w in windows}
    for ti, tau in enumerate(float(t) for t in args.taus.split(",")):
        rhos = {w: [] for w in windows}
        for i, (n, hr, lr) in enumerate(pairs):
            s = scores(model, hr, lr, args.k, tau, args.seed + i)
            for w in windows:
                rhos[w].append(spearman(box(s["std"][args.k], w), s["err"]))
                if ti == 0:
                    grad_rows[w].append(spearman(box(s["grad"], w), s["err"]))
        for w in windows:
            tune.append({"tau": tau, "window": w, "mean_spearman_flow": float(np.mean(rhos[w]))})
            print(json.dumps(tune[-1]), flush=True)
    best = max(tune, key=lambda r: r["mean_spearman_flow"])
    tau, win = best["tau"], best["window"]
    grad_tune = [{"window": w, "mean_spearman_grad": float(np.mean(grad_rows[w]))} for w in windows]
    gwin = max(grad_tune, key=lambda r: r["mean_spearman_grad"])["window"]
    print(json.dumps(grad_tune), flush=True)
    res["tuning_train"] = {"photos": names, "long_side": 768, "k": args.k, "flow_rows": tune,
                           "grad_rows": grad_tune, "chosen_tau": tau, "chosen_window_flow": win,
                           "chosen_window_grad": gwin}
    res["tau"], res["window_flow"], res["window_grad"] = tau, win, gwin

    # 2. test split, scored once at the chosen tau
    per, pooled = [], {"err": [], "grad": [], "change": [], **{f"std{k}": [] for k in (2, 4, 8, 16) if k <= args.k_max}}
    for i, (name, _, hr, lr) in enumerate(load_set("test", (1024,))):
        s = scores(model, hr, lr, args.k_max, tau, 1000 + args.seed + i)
        raw_std = s["std"][args.k]
        s["grad"] = box(s["grad"], gwin)
        s["std"] = {k: box(m, win) for k, m in s["std"].items()}
        r = {"image": name, "size": [hr.shape[1], hr.shape[0]], "psnr_y_z0": s["psnr_y"],
             "mean_abs_err": float(s["err"].mean()),
             "spearman_grad": spearman(s["grad"], s["err"]), "spearman_change": spearman(s["change"], s["err"]),
             f"spearman_flow_k{args.k}_raw": spearman(raw_std, s["err"])}
        for k, m in s["std"].items():
            r[f"spearman_flow_k{k}"] = spearman(m, s["err"])
            r[f"mean_std_k{k}"] = float(m.mean())
        per.append(r)
        print(json.dumps(r), flush=True)
        # pooled: every 4th pixel of every image keeps the sort affordable
        for key, m in (("err", s["err"]), ("grad", s["grad"]), ("change", s["change"])):
            pooled[key].append(m.ravel()[::4])
        for k, m in s["std"].items():
            pooled[f"std{k}"].append(m.ravel()[::4])
    pooled = {k: np.concatenate(v) for k, v in pooled.items()}
    summ = {"n_images": len(per), "psnr_y_z0": float(np.mean([r["psnr_y_z0"] for r in per])),
            "mean_spearman_grad": float(np.mean([r["spearman_grad"] for r in per])),
            "mean_spearman_change": float(np.mean([r["spearman_change"] for r in per])),
            "pooled_pixels": int(pooled["err"].size),
            "pooled_spearman_grad": spearman(pooled["grad"], pooled["err"]),
            "pooled_spearman_change": spearman(pooled["change"], pooled["err"])}
    for k in (2, 4, 8, 16):
        if f"std{k}" in pooled:
            summ[f"mean_spearman_flow_k{k}"] = float(np.mean([r[f"spearman_flow_k{k}"] for r in per]))
            summ[f"pooled_spearman_flow_k{k}"] = spearman(pooled[f"std{k}"], pooled["err"])
            summ[f"mean_std_k{k}"] = float(np.mean(pooled[f"std{k}"]))
    summ[f"mean_spearman_flow_k{args.k}_raw"] = float(np.mean([r[f"spearman_flow_k{args.k}_raw"] for r in per]))
    summ["flow_minus_grad_mean_spearman"] = summ[f"mean_spearman_flow_k{args.k}"] - summ["mean_spearman_grad"]
    res["test"] = summ
    res["calibration"] = {f"flow_std_k{args.k}": deciles(pooled[f"std{args.k}"], pooled["err"]),
                          "bicubic_gradient": deciles(pooled["grad"], pooled["err"])}
    res["per_image"] = per
    res["seconds"] = round(time.time() - t_start, 1)
    with open(args.out, "w") as f:
        json.dump(res, f, indent=1)
    print(json.dumps(summ, indent=1))


if __name__ == "__main__":
    main()
