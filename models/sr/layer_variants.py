"""Issue 17 item 3: the flow-layer library's layers in the SR flow, side by side in one run.

  /usr/bin/python3 models/sr/layer_variants.py --minutes 6 --out models/sr/layer_variants.json
  /usr/bin/python3 models/sr/layer_variants.py --steps 300 --out models/sr/layer_variants_steps.json

Three FlowSR variants, identical except for one layer kind, each trained from scratch with
train.py's recipe (NLL + 1e4 * MSE of the temperature-0 output, Adam 5e-4, 300-step warm-up,
cosine, clip 10, same seed and same batch sequence), one torch thread, in this process:
  --minutes M  the same wall-clock budget each, one variant after another (step counts then follow
               the machine's load in each window);
  --steps N    the same number of optimizer steps each, the three variants' steps interleaved
               round-robin (step i of every variant before step i+1 of any), each variant with its
               own batch stream and its own torch RNG state so all three see the same batches and
               the same dequantisation noise; the cosine runs over the N steps.
  shipped     ActNorm -> InvConv1x1 (LU) -> AffineCoupling     (what affine_stablesr_x2.onnx uses)
  invconv3x3  ActNorm -> InverseConv(k=3) -> AffineCoupling    (invertible 3x3 causal conv; sampling
              is one ordinary conv, encoding a wavefront solve)
  quad        ActNorm -> InvConv1x1 (LU) -> QuadCoupling       (3/4 of the channels per net call)
Measured for each: held-out conditional bits per HR sub-pixel given LR (256 fixed 64x64 test
patches, fixed dequantisation noise; nats/dim of the [0,1] residual + ln 255, / ln 2), PSNR-Y of the
temperature-0 output on the 12 test photos (eval.py's protocol), and decode (sampling) time per
output megapixel at z = 0 on a 256x256 LR input (median of 5, interleaved). With --steps also the
seconds of one training step (forward, backward, clip, Adam; batch 16 of 64x64 on copies of the
trained models) measured after training in --reps alternating repetitions, variant after variant,
so a change of load hits all three alike; and each variant's own training seconds and median
seconds per step from the interleaved training. The budget is far below the committed model's 50
minutes, so absolute quality is low; only the comparison at equal budget means something, and with
one seed per variant.
"""
import argparse
import copy
import json
import math
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from eval import psnr_y  # noqa: E402
from srdata import load_set  # noqa: E402
from srmodels import FlowSR, count_params  # noqa: E402
from flows import ActNorm, InvConv1x1, AffineCoupling, QuadCoupling, InverseConv  # noqa: E402
import torch.nn as nn  # noqa: E402

VARIANTS = ("shipped", "invconv3x3", "quad")


def make(variant):
    torch.manual_seed(0)
    m = FlowSR()
    if variant == "shipped":
        return m
    steps = nn.ModuleList()
    for k in range(4):
        mix = InverseConv(12, k=3, seed=k) if variant == "invconv3x3" else InvConv1x1(12, lu=True, seed=k)
        coup = (QuadCoupling(12, hidden=48, cond_channels=48) if variant == "quad"
                else AffineCoupling(12, hidden=48, cond_channels=48))
        steps.append(nn.ModuleList([ActNorm(12), mix, coup]))
    m.steps = steps
    return m


def batches(train, n_batch, patch, seed):
    rng = np.random.RandomState(seed)
    hrs = [torch.from_numpy(p[2].copy()).permute(2, 0, 1).contiguous() for p in train]
    lrs = [torch.from_numpy(p[3].copy()).permute(2, 0, 1).contiguous() for p in train]
    areas = np.array([l.shape[1] * l.shape[2] for l in lrs], dtype=np.float64)
    probs = areas / areas.sum()
    lp = patch // 2
    while True:
        H, L = [], []
        for _ in range(n_batch):
            i = rng.choice(len(lrs), p=probs)
            y = rng.randint(0, lrs[i].shape[1] - lp + 1)
            x = rng.randint(0, lrs[i].shape[2] - lp + 1)
            L.append(lrs[i][:, y:y + lp, x:x + lp])
            H.append(hrs[i][:, 2 * y:2 * y + patch, 2 * x:2 * x + patch])
        yield torch.stack(H).float() / 255.0, torch.stack(L).float() / 255.0


