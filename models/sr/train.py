"""Train the x2 SR models on CPU with a wall-clock budget.

Exact commands used for the committed models (2-core CPU, both runs concurrently, 1 thread each;
issue 17 item 4, the equal-time comparison):
  /usr/bin/python3 models/sr/train.py --model flow --nll-batch 4 --minutes 50 --out /tmp/sr_flow_nll4
  /usr/bin/python3 models/sr/train.py --model cnn --minutes 50 --out /tmp/sr_cnn_rerun
then  /usr/bin/python3 models/sr/export.py --flow-ckpt /tmp/sr_flow_nll4/ckpt.pt --cnn-ckpt /tmp/sr_cnn_rerun/ckpt.pt
      /usr/bin/python3 models/sr/export_sampler.py && /usr/bin/python3 models/sr/pin_own_models.py
The models before them (replaced): the same two commands without --nll-batch
(--out /tmp/sr_flow, /tmp/sr_cnn).

Photos: models/sr/fetch_photos.sh (train split from models/sr/split.txt).
Continuation experiment (not the same-budget comparison):
  /usr/bin/python3 models/sr/train.py --model flow --minutes 25 --lr 1.5e-4 --resume /tmp/sr_flow/ckpt.pt --out /tmp/sr_flow_cont

Loss: flow = NLL (nats/dim, dequantised HR) + lam * MSE(temperature-0 output, HR);
      cnn  = MSE.  Adam, linear warm-up then cosine decay over the time budget, gradient-norm
      clipping, non-finite steps skipped.  A checkpoint is written every --ckpt-min minutes.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from srdata import load_set  # noqa: E402
from srmodels import FlowSR, CNNSR, count_params  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["flow", "cnn"], required=True)
    ap.add_argument("--minutes", type=float, default=55)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--patch", type=int, default=64, help="HR patch size")
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--lam", type=float, default=1e4, help="MSE weight for the flow")
    ap.add_argument("--nll-batch", type=int, default=None,
                    help="flow: take the NLL over this many samples of each batch (default: all); the MSE "
                         "always uses the whole batch")
    ap.add_argument("--clip", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ckpt-min", type=float, default=5.0)
    ap.add_argument("--resume", default=None, help="continue from a checkpoint's weights (fresh Adam state)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.RandomState(args.seed)
    os.makedirs(args.out, exist_ok=True)

    t0 = time.time()
    data = load_set("train", (768, 1152))
    hrs = [torch.from_numpy(p[2].copy()).permute(2, 0, 1).contiguous() for p in data]
    lrs = [torch.from_numpy(p[3].copy()).permute(2, 0, 1).contiguous() for p in data]
    areas = np.array([l.shape[1] * l.shape[2] for l in lrs], dtype=np.float64)
    probs = areas / areas.sum()
    print(f"loaded {len(data)} train images in {time.time() - t0:.1f}s", flush=True)

    model = FlowSR() if args.model == "flow" else CNNSR()
    nparam = count_params(model)
    prev_min, prev_steps = 0.0, 0
    if args.resume:
        ck = torch.load(args.resume, map_location="cpu")
        model.load_state_dict(ck["model"])
        prev_min, prev_steps = ck.get("elapsed_min", 0.0) + ck.get("prev_min", 0.0), ck.get("step", 0) + ck.get("prev_steps", 0)
        print(f"resumed from {args.resume}: {prev_steps} steps, {prev_min:.1f} min before", flush=True)
    print(f"model {args.model} params {nparam}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    lp = args.patch // 2

    def batch():
        H, L = [], []
        for _ in range(args.batch):
            i = rng.choice(len(lrs), p=probs)
            lr_img, hr_img = lrs[i], hrs[i]
            y = rng.randint(0, lr_img.shape[1] - lp + 1)
            x = rng.randint(0, lr_img.shape[2] - lp + 1)
            l = lr_img[:, y:y + lp, x:x + lp]
            h = hr_img[:, 2 * y:2 * y + 2 * lp, 2 * x:2 * x + 2 * lp]
            k = rng.randint(8)
            if k & 1:
                l, h = l.flip(2), h.flip(2)
            if k & 2:
                l, h = l.flip(1), h.flip(1)
            if k & 4:
                l, h = l.transpose(1, 2), h.transpose(1, 2)
            H.append(h)
            L.append(l)
        return torch.stack(H).float() / 255.0, torch.stack(L).float() / 255.0

    budget = args.minutes * 60.0
    start = time.time()
    last_ckpt = start
    step, skipped = 0, 0
    hist = []
    log = open(os.path.join(args.out, "train_log.jsonl"), "a")

    def save(final=False):
        torch.save({"model": model.state_dict(), "step": step, "args": vars(args),
                    "elapsed_min": (time.time() - start) / 60.0, "params": nparam, "final": final,
                    "prev_min": prev_min, "prev_steps": prev_steps},
                   os.path.join(args.out, "ckpt.pt"))

    while True:
        el = time.time() - start
        if el >= budget:
            break
        frac = el / budget
        warm = min(1.0, (step + 1) / 300.0)
        for g in opt.param_groups:
            g["lr"] = args.lr * warm * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * frac)))
        hr, lr = batch()
        model.train()
        if args.model == "flow":
            nll, mse, _ = model.losses(hr, lr, nll_samples=args.nll_batch)
            loss = nll + args.lam * mse
        else:
            mse = torch.nn.functional.mse_loss(model(lr), hr)
            nll = torch.zeros(())
            loss = mse * 1e3
        opt.zero_grad(set_to_none=True)
        if not torch.isfinite(loss):
            skipped += 1
            step += 1
            continue
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        if not torch.isfinite(gn):
            skipped += 1
            opt.zero_grad(set_to_none=True)
            step += 1
            continue
        opt.step()
        step += 1
        hist.append((float(nll), float(mse)))
        if step % 100 == 0:
            n = np.array(hist[-100:])
            rec = {"step": step, "min": round((time.time() - start) / 60, 2), "nll": float(n[:, 0].mean()),
                   "mse": float(n[:, 1].mean()), "psnr_rgb_patch": float(10 * np.log10(1 / n[:, 1].mean())),
                   "lr": opt.param_groups[0]["lr"], "skipped": skipped}
            print(json.dumps(rec), flush=True)
            log.write(json.dumps(rec) + "\n")
            log.flush()
        if time.time() - last_ckpt > args.ckpt_min * 60:
            save()
            last_ckpt = time.time()
    save(final=True)
    print(json.dumps({"done": True, "steps": step, "skipped": skipped,
                      "train_minutes": round((time.time() - start) / 60, 2), "params": nparam}), flush=True)


if __name__ == "__main__":
    main()
