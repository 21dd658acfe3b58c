#!/usr/bin/python3
"""Train the plate-or-not crop classifier on crops from cls_data.py.

PlateCls: 3x3 conv+BN+ReLU 3->16, 16->24 s2, 24->32 s2, 32->32, 32->64 s2 (input 32 x 96 ->
4 x 12), global average and global max pool concatenated, linear 128->1.  About 39k parameters,
about 8M multiply-accumulates per crop.

Balanced batches (half positives, half negatives; half of the negatives from PlateNet's own
false candidates when there are enough), BCE, Adam with a cosine learning rate over a wall-clock
budget, one CPU thread.  Augmentation per crop: brightness / contrast / colour gain, grey,
Gaussian blur, noise, JPEG.  The checkpoint with the best validation score (mean of positive
candidates kept and negative candidates rejected at 0.5) is kept.

  /usr/bin/python3 models/plates/cls_train.py --train .cache/plates-cls/train.npz \
      --val .cache/plates-cls/val.npz --out .cache/plates-cls/plate_cls.pt --minutes 12
"""
import argparse
import json
import math
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

BUCKETS = [("<16", 0, 16), ("16-32", 16, 32), ("32-64", 32, 64), (">64", 64, 1e9)]
THRESHOLDS = (0.3, 0.5, 0.7)


def cbr(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class PlateCls(nn.Module):
    """input crop [N,3,32,96] RGB in [0,1] -> plate_score [N,1] sigmoid probability."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(cbr(3, 16), cbr(16, 24, 2), cbr(24, 32, 2), cbr(32, 32), cbr(32, 64, 2))
        self.fc = nn.Linear(128, 1)

    def logits(self, x):
        f = self.features(x)
        return self.fc(torch.cat([f.mean((2, 3)), f.amax((2, 3))], 1))

    def forward(self, x):
        return torch.sigmoid(self.logits(x))


def n_params(m):
    return sum(p.numel() for p in m.parameters())


def load(path):
    d = np.load(path)
    return {k: d[k] for k in d.files}


def augment(rng, crops):
    out = np.empty(crops.shape, np.float32)
    for i, c in enumerate(crops):
        f = c.astype(np.float32)
        f = (f - 128) * rng.uniform(0.6, 1.3) + 128 + rng.uniform(-40, 40)
        f = f * rng.uniform(0.85, 1.15, 3)
        if rng.random() < 0.1:
            f = f.mean(2, keepdims=True) * np.ones(3, np.float32)
        if rng.random() < 0.3:
            f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.3, 1.3))
        if rng.random() < 0.35:
            f = f + rng.normal(0, rng.uniform(1, 9), f.shape)
        f = np.clip(f, 0, 255)
        if rng.random() < 0.35:
            u = np.ascontiguousarray(f.astype(np.uint8))
            ok, j = cv2.imencode(".jpg", u, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(25, 90))])
            f = cv2.imdecode(j, cv2.IMREAD_UNCHANGED).astype(np.float32)
        out[i] = f
    return out


def to_tensor(crops_f):
    return torch.from_numpy(np.ascontiguousarray(crops_f)).permute(0, 3, 1, 2) / 255.0


def predict(model, crops, bs=512):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(crops), bs):
            out.append(model(to_tensor(crops[i:i + bs].astype(np.float32)))[:, 0].numpy())
    return np.concatenate(out) if out else np.zeros(0, np.float32)


def bucket(h):
    for name, lo, hi in BUCKETS:
        if lo <= h < hi:
            return name


def report(scores, d, kinds=(0,)):
    """Per threshold: fraction of positive candidates kept and negative candidates rejected,
    overall and per height bucket (GT plate height for positives, box height for negatives)."""
    sel = np.isin(d["kind"], kinds)
    lab, h, s = d["label"][sel], d["height"][sel], scores[sel]
    res = {}
    for t in THRESHOLDS:
        r = {"pos_kept": float((s[lab == 1] >= t).mean()) if (lab == 1).any() else None,
             "neg_rejected": float((s[lab == 0] < t).mean()) if (lab == 0).any() else None,
             "n_pos": int((lab == 1).sum()), "n_neg": int((lab == 0).sum()), "by_height": {}}
        for name, lo, hi in BUCKETS:
            p = (lab == 1) & (h >= lo) & (h < hi)
            n = (lab == 0) & (h >= lo) & (h < hi)
            r["by_height"][name] = {"pos_kept": round(float((s[p] >= t).mean()), 4) if p.any() else None, "n_pos": int(p.sum()),
                                    "neg_rejected": round(float((s[n] < t).mean()), 4) if n.any() else None,
                                    "n_neg": int(n.sum())}
        res[str(t)] = r
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--val", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=12)
    ap.add_argument("--bs", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=3187)
    ap.add_argument("--json")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    tr, va = load(args.train), load(args.val)
    pos = np.flatnonzero(tr["label"] == 1)
    hard = np.flatnonzero((tr["label"] == 0) & (tr["kind"] == 0))
    easy = np.flatnonzero((tr["label"] == 0) & (tr["kind"] != 0))
    print(f"train crops {len(tr['label'])}: pos {len(pos)} hard neg {len(hard)} other neg {len(easy)}; "
          f"val {len(va['label'])}", flush=True)
    model = PlateCls()
    print(f"params {n_params(model)}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)
    vsel = va["kind"] == 0
    budget = args.minutes * 60
    t0 = time.time()
    step, best, last_eval = 0, -1.0, t0
    nh = args.bs // 4 if len(hard) >= 50 else 0
    while True:
        el = time.time() - t0
        if el > budget:
            break
        for g in opt.param_groups:
            g["lr"] = args.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, el / budget)))
        ip = rng.choice(pos, args.bs // 2)
        ih = rng.choice(hard, nh) if nh else np.zeros(0, int)
        ie = rng.choice(easy, args.bs - args.bs // 2 - nh)
        idx = np.concatenate([ip, ih, ie])
        x = to_tensor(augment(rng, tr["crops"][idx]))
        y = torch.from_numpy(tr["label"][idx].astype(np.float32))[:, None]
        model.train()
        loss = F.binary_cross_entropy_with_logits(model.logits(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if time.time() - last_eval > 60 or time.time() - t0 > budget:
            last_eval = time.time()
            s = predict(model, va["crops"])
            lab = va["label"][vsel]
            sv = s[vsel]
            kept = float((sv[lab == 1] >= 0.5).mean())
            rej = float((sv[lab == 0] < 0.5).mean())
            score = (kept + rej) / 2
            print(f"{time.time() - t0:.0f}s step {step} loss {loss.item():.3f} val cand: pos kept {kept:.3f} "
                  f"neg rejected {rej:.3f}", flush=True)
            if score > best:
                best = score
                torch.save({"model": model.state_dict(), "step": step, "val": score}, args.out)
    ck = torch.load(args.out)
    model.load_state_dict(ck["model"])
    s = predict(model, va["crops"])
    res = {"params": n_params(model), "steps": step, "best_step": ck["step"],
           "val_candidates": report(s, va, (0,)), "val_all_kinds": report(s, va, (0, 1, 2, 3))}
    print(json.dumps(res["val_candidates"], indent=1))
    if args.json:
        json.dump(res, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
