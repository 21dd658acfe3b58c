#!/usr/bin/python3
"""Train PlateNet (models/plates/net.py) on crops made by synth.py.

BCE (positive weight) + soft dice on the stride-4 mask, Adam, cosine LR over a wall-clock
budget, one CPU thread.  Crops are decoded once into RAM; each step takes random
stride-aligned 320x320 windows.  Writes a checkpoint every few minutes and at the end.

  /usr/bin/python3 models/plates/train.py --data .cache/plates-train --minutes 40 \
      --out .cache/plates-ckpt/plate_det_v1.pt
Fine-tuning (what made the committed model: v1 above, then 10 min on v1's crops plus the
hard-negative crops, synth.py --hard --seed 7352):
  /usr/bin/python3 models/plates/train.py --data .cache/plates-train .cache/plates-train-hard \
      --init .cache/plates-ckpt/plate_det_v1.pt --lr 5e-4 --minutes 10 --out .cache/plates-ckpt/plate_det.pt
"""
import argparse
import json
import math
import os
import time

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from net import PlateNet, n_params

torch.set_num_threads(1)


def load(data_dir):
    meta = json.load(open(os.path.join(data_dir, "meta.json")))
    imgs, masks = [], []
    for c in meta["crops"]:
        stem = os.path.splitext(c["file"])[0]
        im = cv2.imread(os.path.join(data_dir, stem + ".jpg"), cv2.IMREAD_COLOR)[:, :, ::-1]  # BGR -> RGB
        imgs.append(np.ascontiguousarray(im))
        masks.append(cv2.imread(os.path.join(data_dir, stem + ".png"), cv2.IMREAD_GRAYSCALE))
    return np.stack(imgs), np.stack(masks), meta


def batch(rng, imgs, masks, bs, crop):
    n, S = imgs.shape[0], imgs.shape[1]
    idx = rng.integers(0, n, bs)
    xs, ys = [], []
    c4 = crop // 4
    for i in idx:
        ox, oy = 4 * int(rng.integers(0, (S - crop) // 4 + 1)), 4 * int(rng.integers(0, (S - crop) // 4 + 1))
        xs.append(imgs[i, oy:oy + crop, ox:ox + crop])
        ys.append(masks[i, oy // 4:oy // 4 + c4, ox // 4:ox // 4 + c4])
    x = torch.from_numpy(np.stack(xs)).permute(0, 3, 1, 2).float() / 255.0
    y = torch.from_numpy(np.stack(ys)).float().unsqueeze(1) / 255.0
    return x, y


def loss_fn(logits, y, pos_weight):
    bce = F.binary_cross_entropy_with_logits(logits, y, pos_weight=torch.tensor(pos_weight))
    p = torch.sigmoid(logits)
    dice = 1 - (2 * (p * y).sum() + 1) / (p.sum() + y.sum() + 1)
    return bce + 0.5 * dice, bce.item(), dice.item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, nargs="+")
    ap.add_argument("--init", help="start from this checkpoint (fine-tuning)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=38)
    ap.add_argument("--bs", type=int, default=12)
    ap.add_argument("--crop", type=int, default=320)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--pos-weight", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=7351)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed + 1)
    t0 = time.time()
    parts = [load(d) for d in args.data]
    imgs = np.concatenate([p[0] for p in parts])
    masks = np.concatenate([p[1] for p in parts])
    print(f"loaded {len(imgs)} crops in {time.time() - t0:.0f}s; positive cell fraction "
          f"{(masks > 0).mean():.4f}", flush=True)
    model = PlateNet()
    if args.init:
        model.load_state_dict(torch.load(args.init, map_location="cpu")["model"])
    print(f"params {n_params(model)}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    budget = args.minutes * 60
    t_start = time.time()
    last_ckpt = t_start
    it, run = 0, []
    log = []

    def save():
        torch.save({"model": model.state_dict(), "iters": it, "seconds": time.time() - t_start,
                    "args": vars(args), "log": log}, args.out)

    while True:
        el = time.time() - t_start
        if el >= budget:
            break
        frac = el / budget
        warm = 1.0 if args.init else min(1.0, (it + 1) / 100)
        for g in opt.param_groups:
            g["lr"] = args.lr * warm * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * frac)))
        model.train()
        x, y = batch(rng, imgs, masks, args.bs, args.crop)
        loss, b, d = loss_fn(model.logits(x), y, args.pos_weight)
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.append((loss.item(), b, d))
        it += 1
        if it % 50 == 0:
            m = np.mean(run, axis=0)
            run = []
            rec = {"iter": it, "min": round(el / 60, 2), "loss": round(float(m[0]), 4), "bce": round(float(m[1]), 4),
                   "dice": round(float(m[2]), 4), "lr": round(opt.param_groups[0]["lr"], 6)}
            log.append(rec)
            print(json.dumps(rec), flush=True)
        if time.time() - last_ckpt > 300:
            save()
            last_ckpt = time.time()
    save()
    print(f"done: {it} iters, {(time.time() - t_start) / 60:.1f} min -> {args.out}", flush=True)


if __name__ == "__main__":
    main()
