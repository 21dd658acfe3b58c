"""Train PatchFlow by maximum likelihood on the training patches (data.py, regions.tsv).

  /usr/bin/python3 models/anomaly/train.py [--minutes 11] [--out /tmp/anomaly_flow/ckpt.pt]
  /usr/bin/python3 models/anomaly/train.py --role general --stride 16 --out /tmp/anomaly_general/ckpt.pt

--role train: the field flow (healthy vegetation / field texture, regions.tsv "train");
--role general: the general flow on everyday photos ("general"), the likelihood the field
flow's is compared with (model.py LikelihoodRatio).

One CPU thread; seeded; augmentation: 8 dihedral transforms and uniform dequantisation noise.
Adam, cosine learning rate, gradient-norm clipping, non-finite steps skipped.

Experiments (MODEL_CARD.md "What not to trust it for"; not what the shipped file was trained with):
--bright LO HI [--gain G] adds photometric augmentation (each patch's brightness x U(LO, HI),
each channel x U(1-G, 1+G), re-quantised to 8 bits); --init CKPT continues from a checkpoint's
weights (e.g. --init /tmp/anomaly_flow/ckpt.pt --lr 5e-4 --bright 0.35 1.2 --gain 0.1).
"""
import argparse
import math
import os
import time

import numpy as np
import torch

from data import training_patches
from model import PatchFlow, count_params


def dihedral(x, k):
    x = torch.rot90(x, k % 4, (2, 3))
    return x.flip(3) if k >= 4 else x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=11.0)
    ap.add_argument("--batch", type=int, default=96)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--out", default="/tmp/anomaly_flow/ckpt.pt")
    ap.add_argument("--role", default="train", choices=["train", "general"])
    ap.add_argument("--stride", type=int, default=8)
    ap.add_argument("--init", default=None, help="continue from this checkpoint's weights (fine-tuning)")
    ap.add_argument("--bright", type=float, nargs=2, default=None, metavar=("LO", "HI"),
                    help="photometric augmentation: each patch's brightness x U(LO, HI) and each channel "
                         "x U(1 - gain, 1 + gain), re-quantised to 8 bits (an unseen field may be darker)")
    ap.add_argument("--gain", type=float, default=0.0)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    data = torch.from_numpy(training_patches(args.role, args.stride))
    print(f"training patches {tuple(data.shape)}", flush=True)
    model = PatchFlow()
    if args.init:   # ActNorm's "initialized" buffer comes with the weights: no data init then
        model.load_state_dict(torch.load(args.init, map_location="cpu")["model"])
    print(f"params {count_params(model)}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    model.train()
    with torch.no_grad():   # ActNorm data-dependent init on one large batch
        model.nll_bpd(data[torch.from_numpy(rng.choice(len(data), 512, replace=False))])
    t0 = time.time()
    budget = args.minutes * 60
    step, skipped, ema = 0, 0, None
    while time.time() - t0 < budget:
        frac = (time.time() - t0) / budget
        for g in opt.param_groups:
            g["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * frac))
        idx = torch.from_numpy(rng.choice(len(data), args.batch, replace=False))
        x = dihedral(data[idx], int(rng.integers(8)))
        if args.bright:
            f = torch.from_numpy(rng.uniform(*args.bright, (len(x), 1, 1, 1)) *
                                 rng.uniform(1 - args.gain, 1 + args.gain, (len(x), 3, 1, 1))).float()
            x = torch.floor((x * f * 255.0).clamp(0, 255) + 0.5) / 255.0
        x = (x * 255.0 + torch.rand_like(x)) / 256.0
        loss = model.nll_bpd(x).mean()
        opt.zero_grad()
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        if not torch.isfinite(loss) or not torch.isfinite(gn):
            skipped += 1
            continue
        opt.step()
        step += 1
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        if step % 100 == 0:
            print(f"step {step} {time.time() - t0:.0f}s bpd(ema) {ema:.3f} skipped {skipped}", flush=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save({"model": model.state_dict(), "step": step, "skipped": skipped, "bpd_ema": ema,
                "elapsed_min": (time.time() - t0) / 60, "seed": args.seed, "batch": args.batch,
                "role": args.role, "init": args.init, "bright": args.bright,
                "gain": args.gain, "lr": args.lr}, args.out)
    print(f"saved {args.out} after {step} steps ({skipped} skipped), bpd(ema) {ema:.3f}")


if __name__ == "__main__":
    main()
