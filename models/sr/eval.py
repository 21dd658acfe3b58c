"""Evaluate x2 SR on the held-out test photos (models/sr/split.txt, 12 photos).

  /usr/bin/python3 models/sr/eval.py --model flow --ckpt /tmp/sr_flow/ckpt.pt
  /usr/bin/python3 models/sr/eval.py --model cnn  --ckpt /tmp/sr_cnn/ckpt.pt

Protocol: HR = photo resized (PIL LANCZOS) to long side 1024, cropped to even size;
LR = PIL Image.BICUBIC downscale x1/2.  Model output is clamped to [0,1] and rounded to
8 bits.  PSNR on Y (BT.601: Y = 16 + 65.481 R + 128.553 G + 24.966 B, RGB in [0,1], so
Y in [16,235], peak 255), 2-pixel border cropped; SSIM (Wang et al. 2004: 11x11 Gaussian
window, sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255) on the same cropped Y.
Baseline = PIL Image.BICUBIC upscale of LR.  The flow is evaluated at temperature 0 (z = 0).
Prints JSON: psnr_y, ssim, bicubic_psnr_y, bicubic_ssim, params, per_image.
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
from srdata import load_set  # noqa: E402
from srmodels import FlowSR, CNNSR, count_params  # noqa: E402

BORDER = 2


def rgb_to_y(img_u8):
    x = img_u8.astype(np.float64) / 255.0
    return 16.0 + 65.481 * x[..., 0] + 128.553 * x[..., 1] + 24.966 * x[..., 2]


def psnr_y(a, b):
    ya, yb = rgb_to_y(a)[BORDER:-BORDER, BORDER:-BORDER], rgb_to_y(b)[BORDER:-BORDER, BORDER:-BORDER]
    mse = np.mean((ya - yb) ** 2)
    return 10 * np.log10(255.0 ** 2 / mse)


def _gauss(size=11, sigma=1.5):
    g = np.exp(-((np.arange(size) - size // 2) ** 2) / (2 * sigma ** 2))
    g = g / g.sum()
    return torch.tensor(np.outer(g, g))[None, None]


def ssim_y(a, b):
    ya = torch.tensor(rgb_to_y(a)[BORDER:-BORDER, BORDER:-BORDER])[None, None]
    yb = torch.tensor(rgb_to_y(b)[BORDER:-BORDER, BORDER:-BORDER])[None, None]
    w = _gauss()
    C1, C2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu1, mu2 = F.conv2d(ya, w), F.conv2d(yb, w)
    s11 = F.conv2d(ya * ya, w) - mu1 ** 2
    s22 = F.conv2d(yb * yb, w) - mu2 ** 2
    s12 = F.conv2d(ya * yb, w) - mu1 * mu2
    m = ((2 * mu1 * mu2 + C1) * (2 * s12 + C2)) / ((mu1 ** 2 + mu2 ** 2 + C1) * (s11 + s22 + C2))
    return float(m.mean())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["flow", "cnn", "bicubic"], default="flow")
    ap.add_argument("--ckpt", default=None)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model, params, ck = None, 0, {}
    if args.model != "bicubic":
        model = FlowSR() if args.model == "flow" else CNNSR()
        ck = torch.load(args.ckpt or f"/tmp/sr_{args.model}/ckpt.pt", map_location="cpu")
        model.load_state_dict(ck["model"])
        model.eval()
        params = count_params(model)
    per, t0 = [], time.time()
    for name, _, hr, lr in load_set("test", (1024,)):
        bic = np.asarray(Image.fromarray(lr).resize((hr.shape[1], hr.shape[0]), Image.BICUBIC))
        r = {"image": name, "size": [hr.shape[1], hr.shape[0]],
             "bicubic_psnr_y": psnr_y(bic, hr), "bicubic_ssim": ssim_y(bic, hr)}
        if model is not None:
            x = torch.from_numpy(lr.copy()).permute(2, 0, 1)[None].float() / 255.0
            with torch.no_grad():
                y = model.sample(x, 0.0) if args.model == "flow" else model(x)
            out = (torch.clamp(y, 0, 1)[0].permute(1, 2, 0).numpy() * 255.0).round().astype(np.uint8)
            r["psnr_y"], r["ssim"] = psnr_y(out, hr), ssim_y(out, hr)
        per.append(r)
    res = {"model": args.model, "params": params, "n_images": len(per),
           "bicubic_psnr_y": float(np.mean([r["bicubic_psnr_y"] for r in per])),
           "bicubic_ssim": float(np.mean([r["bicubic_ssim"] for r in per]))}
    if model is not None:
        res["psnr_y"] = float(np.mean([r["psnr_y"] for r in per]))
        res["ssim"] = float(np.mean([r["ssim"] for r in per]))
        res["gain_over_bicubic_db"] = res["psnr_y"] - res["bicubic_psnr_y"]
        res["train_steps"] = ck.get("step")
        res["train_minutes"] = ck.get("elapsed_min")
    res["eval_seconds"] = round(time.time() - t0, 1)
    res["per_image"] = per
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