def train(model, data, minutes, lr=5e-4, lam=1e4, clip=10.0):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = batches(data, 16, 64, 0)
    torch.manual_seed(0)
    start, step, skipped, last = time.time(), 0, 0, None
    while time.time() - start < minutes * 60:
        frac = (time.time() - start) / (minutes * 60)
        for g in opt.param_groups:
            g["lr"] = lr * min(1.0, (step + 1) / 300.0) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * frac)))
        hr, lrb = next(gen)
        model.train()
        nll, mse, _ = model.losses(hr, lrb)
        loss = nll + lam * mse
        opt.zero_grad(set_to_none=True)
        step += 1
        if not torch.isfinite(loss):
            skipped += 1
            continue
        loss.backward()
        if not torch.isfinite(torch.nn.utils.clip_grad_norm_(model.parameters(), clip)):
            skipped += 1
            continue
        opt.step()
        last = (float(nll), float(mse))
    return {"steps": step, "skipped": skipped, "minutes": round((time.time() - start) / 60, 2),
            "last_nll": last[0] if last else None}


class StepTrainer:
    """One variant's training state for --steps: its optimizer, batch stream and torch RNG state."""

    def __init__(self, model, data, total, lr=5e-4, lam=1e4, clip=10.0):
        self.model, self.total, self.lr, self.lam, self.clip = model, total, lr, lam, clip
        self.opt = torch.optim.Adam(model.parameters(), lr=lr)
        self.gen = batches(data, 16, 64, 0)
        torch.manual_seed(0)
        self.rng = torch.get_rng_state()
        self.step, self.skipped, self.last, self.times = 0, 0, None, []

    def one(self):
        t0 = time.perf_counter()
        torch.set_rng_state(self.rng)
        frac = self.step / self.total
        for g in self.opt.param_groups:
            g["lr"] = self.lr * min(1.0, (self.step + 1) / 300.0) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * frac)))
        hr, lrb = next(self.gen)
        self.model.train()
        nll, mse, _ = self.model.losses(hr, lrb)
        loss = nll + self.lam * mse
        self.opt.zero_grad(set_to_none=True)
        self.step += 1
        ok = bool(torch.isfinite(loss))
        if ok:
            loss.backward()
            ok = bool(torch.isfinite(torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.clip)))
        if ok:
            self.opt.step()
            self.last = (float(nll), float(mse))
        else:
            self.skipped += 1
        self.rng = torch.get_rng_state()
        self.times.append(time.perf_counter() - t0)

    def info(self):
        return {"steps": self.step, "skipped": self.skipped,
                "train_seconds": round(float(sum(self.times)), 1),
                "train_s_per_step_median": float(np.median(self.times)),
                "last_nll": self.last[0] if self.last else None}


def train_interleaved(models, data, steps, log_every=25):
    """--steps: every variant takes step i before any takes step i+1."""
    trainers = {k: StepTrainer(m, data, steps) for k, m in models.items()}
    start = time.time()
    for i in range(steps):
        for t in trainers.values():
            t.one()
        if (i + 1) % log_every == 0 or i + 1 == steps:
            print(f"step {i + 1}/{steps} {time.time() - start:.0f} s " + " ".join(
                f"{k}:{t.times[-1]:.2f}s nll={t.last[0] if t.last else float('nan'):.3f}"
                for k, t in trainers.items()), flush=True)
    return {k: t.info() for k, t in trainers.items()}


def train_step_seconds(models, data, reps=5):
    """Seconds of one full training step per variant, alternating variants in each repetition, on
    copies of the models (fresh Adam) with one fixed batch, so the trained models stay as they are."""
    hr, lrb = next(batches(data, 16, 64, 7))
    copies = {k: copy.deepcopy(m) for k, m in models.items()}
    opts = {k: torch.optim.Adam(m.parameters(), lr=1e-5) for k, m in copies.items()}
    times = {k: [] for k in copies}
    for _ in range(reps):
        for k, m in copies.items():
            torch.manual_seed(0)
            m.train()
            t = time.perf_counter()
            nll, mse, _ = m.losses(hr, lrb)
            opts[k].zero_grad(set_to_none=True)
            (nll + 1e4 * mse).backward()
            torch.nn.utils.clip_grad_norm_(m.parameters(), 10.0)
            opts[k].step()
            times[k].append(time.perf_counter() - t)
    return {k: {"median": float(np.median(v)), "all": [round(x, 3) for x in v]} for k, v in times.items()}


def test_patches(test, n=256, seed=123):
    rng = np.random.RandomState(seed)
    H, L = [], []
    for _ in range(n):
        _, _, hr, lr = test[rng.randint(len(test))]
        y = rng.randint(0, lr.shape[0] - 32 + 1)
        x = rng.randint(0, lr.shape[1] - 32 + 1)
        L.append(torch.from_numpy(lr[y:y + 32, x:x + 32].copy()).permute(2, 0, 1))
        H.append(torch.from_numpy(hr[2 * y:2 * y + 64, 2 * x:2 * x + 64].copy()).permute(2, 0, 1))
    hr = torch.stack(H).float() / 255.0
    noise = (torch.from_numpy(np.random.RandomState(seed + 1).rand(*hr.shape)).float() - 0.5) / 255.0
    return hr + noise, torch.stack(L).float() / 255.0


