#!/usr/bin/python3
"""Synthetic training / validation crops for the stride-4 licence-plate probability map.

Plates are drawn with the dev set's own plate renderer, imported (not copied) from
models/eval/build_devset.py: plate_spec, render_plate, project_plate, motion_kernel,
composite, degrade, loguniform.  Its place_plate() is not used because it does not
return the plate quadrilateral, which the mask needs; paste_warped() below does the same
steps (perspective warp, blur, gain/tint, alpha composite) and returns the quad.

Everything else differs from the dev set on purpose:
  * backgrounds: plasma-workspace-wallpapers + lomiri-wallpapers-20.04
    (models/plates/backgrounds.tsv, fetched by models/plates/fetch-backgrounds.sh), never
    the dev set's lomiri-wallpapers-16.04 / mate-backgrounds photos or opencv-doc media,
    plus procedural clutter;
  * seeds: train 7351, validation 90417 (the dev set uses 20261123);
  * plate height log-uniform 6-120 px on 384x384 (train) / 512x512 (val) crops, wider angles;
  * hard negatives (target 0): words, sentences, numbers, signs, long text lines in 40+
    fonts and colours, blank plate-like rectangles, car-like bodies without plates.

Mask target (stride 4): cell (i, j) covers pixels [4j, 4j+4) x [4i, 4i+4); it is positive
when its centre (4j+2, 4i+2) lies inside the plate quad shrunk by SHRINK * plate height on
every side (in the plate's own plane, then projected).  A plate whose shrunk quad contains
no cell centre marks the single cell under the quad's centroid.

Output dir (e.g. .cache/plates-train): NNNNN.jpg (the degraded crop, JPEG bytes exactly
as degraded), NNNNN.png (uint8 mask, H/4 x W/4, 255 = plate), meta.json (per crop: plate
quads in pixels, plate heights, negatives).
"""
import argparse
import glob
import json
import math
import os
import sys
import time

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "eval"))
import build_devset as bd  # noqa: E402  (the dev set's renderer; main() is not run on import)

SHRINK = 0.10          # fraction of the plate height removed on each side for the mask
STRIDE = 4
TRAIN_SEED, VAL_SEED = 7351, 90417
BG_MAX_SIDE = 1600

WORDS = ("open closed sale exit entrance parking hotel coffee bakery pharmacy station bus stop taxi "
         "police school market street avenue road north south east west city centre welcome "
         "no entry one way private keep clear delivery only danger caution warning fire "
         "restaurant pizza bar cafe shop store bank post office toilets information tickets "
         "platform gate level floor lift stairs push pull free wifi car wash service garage tyres "
         "oil diesel petrol electric charging price total discount offer new best quality since "
         "the and for with from your our open daily monday friday hours welcome thank you please "
         "speed limit zone area slow children crossing bridge tunnel airport harbour museum park "
         "garden library hospital clinic dentist doctor lawyer office rent sale apartment").split()


# ----------------------------------------------------------------------------- fonts
def plate_fonts():
    fonts = []
    for fn in bd.FONT_FILES:
        for d in bd.FONT_DIRS:
            p = os.path.join(d, fn)
            if os.path.exists(p):
                fonts.append(p)
                break
    return fonts


def all_fonts():
    fonts = []
    for d in bd.FONT_DIRS:
        fonts += sorted(glob.glob(os.path.join(d, "*.ttf")))
    return [f for f in fonts if "MathTeX" not in f]


# ----------------------------------------------------------------------------- backgrounds
def load_backgrounds(bg_root, cache_dir):
    """Load (pre-shrunk, cached) background photos, checking each file's sha256 pin."""
    rows = bd.read_tsv(os.path.join(HERE, "backgrounds.tsv"))
    os.makedirs(cache_dir, exist_ok=True)
    out = []
    for name, _pkg, path, want, _lic, _who in rows:
        p = os.path.join(bg_root, path)
        if not os.path.exists(p):
            sys.exit(f"missing {p}: run models/plates/fetch-backgrounds.sh first")
        small = os.path.join(cache_dir, want[:16] + ".png")
        if not os.path.exists(small):
            if bd.sha256(p) != want:
                sys.exit(f"sha256 mismatch for {p}")
            img = cv2.imread(p, cv2.IMREAD_COLOR)
            s = min(1.0, BG_MAX_SIDE / max(img.shape[:2]))
            if s < 1.0:
                img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
            cv2.imwrite(small, img)
        out.append((name, cv2.imread(small, cv2.IMREAD_COLOR)))
    return out


