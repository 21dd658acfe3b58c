#!/usr/bin/python3
"""Crops for the second-stage plate-or-not classifier (cls_train.py), mined from PlateNet.

Full synthetic frames (640-1920 px wide) are drawn with synth.py's renderer (plates, non-plate
text / signs / blank plates, procedural clutter) on synth.py's training backgrounds
(.cache/plates-bg: plasma / lomiri-20.04 wallpapers; never the dev set's backgrounds).  PlateNet
(net.py, torch checkpoint, eval mode, zero padding to multiples of 32, as evaluate.py) runs on
each full frame; its map is decoded with evaluate.components at pixel threshold 0.4 and no
box-score filter (8-connected components, 4 * cells, grown by 0.125 * h + 2 px).

Crops (kind):
  0 candidate  a PlateNet candidate; label 1 if it matches a GT plate (IoU >= 0.3 or covers
               >= 50% of the GT box), 0 if it overlaps no GT plate, otherwise dropped;
  1 jitter     a GT plate box jittered by +-15% in position and size, label 1;
  2 random     a random plate-shaped box that overlaps no GT plate, label 0;
  3 distractor a rendered non-plate text / sign / blank-plate box (jittered), label 0.

Crop rule (identical in the Java PlateCropVerifier): box (x, y, w, h) in frame pixels ->
x0 = floor(x - h/2), y0 = floor(y - h/2), x1 = ceil(x + w + h/2), y1 = ceil(y + h + h/2),
clipped to the frame, cv2.resize to 96 x 32 (INTER_LINEAR, stretched), BGR -> RGB.

Output: one .npz with crops uint8 [N,32,96,3] RGB, label, kind, height (GT plate height for
positives, box height for negatives), frame, map score.

  /usr/bin/python3 models/plates/cls_data.py --ckpt .cache/plates-ckpt/plate_det_v1.pt \
      --out .cache/plates-cls/train.npz --n 1000 --seed 5821 --minutes 7
"""
import argparse
import math
import os
import sys
import time

import cv2
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
try:  # after the plates-model branch is merged: siblings in this folder
    import synth  # noqa: F401
except ImportError:  # during development: the other worktree
    sys.path.insert(0, "/work/wt-plates/models/plates")
    import synth  # noqa: E402
import evaluate as ev  # noqa: E402
from net import PlateNet  # noqa: E402

bd = synth.bd
torch.set_num_threads(1)

CROP_W, CROP_H = 96, 32
MAP_THR = 0.4
SEED_TRAIN, SEED_VAL = 5821, 64033
FORBIDDEN_SEEDS = {20261123, synth.TRAIN_SEED, synth.VAL_SEED}
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DEFAULT_ROOT = ROOT if os.path.isdir(os.path.join(ROOT, ".cache", "plates-bg")) else "/work/wt-plates"


def crop_rect(box, W, H):
    """box (x, y, w, h) -> (x0, y0, x1, y1) clipped to the frame, or None."""
    x, y, w, h = box
    m = h / 2.0
    x0 = max(0, int(math.floor(x - m)))
    y0 = max(0, int(math.floor(y - m)))
    x1 = min(W, int(math.ceil(x + w + m)))
    y1 = min(H, int(math.ceil(y + h + m)))
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return x0, y0, x1, y1


def make_crop(img_bgr, box):
    """The classifier input for one box: uint8 [32,96,3] RGB, or None when outside the frame."""
    H, W = img_bgr.shape[:2]
    r = crop_rect(box, W, H)
    if r is None:
        return None
    x0, y0, x1, y1 = r
    c = cv2.resize(img_bgr[y0:y1, x0:x1], (CROP_W, CROP_H), interpolation=cv2.INTER_LINEAR)
    return np.ascontiguousarray(c[:, :, ::-1])