@torch.no_grad()
def bits_per_dim(model, hr, lr):
    model.eval()
    tot, n = 0.0, 0
    for i in range(0, hr.shape[0], 32):
        z, logdet = model.encode(hr[i:i + 32], lr[i:i + 32])
        d = z[0].numel()
        logp = -0.5 * (z ** 2).flatten(1).sum(1) - 0.5 * d * math.log(2 * math.pi)
        tot += float(-(logp + logdet).sum() / d)
        n += z.shape[0]
    return (tot / n + math.log(255.0)) / math.log(2.0)


@torch.no_grad()
def psnr_test(model, test):
    model.eval()
    vals = []
    for _, _, hr, lr in test:
        x = torch.from_numpy(lr.copy()).permute(2, 0, 1)[None].float() / 255.0
        y = torch.clamp(model.sample(x, 0.0), 0, 1)
        vals.append(psnr_y((y[0].permute(1, 2, 0).numpy() * 255.0).round().astype(np.uint8), hr))
    return float(np.mean(vals))


@torch.no_grad()
def decode_ms_per_mp(models, reps=5, side=256):
    x = torch.rand(1, 3, side, side)
    times = {k: [] for k in models}
    for _ in range(reps):
        for k, m in models.items():
            m.eval()
            t = time.perf_counter()
            m.sample(x, 0.0)
            times[k].append((time.perf_counter() - t) * 1e3)
    mp = (2 * side) ** 2 / 1e6
    return {k: {"median": float(np.median(v)) / mp, "all": [round(x / mp) for x in v]} for k, v in times.items()}


def load_avg():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def parse_args(argv=None):
    ap = argparse.ArgumentParser()
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--minutes", type=float, default=None,
                      help="same wall-clock budget per variant, sequential (default 6 without --steps)")
    mode.add_argument("--steps", type=int, default=None,
                      help="same number of optimizer steps per variant, interleaved")
    ap.add_argument("--reps", type=int, default=5, help="alternating timing repetitions after training")
    ap.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    if args.steps is not None and args.steps < 1:
        ap.error("--steps must be at least 1")
    if args.steps is None and args.minutes is None:
        args.minutes = 6.0
    if args.out is None:
        args.out = os.path.join(HERE, "layer_variants_steps.json" if args.steps else "layer_variants.json")
    return args


def main():
    args = parse_args()
    torch.set_num_threads(1)
    t_start = time.time()
    res = {"threads": 1, "load_avg_start": load_avg(),
           "started": time.strftime("%Y-%m-%d %H:%M:%S"), "variants": {}}
    train_set = load_set("train", (768,))
    test = load_set("test", (1024,))
    hr_p, lr_p = test_patches(test)
    models = {}
    if args.steps:
        res["steps_each"] = args.steps
        res["interleaved"] = True
        models = {v: make(v) for v in VARIANTS}
        for v, info in train_interleaved(models, train_set, args.steps).items():
            res["variants"][v] = info
        res["load_avg_after_training"] = load_avg()
        for v, m in models.items():
            info = res["variants"][v]
            t0 = time.time()
            info["params"] = count_params(m)
            info["heldout_bits_per_dim"] = bits_per_dim(m, hr_p, lr_p)
            info["psnr_y_test"] = psnr_test(m, test)
            info["eval_seconds"] = round(time.time() - t0, 1)
            print(v, json.dumps(info), flush=True)
        for v, t in train_step_seconds(models, train_set, args.reps).items():
            res["variants"][v]["train_s_per_step_timed"] = t["median"]
            res["variants"][v]["train_s_per_step_timed_all"] = t["all"]
    else:
        res["minutes_each"] = args.minutes
        for v in VARIANTS:
            m = make(v)
            info = train(m, train_set, args.minutes)
            info["params"] = count_params(m)
            info["heldout_bits_per_dim"] = bits_per_dim(m, hr_p, lr_p)
            info["psnr_y_test"] = psnr_test(m, test)
            res["variants"][v] = info
            models[v] = m
            print(v, json.dumps(info), flush=True)
    for v, d in decode_ms_per_mp(models, args.reps).items():
        res["variants"][v]["decode_ms_per_output_mp"] = d["median"]
        res["variants"][v]["decode_ms_per_output_mp_all"] = d["all"]
    res["load_avg_end"] = load_avg()
    res["total_minutes"] = round((time.time() - t_start) / 60, 1)
    with open(args.out, "w") as f:
        json.dump(res, f, indent=1)
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