def procedural_clutter(rng, img, n):
    """Draw random lines, rectangles, ellipses and polygons (edges that are not plates)."""
    H, W = img.shape[:2]
    for _ in range(n):
        col = tuple(int(c) for c in rng.integers(0, 256, 3))
        t = int(rng.integers(1, 5))
        k = rng.random()
        if k < 0.35:
            p1 = (int(rng.integers(0, W)), int(rng.integers(0, H)))
            p2 = (int(rng.integers(0, W)), int(rng.integers(0, H)))
            cv2.line(img, p1, p2, col, t, cv2.LINE_AA)
        elif k < 0.65:
            x, y = int(rng.integers(0, W)), int(rng.integers(0, H))
            w, h = int(rng.integers(4, W // 2)), int(rng.integers(4, H // 2))
            cv2.rectangle(img, (x, y), (x + w, y + h), col, -1 if rng.random() < 0.5 else t)
        elif k < 0.85:
            c = (int(rng.integers(0, W)), int(rng.integers(0, H)))
            ax = (int(rng.integers(3, W // 4)), int(rng.integers(3, H // 4)))
            cv2.ellipse(img, c, ax, float(rng.uniform(0, 180)), 0, 360, col, -1 if rng.random() < 0.5 else t,
                        cv2.LINE_AA)
        else:
            pts = rng.integers(0, max(W, H), (int(rng.integers(3, 7)), 2)).astype(np.int32)
            cv2.fillPoly(img, [pts], col, cv2.LINE_AA)
    return img


def sample_background(rng, bgs, size):
    r = rng.random()
    if r < 0.08:  # fully procedural: gradient + noise + shapes
        g = np.linspace(0, 1, size)[None, :, None] * rng.uniform(-120, 120, 3) + rng.uniform(40, 220, 3)
        img = np.clip(np.broadcast_to(g, (size, size, 3)) + rng.normal(0, rng.uniform(2, 20), (size, size, 3)),
                      0, 255).astype(np.uint8)
        img = np.ascontiguousarray(img if rng.random() < 0.5 else img.transpose(1, 0, 2))
        return procedural_clutter(rng, img, int(rng.integers(3, 25))), "procedural"
    name, src = bgs[int(rng.integers(len(bgs)))]
    H, W = src.shape[:2]
    win = rng.uniform(0.15, 1.0) * min(H, W)
    x0, y0 = rng.uniform(0, W - win), rng.uniform(0, H - win)
    s = size / win
    M = np.array([[s, 0, -x0 * s], [0, s, -y0 * s]], np.float64)
    img = cv2.warpAffine(src, M, (size, size), flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REFLECT)
    if rng.random() < 0.5:
        img = img[:, ::-1]
    f = img.astype(np.float32)
    f = f * rng.uniform(0.75, 1.25, 3) + rng.uniform(-30, 30)
    if rng.random() < 0.2:
        f = f.mean(2, keepdims=True) * np.ones(3, np.float32)
    img = np.clip(f, 0, 255).astype(np.uint8)
    if rng.random() < 0.35:
        img = procedural_clutter(rng, np.ascontiguousarray(img), int(rng.integers(1, 12)))
    return np.ascontiguousarray(img), name


# ----------------------------------------------------------------------------- geometry + paste
def overlaps(box, taken, margin):
    return bd.iou_any(box, taken, margin=margin)


def paste_warped(rng, canvas, rgba, target_h, yaw, pitch, roll, taken, margin=3, allow_cut=True,
                 blur=True, gain=(0.45, 1.1), center=None):
    """Warp a BGRA rendering (height ph0) to plate height target_h with the given 3D angles,
    place it at a random free position and composite it.  Returns (H homography from the
    rendering to the canvas, corners 4x2, box) or None."""
    H, W = canvas.shape[:2]
    ph0, pw0 = rgba.shape[:2]
    s = target_h / ph0
    corners = bd.project_plate(pw0 * s, ph0 * s, yaw, pitch, roll)
    bw = corners[:, 0].max() - corners[:, 0].min()
    bh = corners[:, 1].max() - corners[:, 1].min()
    if bh > H * 0.9:
        return None
    cut = allow_cut and rng.random() < 0.12
    for _ in range(40):
        if center is not None:
            cx, cy = center
        elif cut or bw > W * 0.95:  # partly outside the crop
            cx, cy = rng.uniform(-bw / 4, W + bw / 4), rng.uniform(bh / 2, H - bh / 2)
        else:
            cx, cy = rng.uniform(bw / 2 + 1, W - bw / 2 - 1), rng.uniform(bh / 2 + 1, H - bh / 2 - 1)
        dst = corners + [cx, cy]
        box = [float(dst[:, 0].min()), float(dst[:, 1].min()), float(bw), float(bh)]
        if not overlaps(box, taken, margin):
            break
        if center is not None:
            return None
    else:
        return None
    warped, ox, oy, pw, ph, Hm = bd.warp_patch(rgba, dst, box, bw, bh, s)
    if blur:
        r = rng.random()
        if r < 0.3:
            warped = cv2.GaussianBlur(warped, (0, 0), rng.uniform(0.4, 1.8))
        elif r < 0.5:
            warped = cv2.filter2D(warped, -1, bd.motion_kernel(int(rng.integers(3, 10)), rng.uniform(0, 180)))
    a = np.clip(warped[:, :, 3:4] / 255.0, 0, 1)
    rgb = warped[:, :, :3] / np.maximum(a, 1e-3)
    local = canvas[max(0, oy):max(0, oy + ph), max(0, ox):max(0, ox + pw)]
    tint = local.reshape(-1, 3).mean(0) / 128.0 if local.size else np.ones(3)
    rgb = rgb * rng.uniform(*gain) * (0.75 + 0.25 * np.clip(tint, 0.5, 1.5))
    rgb = (rgb - 128) * rng.uniform(0.6, 1.0) + 128
    bd.composite(canvas, np.concatenate([np.clip(rgb, 0, 255), a], axis=2).astype(np.float32), ox, oy)
    Hfull = np.array([[1, 0, ox], [0, 1, oy], [0, 0, 1]], np.float64) @ Hm
    return Hfull, dst, box


def apply_h(Hm, pts):
    p = np.concatenate([np.asarray(pts, np.float64), np.ones((len(pts), 1))], axis=1) @ Hm.T
    return p[:, :2] / p[:, 2:3]


def rasterise_quad(mask, quad):
    """Mark stride-4 cells whose centre lies inside the convex quad (canvas px coords)."""
    h4, w4 = mask.shape
    q = np.asarray(quad, np.float64)
    x0 = max(0, int(math.floor((q[:, 0].min() - 2) / STRIDE)))
    x1 = min(w4 - 1, int(math.ceil((q[:, 0].max() - 2) / STRIDE)))
    y0 = max(0, int(math.floor((q[:, 1].min() - 2) / STRIDE)))
    y1 = min(h4 - 1, int(math.ceil((q[:, 1].max() - 2) / STRIDE)))
    n = 0
    if x1 >= x0 and y1 >= y0:
        ys, xs = np.mgrid[y0:y1 + 1, x0:x1 + 1]
        px, py = xs * STRIDE + 2.0, ys * STRIDE + 2.0
        signs = []
        for k in range(4):
            ax, ay = q[k]
            bx, by = q[(k + 1) % 4]
            signs.append((bx - ax) * (py - ay) - (by - ay) * (px - ax))
        signs = np.stack(signs)
        inside = np.all(signs >= 0, axis=0) | np.all(signs <= 0, axis=0)
        mask[y0:y1 + 1, x0:x1 + 1][inside] = 255
        n = int(inside.sum())
    if n == 0:  # tiny plate: mark the cell under the centroid (if inside the crop)
        cx, cy = q.mean(0)
        j, i = int(cx // STRIDE), int(cy // STRIDE)
        if 0 <= i < h4 and 0 <= j < w4:
            mask[i, j] = 255


# ----------------------------------------------------------------------------- renderers
def car_body(rng, canvas, plate_box, taken):
    """A crude car rear/front around where the plate will go: body, windows, lights."""
    x, y, w, h = plate_box
    cw, ch = w * rng.uniform(2.5, 4.5), h * rng.uniform(4, 8)
    cx, cy = x + w / 2 + rng.uniform(-0.3, 0.3) * w, y + h / 2 - ch * rng.uniform(0.1, 0.35)
    col = tuple(int(c) for c in (rng.integers(0, 256, 3) if rng.random() < 0.6 else [rng.integers(0, 256)] * 3))
    p0 = (int(cx - cw / 2), int(cy - ch / 2))
    p1 = (int(cx + cw / 2), int(cy + ch / 2))
    cv2.rectangle(canvas, p0, p1, col, -1)
    dark = tuple(int(c * 0.3) for c in col)
    cv2.rectangle(canvas, (p0[0] + int(cw * 0.1), p0[1]), (p1[0] - int(cw * 0.1), p0[1] + int(ch * 0.3)),
                  dark, -1)
    lc = (40, 40, 200) if rng.random() < 0.5 else (40, 180, 250)
    lw, lh = int(cw * 0.12), max(1, int(h * 0.8))
    ly = int(y + h / 2 - ch * 0.15)
    cv2.rectangle(canvas, (p0[0] + 2, ly), (p0[0] + 2 + lw, ly + lh), lc, -1)
    cv2.rectangle(canvas, (p1[0] - 2 - lw, ly), (p1[0] - 2, ly + lh), lc, -1)


def random_text(rng):
    k = rng.random()
    if k < 0.35:
        n = int(rng.integers(1, 5))
        t = " ".join(WORDS[int(rng.integers(len(WORDS)))] for _ in range(n))
    elif k < 0.5:
        t = WORDS[int(rng.integers(len(WORDS)))]
    elif k < 0.65:  # numbers: phone, price, house number, date
        f = int(rng.integers(4))
        d = lambda n: "".join(str(int(v)) for v in rng.integers(0, 10, n))
        t = [f"{d(4)} {d(3)} {d(3)}", f"{d(2)}.{d(2)}", d(int(rng.integers(1, 5))), f"{d(2)}/{d(2)}/{d(4)}"][f]
    elif k < 0.8:  # long line
        t = " ".join(WORDS[int(rng.integers(len(WORDS)))] for _ in range(int(rng.integers(5, 12))))
    else:  # random alphanumeric code
        al = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        t = "".join(al[int(rng.integers(len(al)))] for _ in range(int(rng.integers(3, 9))))
    r = rng.random()
    return t.upper() if r < 0.5 else (t.title() if r < 0.75 else t)


def render_text_negative(rng, fonts):
    """BGRA rendering of non-plate text: bare text, text on a coloured panel, or a multi-line sign."""
    font = fonts[int(rng.integers(len(fonts)))]
    nlines = 1 if rng.random() < 0.7 else int(rng.integers(2, 5))
    lines = [random_text(rng) for _ in range(nlines)]
    size = 60
    f = ImageFont.truetype(font, size)
    bbs = [f.getbbox(l) for l in lines]
    tw = max(b[2] - b[0] for b in bbs) + 2
    lh = int(size * 1.25)
    th = lh * nlines
    panel = rng.random() < 0.55
    pad = int(size * rng.uniform(0.2, 0.8)) if panel else 4
    W, H = tw + 2 * pad, th + 2 * pad
    img = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    fg = tuple(int(c) for c in rng.integers(0, 256, 3))
    if panel:
        bg = tuple(int(c) for c in rng.integers(0, 256, 3))
        if abs(sum(bg) - sum(fg)) < 150:
            fg = tuple(255 - c for c in bg)
        d.rounded_rectangle([0, 0, W - 1, H - 1], radius=int(rng.uniform(0, 0.3) * min(W, H)), fill=bg + (255,))
        # a frame only on multi-line signs or very long panels (plates have one, but are short)
        if nlines >= 3 or W / H > 8:
            if rng.random() < 0.5:
                d.rectangle([3, 3, W - 4, H - 4], outline=fg + (255,), width=3)
    for i, (l, b) in enumerate(zip(lines, bbs)):
        d.text((pad - b[0], pad + i * lh), l, font=f, fill=fg + (255,))
    return np.array(img)[:, :, [2, 1, 0, 3]].copy(), " / ".join(lines)


def render_blank_plate(rng):
    """Plate-like rounded rectangle with a border but no characters (optionally a band)."""
    spec = bd.plate_spec(rng)
    spec["lines"] = [" "]
    spec.pop("header", None)
    if rng.random() < 0.5:
        spec["band"] = None
    H = 120
    W = int(round(H * spec["aspect"]))
    img = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    r = int(H * 0.08)
    b = max(2, int(H * 0.035))
    d.rounded_rectangle([0, 0, W - 1, H - 1], radius=r, fill=spec["bg"] + (255,))
    d.rounded_rectangle([b, b, W - 1 - b, H - 1 - b], radius=r, outline=spec["fg"] + (255,), width=max(2, int(H * 0.025)))
    if spec["band"]:
        d.rounded_rectangle([b * 2, b * 2, b * 2 + int(H * 0.42), H - 1 - b * 2], radius=r // 2, fill=(20, 50, 160, 255))
    return np.array(img)[:, :, [2, 1, 0, 3]].copy()


def specks(rng, img, afonts, n):
    """Small high-contrast details that are not plates: dots, bolts, short dashes, tiny
    rectangles (windows, lights), 1-3 character labels at 4-12 px."""
    H, W = img.shape[:2]
    for _ in range(n):
        col = tuple(int(c) for c in (rng.integers(0, 256, 3) if rng.random() < 0.5 else [rng.choice([10, 245])] * 3))
        x, y = int(rng.integers(0, W)), int(rng.integers(0, H))
        k = rng.random()
        if k < 0.3:
            cv2.circle(img, (x, y), int(rng.integers(1, 6)), col, -1, cv2.LINE_AA)
        elif k < 0.6:
            w, h = int(rng.integers(2, 16)), int(rng.integers(2, 10))
            cv2.rectangle(img, (x, y), (x + w, y + h), col, -1 if rng.random() < 0.7 else 1)
        elif k < 0.8:
            a = rng.uniform(0, math.pi)
            L = rng.uniform(3, 20)
            cv2.line(img, (x, y), (int(x + L * math.cos(a)), int(y + L * math.sin(a))), col, int(rng.integers(1, 3)),
                     cv2.LINE_AA)
        else:
            al = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            t = "".join(al[int(rng.integers(len(al)))] for _ in range(int(rng.integers(1, 4))))
            pil = Image.fromarray(img[:, :, ::-1])
            f = ImageFont.truetype(afonts[int(rng.integers(len(afonts)))], int(rng.integers(5, 14)))
            ImageDraw.Draw(pil).text((x, y), t, font=f, fill=col[::-1])
            img[:] = np.array(pil)[:, :, ::-1]
    return img


# ----------------------------------------------------------------------------- one crop
def make_crop(rng, bgs, pfonts, afonts, size, hard=False):
    canvas, bgname = sample_background(rng, bgs, size)
    canvas = np.ascontiguousarray(canvas)
    mask = np.zeros((size // STRIDE, size // STRIDE), np.uint8)
    taken, plates, negs = [], [], []
    if hard:  # hard-negative mix: specks everywhere, more text, more plate-free crops
        specks(rng, canvas, afonts, int(rng.integers(5, 60)))
    r = rng.random()
    n_plates = 0 if r < (0.3 if hard else 0.15) else int(rng.integers(1, 5))
    n_negs = int(rng.integers(0, 9 if hard else 5)) if rng.random() < 0.75 else 0
    items = ["p"] * n_plates + ["n"] * n_negs
    rng.shuffle(items)
    for it in items:
        if it == "p":
            spec = bd.plate_spec(rng)
            font = pfonts[int(rng.integers(len(pfonts)))]
            rgba = bd.render_plate(spec, font)
            ph0 = rgba.shape[0]
            th = bd.loguniform(rng, 6, 120)
            while th * spec["aspect"] > 0.95 * size and th > 6:
                th *= 0.8
            yaw = math.radians(rng.uniform(-25, 25))
            pitch = math.radians(rng.uniform(-20, 20))
            roll = math.radians(rng.uniform(-12, 12))
            # decide the place first so a car body can go under it
            center = None
            if rng.random() < 0.35:
                s = th / ph0
                c = bd.project_plate(rgba.shape[1] * s, ph0 * s, yaw, pitch, roll)
                bw, bh = np.ptp(c[:, 0]), np.ptp(c[:, 1])
                if bw < size * 0.5:
                    fake = [rng.uniform(0, size - bw), rng.uniform(0, size - bh), bw, bh]
                    if not overlaps(fake, taken, 2 * bh):
                        car_body(rng, canvas, fake, taken)
                        center = (fake[0] + bw / 2, fake[1] + bh / 2)
            res = paste_warped(rng, canvas, rgba, th, yaw, pitch, roll, taken, center=center)
            if res is None:
                continue
            Hm, quad, box = res
            d = SHRINK * ph0
            w0 = rgba.shape[1]
            inner = apply_h(Hm, [[d, d], [w0 - d, d], [w0 - d, ph0 - d], [d, ph0 - d]])
            rasterise_quad(mask, inner)
            taken.append(box)
            plates.append({"quad": np.round(quad, 2).tolist(), "h": round(th, 2), "style": spec["style"]})
        else:
            kind = rng.random()
            if kind < 0.8:
                rgba, txt = render_text_negative(rng, afonts)
                th = bd.loguniform(rng, 5, 100)
            else:
                rgba, txt = render_blank_plate(rng), "<blank plate>"
                th = bd.loguniform(rng, 6, 80)
            scale_w = rgba.shape[1] / rgba.shape[0]
            if th * scale_w > 1.3 * size:
                th = 1.3 * size / scale_w
            if th < 4:
                continue
            res = paste_warped(rng, canvas, rgba, th, math.radians(rng.uniform(-20, 20)),
                               math.radians(rng.uniform(-15, 15)), math.radians(rng.uniform(-15, 15)),
                               taken, margin=2, gain=(0.5, 1.15))
            if res is None:
                continue
            taken.append(res[2])
            negs.append({"box": [round(v, 1) for v in res[2]], "text": txt})
    img, q = bd.degrade(rng, canvas, strong=True)
    ok, jpg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(q)])
    return jpg.tobytes(), mask, {"background": bgname, "plates": plates, "negatives": negs, "jpeg_quality": int(q)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=6000)
    ap.add_argument("--size", type=int, default=384)
    ap.add_argument("--seed", type=int, default=TRAIN_SEED)
    ap.add_argument("--hard", action="store_true", help="hard-negative mix (specks, more text, more empty crops)")
    ap.add_argument("--backgrounds", default=os.path.join(ROOT, ".cache", "plates-bg", "root"))
    args = ap.parse_args()
    if args.seed == 20261123:
        sys.exit("that is the dev set's seed; use another")
    bgs = load_backgrounds(args.backgrounds, os.path.join(ROOT, ".cache", "plates-bg", "small"))
    pf, af = plate_fonts(), all_fonts()
    os.makedirs(args.out, exist_ok=True)
    meta = []
    t0 = time.time()
    for i in range(args.n):
        rng = np.random.default_rng([args.seed, i])
        jpg, mask, m = make_crop(rng, bgs, pf, af, args.size, hard=args.hard)
        with open(os.path.join(args.out, f"{i:05d}.jpg"), "wb") as f:
            f.write(jpg)
        cv2.imwrite(os.path.join(args.out, f"{i:05d}.png"), mask)
        m["file"] = f"{i:05d}.jpg"
        meta.append(m)
        if (i + 1) % 500 == 0:
            print(f"{i + 1}/{args.n} {time.time() - t0:.0f}s", flush=True)
            with open(os.path.join(args.out, "meta.json"), "w") as f:
                json.dump({"seed": args.seed, "size": args.size, "shrink": SHRINK, "hard": args.hard, "crops": meta}, f)
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump({"seed": args.seed, "size": args.size, "shrink": SHRINK, "hard": args.hard, "crops": meta}, f)
    print(f"{args.n} crops -> {args.out} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