def iou(a, b):
    """boxes as (x0, y0, x1, y1)."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def label_candidate(cand, gts):
    """1 positive, 0 negative, -1 ignore; second value the matched GT index."""
    best, bi = 0.0, -1
    touch = False
    for i, g in enumerate(gts):
        o = iou(cand, g)
        c = ev.cover(cand, g)
        if c > 0:
            touch = True
        if o >= 0.3 or c >= 0.5:
            s = max(o, c)
            if s > best:
                best, bi = s, i
    if bi >= 0:
        return 1, bi
    return (-1 if touch else 0), -1


# ----------------------------------------------------------------------------- frames
def background(rng, bgs, W, H):
    """synth.sample_background for a W x H frame (same steps, rectangular window)."""
    if rng.random() < 0.06:
        g = np.linspace(0, 1, W)[None, :, None] * rng.uniform(-120, 120, 3) + rng.uniform(40, 220, 3)
        img = np.clip(np.broadcast_to(g, (H, W, 3)) + rng.normal(0, rng.uniform(2, 20), (H, W, 3)),
                      0, 255).astype(np.uint8)
        return synth.procedural_clutter(rng, np.ascontiguousarray(img), int(rng.integers(5, 40)))
    _, src = bgs[int(rng.integers(len(bgs)))]
    sh, sw = src.shape[:2]
    f = rng.uniform(0.3, 1.0)
    ww = min(sw, sh * W / H) * f
    wh = ww * H / W
    x0, y0 = rng.uniform(0, sw - ww), rng.uniform(0, sh - wh)
    s = W / ww
    M = np.array([[s, 0, -x0 * s], [0, s, -y0 * s]], np.float64)
    img = cv2.warpAffine(src, M, (W, H), flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REFLECT)
    if rng.random() < 0.5:
        img = img[:, ::-1]
    f = img.astype(np.float32) * rng.uniform(0.75, 1.25, 3) + rng.uniform(-30, 30)
    if rng.random() < 0.2:
        f = f.mean(2, keepdims=True) * np.ones(3, np.float32)
    img = np.ascontiguousarray(np.clip(f, 0, 255).astype(np.uint8))
    if rng.random() < 0.4:
        img = synth.procedural_clutter(rng, img, int(rng.integers(2, 20)))
    return img


def make_frame(rng, bgs, pfonts, afonts):
    W = int(rng.choice([640, 800, 960, 1280, 1280, 1600, 1920, 1920]))
    H = int(round(W * rng.choice([9 / 16, 9 / 16, 3 / 4, 2 / 3])))
    canvas = background(rng, bgs, W, H)
    scale = math.sqrt(W * H / (1280 * 720))
    n_plates = int(rng.integers(0, 1 + int(round(6 * scale))))
    n_negs = int(rng.integers(1, 2 + int(round(8 * scale))))
    items = ["p"] * n_plates + ["n"] * n_negs
    rng.shuffle(items)
    taken, plates, negs = [], [], []
    for it in items:
        if it == "p":
            spec = bd.plate_spec(rng)
            rgba = bd.render_plate(spec, pfonts[int(rng.integers(len(pfonts)))])
            ph0 = rgba.shape[0]
            th = bd.loguniform(rng, 6, 200 * min(1.0, H / 720))
            while th * spec["aspect"] > 0.8 * W and th > 6:
                th *= 0.8
            yaw, pitch, roll = (math.radians(rng.uniform(-25, 25)), math.radians(rng.uniform(-20, 20)),
                                math.radians(rng.uniform(-12, 12)))
            center = None
            if rng.random() < 0.4:
                s = th / ph0
                c = bd.project_plate(rgba.shape[1] * s, ph0 * s, yaw, pitch, roll)
                bw, bh = np.ptp(c[:, 0]), np.ptp(c[:, 1])
                if bw < W * 0.4 and bh < H * 0.3:
                    fake = [rng.uniform(0, W - bw), rng.uniform(0, H - bh), bw, bh]
                    if not synth.overlaps(fake, taken, 2 * bh):
                        synth.car_body(rng, canvas, fake, taken)
                        center = (fake[0] + bw / 2, fake[1] + bh / 2)
            res = synth.paste_warped(rng, canvas, rgba, th, yaw, pitch, roll, taken, center=center)
            if res is None:
                continue
            _, quad, box = res
            taken.append(box)
            q = np.asarray(quad)
            g = [max(0.0, q[:, 0].min()), max(0.0, q[:, 1].min()), min(W, q[:, 0].max()), min(H, q[:, 1].max())]
            if g[2] - g[0] < 1 or g[3] - g[1] < 1:
                continue
            plates.append((g, th))
        else:
            if rng.random() < 0.8:
                rgba, _ = synth.render_text_negative(rng, afonts)
                th = bd.loguniform(rng, 5, 140)
            else:
                rgba = synth.render_blank_plate(rng)
                th = bd.loguniform(rng, 6, 100)
            sw = rgba.shape[1] / rgba.shape[0]
            if th * sw > 0.9 * W:
                th = 0.9 * W / sw
            if th < 4:
                continue
            res = synth.paste_warped(rng, canvas, rgba, th, math.radians(rng.uniform(-20, 20)),
                                     math.radians(rng.uniform(-15, 15)), math.radians(rng.uniform(-15, 15)),
                                     taken, margin=2, gain=(0.5, 1.15))
            if res is None:
                continue
            taken.append(res[2])
            negs.append(res[2])
    img, q = bd.degrade(rng, canvas, strong=True)
    ok, jpg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(q)])
    return cv2.imdecode(jpg, cv2.IMREAD_COLOR), plates, negs


def jitter(rng, g, amt=0.15):
    """g (x0, y0, x1, y1) -> jittered (x, y, w, h)."""
    w, h = g[2] - g[0], g[3] - g[1]
    nw, nh = w * math.exp(rng.uniform(-amt, amt)), h * math.exp(rng.uniform(-amt, amt))
    cx = (g[0] + g[2]) / 2 + rng.uniform(-amt, amt) * w
    cy = (g[1] + g[3]) / 2 + rng.uniform(-amt, amt) * h
    return cx - nw / 2, cy - nh / 2, nw, nh


def mine_frame(rng, model, img, plates, negs, out, fi, n_jit=2, n_rand=3):
    H, W = img.shape[:2]
    gts = [g for g, _ in plates]
    prob = ev.predict(model, img[:, :, ::-1])
    comps = ev.components(prob, MAP_THR, W, H)

    def add(box, lab, kind, hgt, score):
        c = make_crop(img, box)
        if c is not None:
            out.append((c, lab, kind, hgt, fi, score))

    for cm in comps:
        cand = cm[:4]
        lab, gi = label_candidate(cand, gts)
        if lab < 0:
            continue
        hgt = plates[gi][1] if lab == 1 else cand[3] - cand[1]
        add((cand[0], cand[1], cand[2] - cand[0], cand[3] - cand[1]), lab, 0, hgt, cm[4])
    for g, th in plates:
        for _ in range(n_jit):
            add(jitter(rng, g), 1, 1, th, -1.0)
    for _ in range(n_rand):
        for _try in range(10):
            h = bd.loguniform(rng, 6, min(200, H / 3))
            w = h * rng.uniform(1.5, 6)
            if w >= W or h >= H:
                continue
            x, y = rng.uniform(0, W - w), rng.uniform(0, H - h)
            b = (x, y, x + w, y + h)
            if not any(ev.cover(b, g) > 0 for g in gts):
                add((x, y, w, h), 0, 2, h, -1.0)
                break
    for nb in negs:
        x, y, w, h = nb
        b = jitter(rng, (x, y, x + w, y + h), 0.1)
        bb = (b[0], b[1], b[0] + b[2], b[1] + b[3])
        if not any(ev.cover(bb, g) > 0 for g in gts):
            add(b, 0, 3, b[3], -1.0)
    return len(comps)


def load_model(ckpt):
    m = PlateNet()
    m.load_state_dict(torch.load(ckpt, map_location="cpu")["model"])
    return m.eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=600, help="frames")
    ap.add_argument("--seed", type=int, default=SEED_TRAIN)
    ap.add_argument("--ckpt", default=os.path.join(DEFAULT_ROOT, ".cache", "plates-ckpt", "plate_det.pt"))
    ap.add_argument("--backgrounds", default=os.path.join(DEFAULT_ROOT, ".cache", "plates-bg", "root"))
    ap.add_argument("--minutes", type=float, default=1e9, help="stop early after this wall time")
    args = ap.parse_args()
    if args.seed in FORBIDDEN_SEEDS:
        sys.exit("seed used by the dev set or by synth.py; use another")
    bgs = synth.load_backgrounds(args.backgrounds, os.path.join(os.path.dirname(args.backgrounds), "small"))
    pf, af = synth.plate_fonts(), synth.all_fonts()
    model = load_model(args.ckpt)
    out = []
    t0 = time.time()
    ncand = 0
    for i in range(args.n):
        rng = np.random.default_rng([args.seed, i])
        img, plates, negs = make_frame(rng, bgs, pf, af)
        ncand += mine_frame(rng, model, img, plates, negs, out, i)
        if (i + 1) % 25 == 0:
            lab = np.array([o[1] for o in out]); kind = np.array([o[2] for o in out])
            print(f"{i + 1}/{args.n} {time.time() - t0:.0f}s candidates {ncand} crops {len(out)} "
                  f"cand+ {int(((kind == 0) & (lab == 1)).sum())} cand- {int(((kind == 0) & (lab == 0)).sum())}",
                  flush=True)
        if time.time() - t0 > args.minutes * 60:
            print(f"time budget reached after {i + 1} frames", flush=True)
            break
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez_compressed(args.out, crops=np.stack([o[0] for o in out]),
                        label=np.array([o[1] for o in out], np.int8), kind=np.array([o[2] for o in out], np.int8),
                        height=np.array([o[3] for o in out], np.float32), frame=np.array([o[4] for o in out], np.int32),
                        score=np.array([o[5] for o in out], np.float32), seed=args.seed)
    print(f"{len(out)} crops from {i + 1} frames -> {args.out} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
