#!/usr/bin/python3
"""Build the face + licence-plate development set (COCO format).

Deterministic: every synthetic image gets its own RNG seeded from
(--seed, part, index), so `--small` produces exactly the first images of each
part of the full build, and re-running gives the same annotations (and, with
the same OpenCV/Pillow/FreeType versions, the same pixels; see manifest.tsv).

Inputs (nothing here is committed except this script and the JSON/TSV files):
  .cache/media/          third-party media, fetched by tests/media/fetch-media.sh
  .cache/devset-bg/root/ Debian wallpaper photographs, fetched by
                         models/eval/fetch-backgrounds.sh (see backgrounds.tsv)
  models/eval/real_annotations.json  hand-checked boxes on real frames

Parts (--parts, default all): real, synthetic_plate, synthetic_face, the degraded
small-face parts face_tiny, face_lowlight, face_jpeg, face_motion, face_rotated,
face_crowd, and the plate parts (each its own split; see models/eval/README.md):
  plate_motion  40 images, 1-3 plates 14-60 px tall, each with its own linear motion blur
                of 4-24 px (mostly near-horizontal, a passing car), defocus in 30%
  plate_far     40 images 1280x720, 2-4 plates 8-16 px tall (log-uniform; the 10-16 px
                goal bucket), slight defocus or 2-4 px blur in some, mild noise and JPEG
  plate_signs   40 images, 1-2 plates and 3-6 pieces of non-plate text (signs, house
                numbers, a timestamp overlay, chrome brand lettering, phone numbers on a
                van side) that are NOT annotated, so precision shows how much of it is
                redacted; listed in the image field `negatives`
The plate parts' annotations carry plate_height_px, blur_len, blur_angle and defocus_sigma,
so recall can be split by plate height and by blur. Each later part was appended with its
own seed stream, so the earlier parts' images, ids and annotations did not change.

Output (default .cache/devset/):
  images/real_*.jpg, images/synplate_*.jpg, images/synface_*.jpg, images/facetiny_*.jpg,
  images/facelow_*.jpg, images/facejpeg_*.jpg, images/facemotion_*.jpg,
  images/facerot_*.jpg, images/facecrowd_*.jpg, images/platemotion_*.jpg,
  images/platefar_*.jpg, images/platesigns_*.jpg
  annotations.json   COCO: categories 1=face, 2=licence_plate
  stats.json         counts per split / class / size bucket (+ a finer face-height histogram;
                     on the plate parts plate-height and blur-length histograms, and the
                     negatives per kind)
  manifest.tsv       sha256 of every image written

Requires Debian packages: python3-opencv python3-numpy python3-pil
fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf.  Run with /usr/bin/python3.
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import sys

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

CATEGORIES = [{"id": 1, "name": "face", "supercategory": "pii"},
              {"id": 2, "name": "licence_plate", "supercategory": "pii"}]
CAT_ID = {"face": 1, "plate": 2}

# the degraded small-face parts (face_*) are appended after the original three; their
# images come after the original ones in annotations.json, so the original ids do not move
SMALL_FACE_PART_NAMES = ["face_tiny", "face_lowlight", "face_jpeg", "face_motion", "face_rotated", "face_crowd"]
# the plate parts (plate_*) come after those, again each with its own seed stream (PART_ID 9-11)
PLATE_PART_NAMES = ["plate_motion", "plate_far", "plate_signs"]
N_FULL = {"synthetic_plate": 150, "synthetic_face": 80, **{p: 25 for p in SMALL_FACE_PART_NAMES},
          **{p: 40 for p in PLATE_PART_NAMES}}
N_SMALL = {"real": 12, "synthetic_plate": 16, "synthetic_face": 12, **{p: 1 for p in SMALL_FACE_PART_NAMES},
           **{p: 2 for p in PLATE_PART_NAMES}}
PART_ID = {"synthetic_plate": 1, "synthetic_face": 2, **{p: 3 + i for i, p in enumerate(SMALL_FACE_PART_NAMES)},
           **{p: 3 + len(SMALL_FACE_PART_NAMES) + i for i, p in enumerate(PLATE_PART_NAMES)}}
ALL_PARTS = ["real", "synthetic_plate", "synthetic_face"] + SMALL_FACE_PART_NAMES + PLATE_PART_NAMES

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation2",
             "/usr/share/fonts/truetype/freefont"]
FONT_FILES = ["DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf", "DejaVuSansMono-Bold.ttf",
              "DejaVuSans.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Regular.ttf",
              "LiberationMono-Bold.ttf", "FreeSansBold.ttf", "FreeSans.ttf", "FreeMonoBold.ttf"]

OUT_SIZES = [(1280, 720), (1920, 1080)]


# ----------------------------------------------------------------------------- helpers
def find_fonts():
    """The FONT_FILES that are installed, in FONT_FILES order (first FONT_DIRS match each)."""
    fonts = []
    for fn in FONT_FILES:
        for d in FONT_DIRS:
            p = os.path.join(d, fn)
            if os.path.exists(p):
                fonts.append(p)
                break
    return fonts


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_tsv(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def check_media(media_dir):
    manifest = os.path.join(ROOT, "tests", "media", "manifest.tsv")
    for row in read_tsv(manifest):
        name, want = row[0], row[3]
        p = os.path.join(media_dir, name)
        if not os.path.exists(p):
            sys.exit(f"missing {p}: run tests/media/fetch-media.sh first")
        if sha256(p) != want:
            sys.exit(f"sha256 mismatch for {p}")


def load_backgrounds(bg_root):
    rows = read_tsv(os.path.join(HERE, "backgrounds.tsv"))
    out = []
    for name, _pkg, path, want, lic, _who in rows:
        p = os.path.join(bg_root, path)
        if not os.path.exists(p):
            sys.exit(f"missing {p}: run models/eval/fetch-backgrounds.sh first")
        if sha256(p) != want:
            sys.exit(f"sha256 mismatch for {p}")
        out.append({"name": name, "path": p, "licence": lic})
    return out


def read_video_frames(path, wanted):
    wanted = set(wanted)
    cap = cv2.VideoCapture(path)
    frames, i = {}, 0
    while wanted - set(frames):
        ok, im = cap.read()
        if not ok:
            break
        if i in wanted:
            frames[i] = im
        i += 1
    missing = wanted - set(frames)
    if missing:
        sys.exit(f"{path}: could not decode frames {sorted(missing)}")
    return frames


FACE_HIST = [("<12", 12), ("12-16", 16), ("16-24", 24), ("24-32", 32), ("32-48", 48), ("48-96", 96),
             (">=96", float("inf"))]


def size_bucket(h):
    return "small" if h < 32 else ("medium" if h <= 96 else "large")


def iou_any(box, boxes, margin=0.0):
    x, y, w, h = box
    for bx, by, bw, bh in boxes:
        if x < bx + bw + margin and bx < x + w + margin and y < by + bh + margin and by < y + h + margin:
            return True
    return False


def loguniform(rng, lo, hi):
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


# ----------------------------------------------------------------------------- real part
def load_real(media_dir, ann_path):
    anns = json.load(open(ann_path))
    by_video = {}
    for a in anns:
        if a["frame"] is not None:
            by_video.setdefault(a["source"], []).append(a["frame"])
    decoded = {v: read_video_frames(os.path.join(media_dir, v), fr) for v, fr in by_video.items()}
    items = []
    for a in anns:
        stem = os.path.splitext(a["source"])[0]
        if a["frame"] is None:
            img = cv2.imread(os.path.join(media_dir, a["source"]))
            name = f"real_{stem}.jpg"
        else:
            img = decoded[a["source"]][a["frame"]]
            name = f"real_{stem}_f{a['frame']:04d}.jpg"
        items.append({"name": name, "img": img, "entry": a})
    return items


# ----------------------------------------------------------------------------- background sampling
class BackgroundPool:
    """Photographs + real media with no/known objects; every crop carries the
    real annotations it fully contains and is rejected if it cuts one."""

    def __init__(self, bgs, media_dir, real_items, rng_seed):
        self.sources = []
        for b in bgs:
            img = cv2.imread(b["path"])
            # pre-shrink huge wallpapers to at most 2560 px wide for speed
            s = min(1.0, 2560.0 / img.shape[1])
            if s < 1.0:
                img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
            self.sources.append({"name": b["name"], "img": img, "boxes": [], "flip_ok": True})
        # real stills: keep their hand-checked boxes so crops stay fully annotated.
        # messi5.jpg is excluded (unannotated blurred crowd faces).
        for it in real_items:
            e = it["entry"]
            if e["frame"] is None and e["source"].startswith(("scenetext", "licenseplate")):
                self.sources.append({"name": e["source"], "img": it["img"],
                                     "boxes": [(b["category"], b["bbox"]) for b in e["boxes"]],
                                     "flip_ok": False})  # never mirror real text
        # vtest.avi temporal median = empty scene (pedestrians removed)
        cap = cv2.VideoCapture(os.path.join(media_dir, "vtest.avi"))
        frames, i = [], 0
        while True:
            ok, im = cap.read()
            if not ok:
                break
            if i % 8 == 0:
                frames.append(im)
            i += 1
        med = np.median(np.stack(frames), axis=0).astype(np.uint8)
        # the parked vehicles' plates are static: carry them from the annotated frame 0
        static = [(b["category"], b["bbox"]) for it in real_items
                  if it["entry"]["source"] == "vtest.avi" and it["entry"]["frame"] == 0
                  for b in it["entry"]["boxes"] if b["category"] == "plate"]
        self.sources.append({"name": "vtest.avi(median)", "img": med, "boxes": static, "flip_ok": True})

    def sample(self, rng, out_w, out_h):
        for _ in range(100):
            src = self.sources[int(rng.integers(len(self.sources)))]
            img = src["img"]
            H, W = img.shape[:2]
            aspect = out_w / out_h
            # crop of 55-100% of the largest 16:9 window
            cw_max = min(W, H * aspect)
            cw = cw_max * rng.uniform(0.55, 1.0)
            ch = cw / aspect
            x0 = rng.uniform(0, W - cw)
            y0 = rng.uniform(0, H - ch)
            sx, sy = out_w / cw, out_h / ch
            carried, bad = [], False
            for cat, (bx, by, bw, bh) in src["boxes"]:
                inside = bx >= x0 and by >= y0 and bx + bw <= x0 + cw and by + bh <= y0 + ch
                outside = bx + bw <= x0 or by + bh <= y0 or bx >= x0 + cw or by >= y0 + ch
                if inside:
                    carried.append((cat, [(bx - x0) * sx, (by - y0) * sy, bw * sx, bh * sy]))
                elif not outside:
                    bad = True
                    break
            if bad:
                continue
            M = np.array([[sx, 0, -x0 * sx], [0, sy, -y0 * sy]], np.float64)
            out = cv2.warpAffine(img, M, (out_w, out_h), flags=cv2.INTER_AREA if sx < 1 else cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REFLECT)
            if rng.random() < 0.5 and src["flip_ok"]:
                out = out[:, ::-1].copy()
                carried = [(c, [out_w - b[0] - b[2], b[1], b[2], b[3]]) for c, b in carried]
            return out, carried, src["name"]
        raise RuntimeError("could not sample a background")


# ----------------------------------------------------------------------------- plates
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
DIGITS = "0123456789"


def _r(rng, alphabet, n):
    return "".join(alphabet[int(rng.integers(len(alphabet)))] for _ in range(n))


def plate_spec(rng):
    """Return dict(style, lines, aspect, bg, fg, band) for a random fictional plate."""
    L = lambda n: _r(rng, LETTERS, n)
    D = lambda n: _r(rng, DIGITS, n)
    white, yellow, black = (245, 245, 240), (250, 205, 30), (20, 20, 20)
    style = ["fr", "it", "de", "uk_front", "uk_rear", "in", "in_2line", "us", "eu_moto_2line", "nl"][
        int(rng.integers(10))]
    if style == "fr":
        return dict(style=style, lines=[f"{L(2)}-{D(3)}-{L(2)}"], aspect=4.7, bg=white, fg=black, band="F")
    if style == "it":
        return dict(style=style, lines=[f"{L(2)} {D(3)}{L(2)}"], aspect=4.7, bg=white, fg=black, band="I")
    if style == "de":
        city = L(int(rng.integers(1, 4)))
        return dict(style=style, lines=[f"{city}-{L(int(rng.integers(1, 3)))} {D(int(rng.integers(1, 5)))}"],
                    aspect=4.7, bg=white, fg=black, band="D")
    if style == "uk_front":
        return dict(style=style, lines=[f"{L(2)}{D(2)} {L(3)}"], aspect=4.6, bg=white, fg=black, band=None)
    if style == "uk_rear":
        return dict(style=style, lines=[f"{L(2)}{D(2)} {L(3)}"], aspect=4.6, bg=yellow, fg=black, band=None)
    if style == "in":
        return dict(style=style, lines=[f"{L(2)}{D(2)} {L(2)} {D(4)}"], aspect=4.4, bg=white, fg=black, band=None)
    if style == "in_2line":
        return dict(style=style, lines=[f"{L(2)} {D(2)}", f"{L(2)} {D(4)}"], aspect=1.75,
                    bg=[white, yellow][int(rng.integers(2))], fg=black, band=None)
    if style == "us":
        return dict(style=style, lines=[f"{D(1)}{L(3)}{D(3)}"], aspect=2.0, bg=white,
                    fg=[(30, 40, 120), (20, 20, 20), (120, 20, 20)][int(rng.integers(3))], band=None,
                    header=["STATE", "COUNTY", "REGION"][int(rng.integers(3))])
    if style == "eu_moto_2line":
        return dict(style=style, lines=[f"{L(2)} {D(3)}", f"{L(2)}"], aspect=1.3, bg=white, fg=black, band="EU")
    return dict(style="nl", lines=[f"{D(2)}-{L(3)}-{D(1)}"], aspect=4.7, bg=yellow, fg=black, band="NL")


def _fit_font(font_path, text, max_w, max_h):
    size = int(max_h * 1.3)
    while size > 6:
        f = ImageFont.truetype(font_path, size)
        x0, y0, x1, y1 = f.getbbox(text)
        if x1 - x0 <= max_w and y1 - y0 <= max_h:
            return f
        size -= 2
    return ImageFont.truetype(font_path, 6)


def render_plate(spec, font_path, H=220):
    """Render a plate as RGBA uint8 (H x W)."""
    W = int(round(H * spec["aspect"]))
    img = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    r = int(H * 0.08)
    border = max(2, int(H * 0.035))
    d.rounded_rectangle([0, 0, W - 1, H - 1], radius=r, fill=spec["bg"] + (255,))
    d.rounded_rectangle([border, border, W - 1 - border, H - 1 - border], radius=r,
                        outline=spec["fg"] + (255,), width=max(2, int(H * 0.025)))
    x_l, x_r = border * 3, W - border * 3
    if spec["band"]:
        bw = int(H * (0.42 if spec["style"] != "eu_moto_2line" else 0.28))
        d.rounded_rectangle([border * 2, border * 2, border * 2 + bw, H - 1 - border * 2], radius=r // 2,
                            fill=(20, 50, 160, 255))
        code = spec["band"]
        f = _fit_font(font_path, code, bw * 0.8, H * 0.22)
        tb = f.getbbox(code)
        d.text((border * 2 + (bw - (tb[2] - tb[0])) / 2 - tb[0], H * 0.62 - tb[1]), code, font=f,
               fill=(255, 255, 255, 255))
        # ring of stars approximated by small dots
        cx, cy, rr = border * 2 + bw / 2, H * 0.33, min(bw, H) * 0.22
        for k in range(12):
            a = 2 * math.pi * k / 12
            px, py = cx + rr * math.cos(a), cy + rr * math.sin(a)
            d.ellipse([px - H * 0.012, py - H * 0.012, px + H * 0.012, py + H * 0.012], fill=(250, 205, 30, 255))
        x_l = border * 2 + bw + border * 2
    top, bottom = border * 3, H - border * 3
    if spec.get("header"):
        hdr = spec["header"]
        f = _fit_font(font_path, hdr, (x_r - x_l) * 0.6, H * 0.16)
        tb = f.getbbox(hdr)
        d.text((x_l + (x_r - x_l - (tb[2] - tb[0])) / 2 - tb[0], top - tb[1]), hdr, font=f, fill=spec["fg"] + (255,))
        top += int(H * 0.22)
        bottom -= int(H * 0.08)
    n = len(spec["lines"])
    line_h = (bottom - top) / n
    for i, line in enumerate(spec["lines"]):
        f = _fit_font(font_path, line, (x_r - x_l) * 0.96, line_h * 0.82)
        tb = f.getbbox(line)
        tx = x_l + (x_r - x_l - (tb[2] - tb[0])) / 2 - tb[0]
        ty = top + i * line_h + (line_h - (tb[3] - tb[1])) / 2 - tb[1]
        d.text((tx, ty), line, font=f, fill=spec["fg"] + (255,))
    return np.array(img)[:, :, [2, 1, 0, 3]].copy()  # RGBA -> BGRA


def project_plate(w, h, yaw, pitch, roll, f_mult=3.0):
    """3D-rotate a w x h plate about its centre and project; returns 4x2 corners (TL,TR,BR,BL)."""
    cy_, sy_ = math.cos(yaw), math.sin(yaw)
    cp, sp = math.cos(pitch), math.sin(pitch)
    cr, sr = math.cos(roll), math.sin(roll)
    Ry = np.array([[cy_, 0, sy_], [0, 1, 0], [-sy_, 0, cy_]])
    Rx = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    Rz = np.array([[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]])
    R = Rz @ Rx @ Ry
    f = f_mult * max(w, h)
    pts = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]], float)
    out = []
    for p in pts:
        q = R @ p
        z = f + q[2]
        out.append([f * q[0] / z, f * q[1] / z])
    return np.array(out)


def motion_kernel(length, angle):
    k = np.zeros((length, length), np.float32)
    k[length // 2, :] = 1.0
    M = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    k = cv2.warpAffine(k, M, (length, length))
    return k / max(k.sum(), 1e-6)


def line_kernel(length, angle_deg):
    """A centred linear motion-blur kernel: a segment `length` px long (any float > 0) through
    the centre of an odd-sized kernel, at angle_deg (0 = horizontal, positive = counter-
    clockwise on screen), sampled 8x per px with bilinear splatting; sums to 1, and its
    centroid is exactly the centre, so filter2D moves nothing (the box stays at mid-exposure).
    No randomness. (motion_kernel, used by the older parts, is off-centre by up to 0.5 px.)"""
    r = length / 2.0
    c = int(math.ceil(r)) + 1
    k = np.zeros((2 * c + 1, 2 * c + 1), np.float64)
    n = max(8, int(math.ceil(length * 8)))
    t = -r + (np.arange(n) + 0.5) * (length / n)          # symmetric about 0
    a = math.radians(angle_deg)
    x, y = c + t * math.cos(a), c - t * math.sin(a)      # y points down
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    for dx, dy, w in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
        np.add.at(k, (y0 + dy, x0 + dx), w)
    return (k / k.sum()).astype(np.float32)


def blur_reach(blur):
    """How far (px) apply_blur(…, blur) spreads a pixel: half the motion length, 4 sigma of
    the defocus (OpenCV's float Gaussian kernel), plus 1 for the splatting."""
    return blur["len"] / 2.0 + 4.0 * blur["defocus"] + 1.0


def apply_blur(patch, blur):
    """Defocus (Gaussian, sigma blur['defocus']) then linear motion blur (blur['len'] px at
    blur['angle'] deg) of a premultiplied float patch; zero values mean none. The patch must be
    padded by blur_reach(blur) zeros so nothing is cut off. No randomness."""
    if blur["defocus"] > 0:
        patch = cv2.GaussianBlur(patch, (0, 0), blur["defocus"])
    if blur["len"] > 0:
        patch = cv2.filter2D(patch, -1, line_kernel(blur["len"], blur["angle"]), borderType=cv2.BORDER_CONSTANT)
    return patch


def composite(dst, src_bgra, x, y):
    """Alpha-composite src (float BGRA, alpha 0..1) at integer offset (x,y), clipped."""
    H, W = dst.shape[:2]
    h, w = src_bgra.shape[:2]
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(W, x + w), min(H, y + h)
    if x1 <= x0 or y1 <= y0:
        return
    s = src_bgra[y0 - y:y1 - y, x0 - x:x1 - x]
    a = s[:, :, 3:4]
    roi = dst[y0:y1, x0:x1].astype(np.float32)
    dst[y0:y1, x0:x1] = np.clip(roi * (1 - a) + s[:, :, :3] * a, 0, 255).astype(np.uint8)


EXACT_SUPERSAMPLE = 4


def warp_patch(rgba, dst, box, bw, bh, s, pad=8, exact=False):
    """Warps a BGRA rendering onto the quadrilateral dst (canvas coordinates) inside a local
    patch around box, premultiplied by alpha; no randomness. Returns (patch, ox, oy, pw, ph, Hm):
    (ox, oy) is the patch's top-left corner on the canvas, Hm maps the rendering into the patch.
    pad: free pixels around box in the patch (room for a blur). exact: the rendering's pixel
    edges map to the patch's pixel edges (pixel i covers [i, i+1)), so its corners land exactly
    on dst, and each patch pixel gets the rendering's average over its area (warped at
    EXACT_SUPERSAMPLE x, then INTER_AREA down by that integer factor), so a plate a few px tall
    has its mass and centroid where dst says. The default maps pixel indices, which puts the
    pixels up to 0.5 px right of and below dst, and point-samples the lightly pre-blurred
    rendering (both kept for synthetic_plate, whose pixels must not change)."""
    ph0, pw0 = rgba.shape[:2]
    ox, oy = int(math.floor(box[0])) - pad, int(math.floor(box[1])) - pad
    pw, ph = int(math.ceil(bw)) + 2 * pad + 2, int(math.ceil(bh)) + 2 * pad + 2
    srcpts = np.float32([[0, 0], [pw0, 0], [pw0, ph0], [0, ph0]])
    Hm = cv2.getPerspectiveTransform(srcpts, np.float32(dst - [ox, oy]))
    if exact:
        n = EXACT_SUPERSAMPLE
        T = lambda t: np.array([[1, 0, t], [0, 1, t], [0, 0, 1]], np.float64)
        f = rgba.astype(np.float32)
        f[:, :, :3] *= f[:, :, 3:4] / 255.0          # premultiply
        # anti-aliasing for the n x grid (sigma 0.35 of its px), on a transparent margin so
        # the rendering's outline is smoothed too, not only its inside
        sig = 0.35 / (s * n) if s * n < 1 else 0.0
        m = int(math.ceil(4 * sig)) + 1
        f = cv2.copyMakeBorder(f, m, m, m, m, cv2.BORDER_CONSTANT, value=0)
        if sig:
            f = cv2.GaussianBlur(f, (0, 0), sig)
        He = cv2.getPerspectiveTransform(srcpts + m, np.float32(dst - [ox, oy]))   # edge -> edge
        # index -> edge (+0.5), the edge mapping (scaled n x), edge -> index (-0.5)
        Hn = T(-0.5) @ np.diag([n, n, 1.0]) @ He @ T(0.5)
        big = cv2.warpPerspective(f, Hn, (pw * n, ph * n), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                  borderValue=0)
        return cv2.resize(big, (pw, ph), interpolation=cv2.INTER_AREA), ox, oy, pw, ph, T(-0.5) @ Hm @ T(0.5)
    f = rgba.astype(np.float32)
    f[:, :, :3] *= f[:, :, 3:4] / 255.0          # premultiply
    # pre-blur the big rendering before a large downscale (anti-aliasing)
    if s < 0.5:
        f = cv2.GaussianBlur(f, (0, 0), 0.35 / s)
    warped = cv2.warpPerspective(f, Hm, (pw, ph), flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return warped, ox, oy, pw, ph, Hm


def place_plate(rng, canvas, fonts, taken, h_range=(12, 120), blur=None):
    """One fictional plate at a free place on canvas: (box, attrs) or None.

    h_range: range of the plate's own (unrotated) height in px, log-uniform; the default is
    synthetic_plate's. blur: None (synthetic_plate: a random defocus or short motion blur drawn
    here, and warp_patch's index mapping, both kept so that part stays byte-identical), or a
    dict(len, angle, defocus) drawn by the caller (the plate_* parts): then no blur is drawn
    here, the warp is exact, the given blur is applied to the plate alone with a centred kernel
    (apply_blur), so the box stays where the plate is at mid-exposure, the gap to other boxes
    grows by the blur's reach, and attrs add blur_len, blur_angle and defocus_sigma."""
    H, W = canvas.shape[:2]
    spec = plate_spec(rng)
    font = fonts[int(rng.integers(len(fonts)))]
    rgba = render_plate(spec, font)
    ph0, pw0 = rgba.shape[:2]
    target_h = loguniform(rng, *h_range)             # plate's own (unrotated) height in px
    s = target_h / ph0
    yaw = math.radians(rng.uniform(-15, 15))
    pitch = math.radians(rng.uniform(-15, 15))
    max_roll = 12 if len(spec["lines"]) > 1 else 8
    roll = math.radians(rng.uniform(-max_roll, max_roll))
    corners = project_plate(pw0 * s, ph0 * s, yaw, pitch, roll)
    bw = corners[:, 0].max() - corners[:, 0].min()
    bh = corners[:, 1].max() - corners[:, 1].min()
    if bw > W * 0.9 or bh > H * 0.9:
        return None
    reach = 0.0 if blur is None else blur_reach(blur)
    for _ in range(60):
        cx = rng.uniform(bw / 2 + 1, W - bw / 2 - 1)
        cy = rng.uniform(bh / 2 + 1, H - bh / 2 - 1)
        dst = corners + [cx, cy]
        box = [float(dst[:, 0].min()), float(dst[:, 1].min()), float(bw), float(bh)]
        if not iou_any(box, taken, margin=4 + reach):
            break
    else:
        return None
    if blur is None:
        warped, ox, oy, pw, ph, _ = warp_patch(rgba, dst, box, bw, bh, s)
        # optical degradations on the plate: defocus or motion blur
        r = rng.random()
        if r < 0.3:
            warped = cv2.GaussianBlur(warped, (0, 0), rng.uniform(0.4, 1.6))
        elif r < 0.5:
            warped = cv2.filter2D(warped, -1, motion_kernel(int(rng.integers(3, 10)), rng.uniform(0, 180)))
    else:
        warped, ox, oy, pw, ph, _ = warp_patch(rgba, dst, box, bw, bh, s, pad=8 + int(math.ceil(reach)),
                                               exact=True)
        warped = apply_blur(warped, blur)
    a = np.clip(warped[:, :, 3:4] / 255.0, 0, 1)
    rgb = warped[:, :, :3] / np.maximum(a, 1e-3)
    # lighting: dirty/shaded plate, colour cast from local scene
    local = canvas[max(0, oy):oy + ph, max(0, ox):ox + pw]
    tint = local.reshape(-1, 3).mean(0) / 128.0 if local.size else np.ones(3)
    gain = rng.uniform(0.45, 1.1)
    rgb = rgb * gain * (0.75 + 0.25 * np.clip(tint, 0.5, 1.5))
    rgb = (rgb - 128) * rng.uniform(0.6, 1.0) + 128
    patch = np.concatenate([np.clip(rgb, 0, 255), a], axis=2).astype(np.float32)
    composite(canvas, patch, ox, oy)
    attrs = {"style": spec["style"], "plate_height_px": round(target_h, 1), "text": " / ".join(spec["lines"]), "font": os.path.basename(font),
             "yaw_deg": round(math.degrees(yaw), 1), "pitch_deg": round(math.degrees(pitch), 1),
             "roll_deg": round(math.degrees(roll), 1)}
    if blur is not None:
        attrs.update(blur_len=blur["len"], blur_angle=blur["angle"], defocus_sigma=blur["defocus"])
    return box, attrs


# ----------------------------------------------------------------------------- faces
def face_sources(real_items):
    out = []
    for it in real_items:
        e = it["entry"]
        if not (e["source"].startswith("Megamind") or e["source"] == "messi5.jpg"):
            continue
        for b in e["boxes"]:
            # in-focus faces only: Megamind foreground faces (>= 100 px tall) and the
            # messi5 player; the out-of-focus background man (~70 px) is not reused
            if b["category"] == "face" and (b["bbox"][3] >= 100 or e["source"] == "messi5.jpg"):
                out.append({"img": it["img"], "bbox": b["bbox"], "from": it["name"]})
    return out


def pick_face_source(rng, sources, target_h):
    """A source face that needs at most 1.5x upscaling for target_h (one rng draw)."""
    ok = [s for s in sources if s["bbox"][3] * 1.5 >= target_h]
    return ok[int(rng.integers(len(ok)))] if ok else max(sources, key=lambda s: s["bbox"][3])


def face_crop(src):
    """The source face with a 25% margin (clipped to its frame), as float32, and the face
    box inside the crop: (crop, fx, fy, bw, bh). No randomness."""
    img = src["img"]
    bx, by, bw, bh = src["bbox"]
    m = 0.25
    cx0, cy0 = max(0, int(bx - m * bw)), max(0, int(by - m * bh))
    cx1, cy1 = min(img.shape[1], int(math.ceil(bx + bw + m * bw))), min(img.shape[0], int(math.ceil(by + bh + m * bh)))
    crop = img[cy0:cy1, cx0:cx1].astype(np.float32)
    return crop, bx - cx0, by - cy0, bw, bh


def face_alpha(shape, fx, fy, bw, bh):
    """Elliptical alpha (H x W x 1, 0..1): 1 inside an ellipse ~15% larger than the face box,
    feathered to 0 at ~40% larger (keeps hair/chin context, hides the crop rectangle)."""
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    rn = np.sqrt(((xx + 0.5 - (fx + bw / 2)) / (bw / 2)) ** 2 + ((yy + 0.5 - (fy + bh / 2)) / (bh / 2)) ** 2)
    return np.clip((1.40 - rn) / (1.40 - 1.15), 0, 1)[:, :, None]


def flip_and_jitter(rng, crop, alpha, fx, bw):
    """Random mirror, then contrast/brightness/colour jitter (5 rng draws, fixed order)."""
    flip = bool(rng.random() < 0.5)
    if flip:
        crop, alpha = crop[:, ::-1], alpha[:, ::-1]
        fx = crop.shape[1] - fx - bw
    crop = np.clip((crop - 128) * rng.uniform(0.75, 1.2) + 128 + rng.uniform(-30, 30), 0, 255)
    crop = crop * rng.uniform(0.9, 1.1, size=3)
    return crop, alpha, fx, flip


def place_face(rng, canvas, sources, taken):
    """synthetic_face: one face 16-200 px tall, upright (the original part; its rng draws and
    pixels must not change)."""
    H, W = canvas.shape[:2]
    target_h = loguniform(rng, 16, 200)
    src = pick_face_source(rng, sources, target_h)
    crop, fx, fy, bw, bh = face_crop(src)
    s = target_h / bh
    cw, ch = crop.shape[1] * s, crop.shape[0] * s
    if cw > W * 0.9 or ch > H * 0.9:
        return None
    alpha = face_alpha(crop.shape, fx, fy, bw, bh)
    crop, alpha, fx, flip = flip_and_jitter(rng, crop, alpha, fx, bw)
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC
    # sub-pixel exact placement: warp with an affine that maps crop -> canvas
    for _ in range(60):
        fbx = rng.uniform(1, W - bw * s - 1)
        fby = rng.uniform(1, H - bh * s - 1)
        box = [float(fbx), float(fby), float(bw * s), float(bh * s)]
        if not iou_any(box, taken, margin=max(4, 0.3 * bh * s)):
            break
    else:
        return None
    ox, oy = fbx - fx * s, fby - fy * s                  # canvas coords of crop origin
    x0, y0 = int(math.floor(ox)), int(math.floor(oy))
    pw, ph = int(math.ceil(cw)) + 2, int(math.ceil(ch)) + 2
    A = np.array([[s, 0, ox - x0], [0, s, oy - y0]], np.float64)
    src_bgra = np.concatenate([crop, alpha * 255], axis=2).astype(np.float32)
    if s < 0.5:
        src_bgra = cv2.GaussianBlur(src_bgra, (0, 0), 0.35 / s)
    patch = cv2.warpAffine(src_bgra, A, (pw, ph), flags=interp, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    patch[:, :, 3] = np.clip(patch[:, :, 3] / 255.0, 0, 1)
    if rng.random() < 0.3:
        patch[:, :, :3] = cv2.GaussianBlur(patch[:, :, :3], (0, 0), rng.uniform(0.5, 1.5))
    composite(canvas, patch, x0, y0)
    return box, {"from": src["from"], "flip": flip, "scale": round(s, 3)}


def rotated_box_size(w, h, angle_deg):
    """Width and height of the axis-aligned box of a w x h rectangle rotated by angle_deg."""
    a = math.radians(angle_deg)
    c, s = abs(math.cos(a)), abs(math.sin(a))
    return w * c + h * s, w * s + h * c


def paste_small(canvas, bgra, face, centre, angle_deg):
    """Pastes a (pre-scaled) float BGRA crop, premultiplied, alpha 0..1, onto canvas so that the centre of its
    face box face=(fx, fy, fw, fh) lands on centre=(cx, cy) (canvas pixel-edge coordinates:
    pixel i covers [i, i+1)), rotated in-plane by angle_deg (positive = counter-clockwise on
    screen, as cv2.getRotationMatrix2D) about that centre, at scale 1. Bilinear, premultiplied
    alpha. Returns the exact face box on the canvas: the axis-aligned box of the four rotated
    face-box corners. No randomness."""
    fx, fy, fw, fh = face
    cx, cy = centre
    a = math.radians(angle_deg)
    # y points down, so a counter-clockwise turn on screen is [[cos, sin], [-sin, cos]]
    R = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]], np.float64)
    c_src = np.array([fx + fw / 2, fy + fh / 2])
    corners = lambda x0, y0, x1, y1: np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)
    to_canvas = lambda p: (p - c_src) @ R.T + [cx, cy]
    face_c = to_canvas(corners(fx, fy, fx + fw, fy + fh))
    crop_c = to_canvas(corners(0, 0, bgra.shape[1], bgra.shape[0]))
    x0, y0 = int(math.floor(crop_c[:, 0].min())) - 1, int(math.floor(crop_c[:, 1].min())) - 1
    pw = int(math.ceil(crop_c[:, 0].max())) + 1 - x0
    ph = int(math.ceil(crop_c[:, 1].max())) + 1 - y0
    # edge coordinates: p_patch = R (p_src - c_src) + centre - (x0, y0); warpAffine works on
    # pixel-centre indices (edge = index + 0.5), hence the half-pixel terms
    t = np.array([cx - x0, cy - y0]) - R @ c_src
    A = np.hstack([R, (t + R @ [0.5, 0.5] - [0.5, 0.5])[:, None]])
    patch = cv2.warpAffine(bgra.astype(np.float32), A, (pw, ph), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    a_ = np.clip(patch[:, :, 3:4], 0, 1)
    patch[:, :, :3] = patch[:, :, :3] / np.maximum(a_, 1e-4)
    patch[:, :, 3:4] = a_
    composite(canvas, patch, x0, y0)
    return [float(face_c[:, 0].min()), float(face_c[:, 1].min()),
            float(face_c[:, 0].max() - face_c[:, 0].min()), float(face_c[:, 1].max() - face_c[:, 1].min())]


def place_small_face(rng, canvas, sources, taken, h_range, rot_range=None, region=None, tight=False):
    """A face for the degraded small-face parts: box height log-uniform in h_range (before
    rotation), downscaled from the source crop with INTER_AREA (cubic if enlarged), mirrored
    and jittered like synthetic_face, optionally rotated in-plane by +-rot_range degrees, at a
    free position inside region (x0, y0, x1, y1; default the frame). tight: the smallest gap
    that keeps this face's feathered alpha off the faces already placed (crowds); otherwise
    30% of the face height, as synthetic_face."""
    H, W = canvas.shape[:2]
    target_h = loguniform(rng, *h_range)
    src = pick_face_source(rng, sources, target_h)
    crop, fx, fy, bw, bh = face_crop(src)
    alpha = face_alpha(crop.shape, fx, fy, bw, bh)
    crop, alpha, fx, flip = flip_and_jitter(rng, crop, alpha, fx, bw)
    s = target_h / bh
    ch0, cw0 = crop.shape[:2]
    nw, nh = max(1, int(round(cw0 * s))), max(1, int(round(ch0 * s)))
    sx, sy = nw / cw0, nh / ch0                          # exact per-axis scales of the resize
    bgra = np.concatenate([crop * alpha, alpha], axis=2).astype(np.float32)  # premultiplied, alpha 0..1
    bgra = cv2.resize(bgra, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)
    bgra = np.clip(bgra, 0, None)
    face = (fx * sx, fy * sy, bw * sx, bh * sy)
    angle = 0.0
    if rot_range is not None:
        angle = rng.uniform(*rot_range) * (1 if rng.random() < 0.5 else -1)
    aw, ah = rotated_box_size(face[2], face[3], angle)
    rx0, ry0, rx1, ry1 = region if region is not None else (0, 0, W, H)
    rx0, ry0, rx1, ry1 = max(rx0, 1), max(ry0, 1), min(rx1, W - 1), min(ry1, H - 1)
    if aw > rx1 - rx0 or ah > ry1 - ry0:
        return None
    margin = (0.2 * max(aw, ah) + 1) if tight else max(4, 0.3 * ah)
    for _ in range(200 if tight else 60):
        ax, ay = rng.uniform(rx0, rx1 - aw), rng.uniform(ry0, ry1 - ah)
        if not iou_any([ax, ay, aw, ah], taken, margin=margin):
            break
    else:
        return None
    blur = 0.0
    if rng.random() < 0.3:                               # slight defocus of this face only
        blur = rng.uniform(0.3, 1.0)
        bgra = cv2.GaussianBlur(bgra, (0, 0), blur)
    box = paste_small(canvas, bgra, face, (ax + aw / 2, ay + ah / 2), angle)
    attrs = {"from": src["from"], "flip": flip, "scale": round(s, 4), "face_height_px": round(face[3], 2)}
    if rot_range is not None:
        attrs["rotation_deg"] = round(angle, 2)
    if blur:
        attrs["face_blur_sigma"] = round(blur, 2)
    return box, attrs


# ----------------------------------------------------------------------------- global degradations
def degrade(rng, img, strong=True):
    out = img.astype(np.float32)
    out = (out - 128) * rng.uniform(0.7, 1.25) + 128 + rng.uniform(-35, 25)
    if rng.random() < 0.5:
        out = out + rng.normal(0, rng.uniform(1, 7 if strong else 4), out.shape)
    out = np.clip(out, 0, 255).astype(np.uint8)
    if rng.random() < 0.25:  # resolution loss
        H, W = out.shape[:2]
        f = rng.uniform(0.5, 0.85)
        out = cv2.resize(cv2.resize(out, (int(W * f), int(H * f)), interpolation=cv2.INTER_AREA), (W, H),
                         interpolation=cv2.INTER_LINEAR)
    q = int(rng.integers(35 if strong else 50, 96))
    return out, q


def luminance(img):
    f = img.astype(np.float32)
    return 0.114 * f[:, :, 0] + 0.587 * f[:, :, 1] + 0.299 * f[:, :, 2]


def degrade_mild(rng, img):
    """Small contrast/brightness change, light noise in half the images, JPEG 60-92."""
    c, b = rng.uniform(0.85, 1.15), rng.uniform(-15, 15)
    out = (img.astype(np.float32) - 128) * c + 128 + b
    noise = float(rng.uniform(0.5, 3.0)) if rng.random() < 0.5 else 0.0
    if noise:
        out = out + rng.normal(0, noise, out.shape)
    q = int(rng.integers(60, 93))
    return np.clip(out, 0, 255).astype(np.uint8), q, {
        "contrast": round(c, 3), "brightness": round(b, 2), "noise_sigma": round(noise, 2)}


def degrade_lowlight(rng, img):
    """Night / dim indoor: gamma, then a gain that cuts the mean luminance to 15-35% of the
    original, a slight colour cast, then sensor-like noise (shot noise ~ sqrt(signal), so
    the darker a region the lower its SNR, plus read noise, lightly correlated as after
    demosaicing), JPEG 55-85."""
    f = img.astype(np.float32) / 255.0
    lum0 = float(luminance(img).mean()) / 255.0
    gamma = rng.uniform(1.2, 2.0)
    ratio = rng.uniform(0.15, 0.35)                      # wanted mean luminance / original
    g = f ** gamma
    lum_g = float((0.114 * g[:, :, 0] + 0.587 * g[:, :, 1] + 0.299 * g[:, :, 2]).mean())
    gain = ratio * lum0 / max(lum_g, 1e-4)
    ci = int(rng.integers(3))
    cast_name = ["none", "sodium", "cool"][ci]          # per-channel gains in BGR order
    cast = [(1.0, 1.0, 1.0), (0.8, 0.95, 1.15), (1.1, 1.0, 0.85)][ci]
    d = g * gain * np.array(cast, np.float32) * 255.0
    shot, read = rng.uniform(0.4, 1.6), rng.uniform(1.5, 4.0)
    std = np.sqrt(shot * np.clip(d, 0, None) + read * read)
    n = rng.normal(0, 1, d.shape).astype(np.float32)
    n = cv2.GaussianBlur(n, (0, 0), 0.6) * 2.0          # ~unit std again after the blur (0.5)
    out = np.clip(d + n * std, 0, 255).astype(np.uint8)
    q = int(rng.integers(55, 86))
    return out, q, {"gamma": round(gamma, 3), "gain": round(gain, 4), "lum_ratio": round(ratio, 3),
                    "mean_luminance": round(float(luminance(out).mean()), 1), "cast": cast_name,
                    "shot_noise": round(shot, 3), "read_noise": round(read, 2)}


def degrade_jpeg(rng, img):
    """Heavy JPEG (quality 20-35), after a down-and-up resample (x0.5-0.8) in half the images."""
    H, W = img.shape[:2]
    f = float(rng.uniform(0.5, 0.8)) if rng.random() < 0.5 else 1.0
    out = img
    if f < 1.0:
        out = cv2.resize(cv2.resize(img, (int(W * f), int(H * f)), interpolation=cv2.INTER_AREA), (W, H),
                         interpolation=cv2.INTER_LINEAR)
    q = int(rng.integers(20, 36))
    return out, q, {"resample": round(f, 3)}


def degrade_motion(rng, img):
    """Linear motion blur of the whole frame (moving camera), 5-15 px at a random angle,
    light noise, JPEG 60-90. The box stays where the face is at mid-exposure."""
    length, angle = int(rng.integers(5, 16)), float(rng.uniform(0, 180))
    out = cv2.filter2D(img.astype(np.float32), -1, motion_kernel(length, angle), borderType=cv2.BORDER_REFLECT)
    noise = float(rng.uniform(0.5, 2.5))
    out = out + rng.normal(0, noise, out.shape)
    q = int(rng.integers(60, 91))
    return np.clip(out, 0, 255).astype(np.uint8), q, {
        "blur_len": length, "blur_angle": round(angle, 2), "noise_sigma": round(noise, 2)}


# part -> (name prefix, faces per image [lo, hi], face-box height range px, rotation range deg or
# None, crowd?, degradation)
SMALL_FACE_PARTS = {
    "face_tiny": ("facetiny", (3, 8), (10, 40), None, False, degrade_mild),
    "face_lowlight": ("facelow", (2, 6), (12, 40), None, False, degrade_lowlight),
    "face_jpeg": ("facejpeg", (2, 6), (12, 40), None, False, degrade_jpeg),
    "face_motion": ("facemotion", (2, 6), (12, 40), None, False, degrade_motion),
    "face_rotated": ("facerot", (2, 5), (16, 60), (15, 40), False, degrade_mild),
    "face_crowd": ("facecrowd", (8, 20), (12, 48), None, True, degrade_mild),
}


def build_small_face_image(rng, part, pool, fsrc):
    """One image of a degraded small-face part: (canvas, boxes, image extras, jpeg quality)."""
    _prefix, (k_lo, k_hi), h_range, rot, crowd, degrade_fn = SMALL_FACE_PARTS[part]
    W, H = OUT_SIZES[int(rng.integers(len(OUT_SIZES)))]
    canvas, carried, bgname = pool.sample(rng, W, H)
    taken = [b for _, b in carried]
    boxes = [(c, b, {"carried_from_background": bgname}) for c, b in carried]
    k = int(rng.integers(k_lo, k_hi + 1))
    region = None
    if crowd:
        # one cluster, sized so that the k faces fit a little loosely (2.5:1, as a row of
        # spectators or a queue), at a random place in the frame
        cell = 2.0 * math.sqrt(h_range[0] * h_range[1])
        rw = min(W - 2, math.sqrt(k * 2.5) * cell * 1.3)
        rh = min(H - 2, rw / 2.5)
        x0, y0 = rng.uniform(1, W - 1 - rw), rng.uniform(1, H - 1 - rh)
        region = (x0, y0, x0 + rw, y0 + rh)
    placed = 0
    for _ in range(k * 3 if crowd else k):               # crowds retry until k faces are in
        if placed == k:
            break
        res = place_small_face(rng, canvas, fsrc, taken, h_range, rot_range=rot, region=region, tight=crowd)
        if res is None:
            if crowd:                                     # grow the cluster by 15%
                x0, y0, x1, y1 = region
                dx, dy = 0.075 * (x1 - x0), 0.075 * (y1 - y0)
                region = (x0 - dx, y0 - dy, x1 + dx, y1 + dy)
            continue
        box, attrs = res
        taken.append(box)
        boxes.append(("face", box, attrs))
        placed += 1
    canvas, q, params = degrade_fn(rng, canvas)
    extra = {"background": bgname, "jpeg_quality": q, "variant": part[len("face_"):], **params}
    if region is not None:
        extra["crowd_region"] = [round(v, 1) for v in region]
    return canvas, boxes, extra, q


# ----------------------------------------------------------------------------- plate parts
def near_horizontal_angle(rng):
    """Direction of a passing car's blur, degrees in [-90, 90] (0 = horizontal, positive =
    counter-clockwise on screen): 80% within a few degrees of horizontal (normal, sd 5, clipped
    to +-15), 20% any direction (a turning car, a shaking camera)."""
    if rng.random() < 0.8:
        a = float(np.clip(rng.normal(0, 5), -15, 15))
    else:
        a = float(rng.uniform(-90, 90))
    return round(a, 1)


def blur_motion(rng):
    """plate_motion: linear motion blur 4-24 px (uniform, 0.1 px steps) at a near-horizontal
    angle, plus defocus sigma 0.4-1.5 px in 30% of the plates."""
    length = round(float(rng.uniform(4, 24)), 1)
    angle = near_horizontal_angle(rng)
    defocus = round(float(rng.uniform(0.4, 1.5)), 2) if rng.random() < 0.3 else 0.0
    return {"len": length, "angle": angle, "defocus": defocus}


def blur_slight(rng):
    """plate_far / plate_signs: defocus sigma 0.3-0.8 px in 30% of the plates, a short motion
    blur of 2-4 px in 15%, none in the rest."""
    r = rng.random()
    if r < 0.3:
        return {"len": 0.0, "angle": 0.0, "defocus": round(float(rng.uniform(0.3, 0.8)), 2)}
    if r < 0.45:
        return {"len": round(float(rng.uniform(2, 4)), 1), "angle": near_horizontal_angle(rng), "defocus": 0.0}
    return {"len": 0.0, "angle": 0.0, "defocus": 0.0}


# Non-plate text for plate_signs (negatives, never annotated). The dev set's own lists, kept
# apart from the training generator (models/plates/synth.py) so the set stays independent of it.
SIGN_PLACES = ["LYON", "ORLEANS", "HAMBURG", "LEEDS", "TORINO", "GENT", "BRNO", "PORTO", "AARHUS", "GRAZ",
               "BILBAO", "UTRECHT", "CENTRUM", "CITY CENTRE", "RING ROAD", "AIRPORT", "FERRY PORT",
               "STADIUM", "HOSPITAL", "TRUCK ROUTE", "INDUSTRIAL ESTATE", "OLD TOWN", "DIVERSION"]
SIGN_ROUTES = ["A7", "M62", "E40", "N12", "B27", "A1(M)", "EXIT 14", "J23"]
SHOP_WORDS = ["BOULANGERIE", "APOTHEKE", "FARMACIA", "TABAC", "KEBAB", "NOODLE BAR", "OPTIK", "FLORIST",
              "BARBERS", "GELATO", "TRATTORIA", "SUSHI", "LAUNDRETTE", "HARDWARE", "BIKE REPAIR",
              "ANTIQUES", "BUTCHER", "FISH & CHIPS", "DRY CLEANING", "PAWN SHOP", "NAILS", "VAPE",
              "SPAR-MARKT", "CAFE 21", "OPEN 24/7", "KIOSK"]
BRAND_WORDS = ["VOLTANA", "KESTRO", "MIRADO", "ZEFIRA", "ORBEX", "TALVIK", "NOVRA", "QUINTEL", "SELVIO",
               "ARKANO", "DRAVEN", "ELKARO", "TORVEN", "VESSARO", "CALDERA", "OSTRAVO"]
VAN_NAMES = ["MARTIN", "KOWALSKI", "BRANDT", "OKAFOR", "SILVA", "NAKAMURA", "DUBOIS", "HAUGEN", "MORENO",
             "PETROV", "O'NEILL", "VAN DIJK"]
VAN_TRADES = ["PLUMBING", "ELECTRICS", "REMOVALS", "CATERING", "COURIERS", "GLAZING", "ROOFING", "PAINTERS",
              "LOCKSMITH", "FLOORING", "& SONS", "HEATING"]
NEGATIVE_KINDS = ["sign", "house_number", "brand", "van_phone"]       # + "timestamp", at most one per image
# kind -> (height range on the canvas in px, log-uniform, of the whole rendering; tilted in 3D?)
NEGATIVE_GEOMETRY = {"sign": ((18, 110), True), "house_number": ((14, 60), True), "timestamp": ((12, 30), False),
                     "brand": ((14, 64), True), "van_phone": ((30, 130), True)}


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def _digits(rng, n):
    return "".join(str(int(v)) for v in rng.integers(0, 10, n))


def _to_bgra(img):
    return np.array(img)[:, :, [2, 1, 0, 3]].copy()  # RGBA -> BGRA


def render_panel(lines, font_path, panel, ink, border=None, oval=False, extra_w=1.0, min_aspect=0.0, line_h=120):
    """Text lines centred on a filled panel (RGB colours), optionally with a border in `border`
    and an oval shape; BGRA uint8. No randomness."""
    f = _fit_font(font_path, "0123456789HKMW", 1e9, line_h * 0.7)      # one cap height for all lines
    widths = [f.getbbox(ln)[2] - f.getbbox(ln)[0] for ln in lines]
    pad_x, pad_y = 0.45 * line_h, 0.22 * line_h
    W = int(max(widths) * extra_w + 2 * pad_x)
    H = int(len(lines) * line_h + 2 * pad_y)
    W = max(W, int(H * min_aspect))
    if oval:                                              # the text's box must fit in the ellipse
        W, H = int(W * 1.3), int(H * 1.3)
    img = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    r = int(0.12 * line_h)
    if oval:
        d.ellipse([0, 0, W - 1, H - 1], fill=panel + (255,))
    else:
        d.rounded_rectangle([0, 0, W - 1, H - 1], radius=r, fill=panel + (255,))
    if border is not None:
        inset, bw_ = int(0.07 * line_h), max(2, int(0.05 * line_h))
        if oval:
            d.ellipse([inset, inset, W - 1 - inset, H - 1 - inset], outline=border + (255,), width=bw_)
        else:
            d.rounded_rectangle([inset, inset, W - 1 - inset, H - 1 - inset], radius=r, outline=border + (255,),
                                width=bw_)
    top = (H - len(lines) * line_h) / 2
    for i, ln in enumerate(lines):
        tb = f.getbbox(ln)
        d.text(((W - (tb[2] - tb[0])) / 2 - tb[0], top + i * line_h + (line_h - (tb[3] - tb[1])) / 2 - tb[1]), ln,
               font=f, fill=ink + (255,))
    return _to_bgra(img)


def render_overlay_text(text, font_path, ink, style, line_h=120):
    """Bare text (a camera's timestamp overlay): style 0 plain, 1 with a black drop shadow,
    2 with a black outline; BGRA uint8, transparent around the text. No randomness."""
    f = _fit_font(font_path, "0123456789:-/", 1e9, line_h * 0.7)
    tb = f.getbbox(text)
    m, k = int(0.15 * line_h), max(2, int(0.06 * line_h))
    W, H = tb[2] - tb[0] + 2 * m + k, line_h + 2 * m
    img = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    x, y = m - tb[0], (H - (tb[3] - tb[1])) / 2 - tb[1]
    if style == 1:
        d.text((x + k, y + k), text, font=f, fill=(0, 0, 0, 255))
    d.text((x, y), text, font=f, fill=ink + (255,), stroke_width=k if style == 2 else 0, stroke_fill=(0, 0, 0, 255))
    return _to_bgra(img)


def render_chrome_text(text, font_path, line_h=120):
    """Brand lettering: text in a silver/chrome vertical gradient (light, a dark 'horizon' just
    below the middle, lighter again) with a thin dark outline, no panel; BGRA uint8. No
    randomness."""
    f = _fit_font(font_path, text, 1e9, line_h * 0.8)
    tb = f.getbbox(text)
    k = max(2, int(0.04 * line_h))
    m = 2 * k
    W, H = tb[2] - tb[0] + 2 * m, tb[3] - tb[1] + 2 * m
    outer, inner = Image.new("L", (W, H), 0), Image.new("L", (W, H), 0)
    ImageDraw.Draw(outer).text((m - tb[0], m - tb[1]), text, font=f, fill=255, stroke_width=k, stroke_fill=255)
    ImageDraw.Draw(inner).text((m - tb[0], m - tb[1]), text, font=f, fill=255)
    t = (np.arange(H, dtype=np.float32) + 0.5 - m) / max(1, H - 2 * m)            # 0..1 over the ink
    grey = np.interp(t, [0.0, 0.46, 0.52, 1.0], [242, 170, 78, 215]).astype(np.float32)
    rgb = np.stack([grey * 0.97, grey, np.minimum(255, grey * 1.05)], axis=1)[:, None, :] * np.ones((1, W, 1))
    a_in = np.asarray(inner, np.float32)[:, :, None] / 255.0
    rgb = rgb * a_in + np.array([45, 45, 52], np.float32) * (1 - a_in)             # outline colour
    rgba = np.concatenate([rgb, np.asarray(outer, np.float32)[:, :, None]], axis=2)
    return np.clip(rgba, 0, 255).astype(np.uint8)[:, :, [2, 1, 0, 3]].copy()


def random_timestamp(rng):
    """A camera's date/time overlay in one of four formats, e.g. '2025-03-14 08:12:59'."""
    t = datetime.datetime(2019, 1, 1) + datetime.timedelta(seconds=int(rng.integers(0, 8 * 365 * 86400)))
    f = int(rng.integers(4))
    if f == 0:
        return t.strftime("%Y-%m-%d %H:%M:%S")
    if f == 1:
        return t.strftime("%d/%m/%Y %H:%M:%S")
    if f == 2:
        return t.strftime("%Y/%m/%d ") + ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"][t.weekday()] + \
            t.strftime(" %H:%M:%S")
    return f"CAM{int(rng.integers(1, 10))} " + t.strftime("%Y-%m-%d %H:%M:%S")


def random_phone(rng):
    f = int(rng.integers(5))
    n = [f"0{int(rng.integers(1, 10))} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
         f"020 7946 0{_digits(rng, 3)}",                                  # UK drama range
         f"({_digits(rng, 3)}) 555-01{_digits(rng, 2)}",                  # US fictional range
         f"+49 30 {_digits(rng, 7)}",
         f"0800 {_digits(rng, 3)} {_digits(rng, 3)}"][f]
    return ("TEL " + n) if rng.random() < 0.3 else n


def render_negative(rng, fonts, kind):
    """BGRA rendering and text of one non-plate text object of `kind` (NEGATIVE_GEOMETRY)."""
    white, black = (250, 250, 246), (20, 20, 20)
    if kind == "timestamp":
        mono = [f for f in fonts if "Mono" in os.path.basename(f)] or fonts
        font = _pick(rng, mono)
        text = random_timestamp(rng)
        ink = [(245, 245, 245), (250, 225, 40)][int(rng.integers(2))]
        return render_overlay_text(text, font, ink, int(rng.integers(3))), text
    font = _pick(rng, fonts)
    if kind == "sign":
        if rng.random() < 0.5:                            # road sign: place(s), route or distance
            n = int(rng.integers(1, 3))
            lines = []
            for _ in range(n):
                ln = _pick(rng, SIGN_PLACES)
                r = rng.random()
                if r < 0.35:
                    ln += f" {int(rng.integers(1, 120))}" + (" km" if rng.random() < 0.5 else "")
                elif r < 0.55:
                    ln = _pick(rng, SIGN_ROUTES) + " " + ln
                lines.append(ln)
            panel, ink = _pick(rng, [((0, 110, 60), white), ((25, 65, 160), white), (white, black),
                                     ((120, 65, 30), white), ((245, 200, 30), black)])
            return render_panel(lines, font, panel, ink, border=ink), " / ".join(lines)
        word = _pick(rng, SHOP_WORDS)
        if rng.random() < 0.3:
            word = word.title()
        panel, ink = _pick(rng, [((200, 30, 40), white), (black, (240, 200, 60)), ((250, 245, 230), (40, 40, 40)),
                                 ((30, 90, 70), (240, 230, 200)), ((90, 40, 120), white), ((240, 120, 20), black)])
        border = ink if rng.random() < 0.5 else None
        return render_panel([word], font, panel, ink, border=border), word
    if kind == "house_number":
        text = str(int(rng.integers(1, 10))) + _digits(rng, int(rng.integers(0, 4)))
        panel, ink, border = _pick(rng, [((25, 60, 150), white, white), (white, black, black),
                                         ((185, 150, 70), (50, 35, 15), None), (black, white, None),
                                         ((20, 90, 50), white, white)])
        return render_panel([text], font, panel, ink, border=border, oval=rng.random() < 0.4, min_aspect=1.0), text
    if kind == "brand":
        text = _pick(rng, BRAND_WORDS)
        if rng.random() < 0.3:
            text += " " + str(int(rng.integers(1, 10))) + _digits(rng, int(rng.integers(1, 3)))
        return render_chrome_text(text, font), text
    # van_phone: a van's side panel with the phone number (and often the firm)
    phone = random_phone(rng)
    r = rng.random()
    if r < 0.6:
        lines = [f"{_pick(rng, VAN_NAMES)} {_pick(rng, VAN_TRADES)}", phone]
    elif r < 0.85:
        lines = [phone]
    else:
        lines = [_pick(rng, VAN_TRADES), phone]
    panel, ink = _pick(rng, [(white, (30, 40, 120)), ((185, 188, 192), (20, 20, 20)), ((170, 30, 30), white),
                             ((30, 60, 130), white), ((20, 80, 50), (250, 220, 60)), ((245, 200, 30), black)])
    return render_panel(lines, font, panel, ink, extra_w=float(rng.uniform(1.1, 1.8))), " / ".join(lines)


def paste_rendering(canvas, rgba, dst, box, bw, bh, s, blur, gain=1.0, contrast=1.0):
    """Warps a BGRA rendering exactly onto the quadrilateral dst, blurs it (apply_blur), applies
    gain and contrast, and alpha-composites it onto canvas. No randomness."""
    reach = blur_reach(blur)
    warped, ox, oy, pw, ph, _ = warp_patch(rgba, dst, box, bw, bh, s, pad=8 + int(math.ceil(reach)), exact=True)
    warped = apply_blur(warped, blur)
    a = np.clip(warped[:, :, 3:4] / 255.0, 0, 1)
    rgb = warped[:, :, :3] / np.maximum(a, 1e-3)
    rgb = (rgb * gain - 128) * contrast + 128
    composite(canvas, np.concatenate([np.clip(rgb, 0, 255), a], axis=2).astype(np.float32), ox, oy)


def place_negative(rng, canvas, fonts, taken, kind):
    """One non-plate text object (never annotated) at a free place: at least 8 px plus its
    blur's reach from every box in taken (plates, carried objects, earlier negatives). Signs,
    house numbers, brand lettering and vans are tilted in 3D (yaw +-25, pitch +-15, roll +-5 deg),
    darkened or lightened (gain 0.55-1.1, contrast 0.7-1.0) and defocused in 25% (sigma
    0.3-1.0); a timestamp is an upright overlay near a corner of the frame, as drawn by a camera.
    Returns (box, record) or None; record = {kind, text, bbox, height_px[, defocus_sigma]}."""
    H, W = canvas.shape[:2]
    rgba, text = render_negative(rng, fonts, kind)
    h_range, tilt = NEGATIVE_GEOMETRY[kind]
    target_h = loguniform(rng, *h_range)
    s = target_h / rgba.shape[0]
    if tilt:
        yaw, pitch = math.radians(rng.uniform(-25, 25)), math.radians(rng.uniform(-15, 15))
        roll = math.radians(rng.uniform(-5, 5))
        gain, contrast = float(rng.uniform(0.55, 1.1)), float(rng.uniform(0.7, 1.0))
        defocus = round(float(rng.uniform(0.3, 1.0)), 2) if rng.random() < 0.25 else 0.0
    else:
        yaw = pitch = roll = 0.0
        gain, contrast, defocus = 1.0, 1.0, 0.0
    blur = {"len": 0.0, "angle": 0.0, "defocus": defocus}
    corners = project_plate(rgba.shape[1] * s, rgba.shape[0] * s, yaw, pitch, roll)
    bw = corners[:, 0].max() - corners[:, 0].min()
    bh = corners[:, 1].max() - corners[:, 1].min()
    if bw > W * 0.6 or bh > H * 0.6:
        return None
    margin = 8 + blur_reach(blur)
    for _ in range(60):
        if kind == "timestamp":
            corner = int(rng.integers(4))                # 0 TL, 1 TR, 2 BR, 3 BL
            mx, my = rng.uniform(6, 30), rng.uniform(6, 30)
            cx = mx + bw / 2 if corner in (0, 3) else W - mx - bw / 2
            cy = my + bh / 2 if corner in (0, 1) else H - my - bh / 2
        else:
            cx = rng.uniform(bw / 2 + 1, W - bw / 2 - 1)
            cy = rng.uniform(bh / 2 + 1, H - bh / 2 - 1)
        dst = corners + [cx, cy]
        box = [float(dst[:, 0].min()), float(dst[:, 1].min()), float(bw), float(bh)]
        if not iou_any(box, taken, margin=margin):
            break
    else:
        return None
    paste_rendering(canvas, rgba, dst, box, bw, bh, s, blur, gain, contrast)
    rec = {"kind": kind, "text": text, "bbox": [round(v, 2) for v in box], "height_px": round(target_h, 1)}
    if defocus:
        rec["defocus_sigma"] = defocus
    return box, rec


# part -> (name prefix, output sizes, plates per image [lo, hi], plate height range px
# (log-uniform), per-plate blur, negatives per image [lo, hi])
PLATE_PARTS = {
    "plate_motion": ("platemotion", OUT_SIZES, (1, 3), (14, 60), blur_motion, (0, 0)),
    "plate_far": ("platefar", [(1280, 720)], (2, 4), (8, 16), blur_slight, (0, 0)),
    "plate_signs": ("platesigns", OUT_SIZES, (1, 2), (14, 80), blur_slight, (3, 6)),
}


def build_plate_image(rng, part, pool, fonts):
    """One image of a plate_* part: (canvas, boxes, image extras, jpeg quality). Plates first
    (place_plate with the part's height range and a blur drawn per plate), then, for
    plate_signs, the unannotated non-plate text (image field `negatives`), then the mild
    whole-frame degradation of face_tiny."""
    _prefix, sizes, (k_lo, k_hi), h_range, blur_fn, (n_lo, n_hi) = PLATE_PARTS[part]
    W, H = sizes[int(rng.integers(len(sizes)))]
    canvas, carried, bgname = pool.sample(rng, W, H)
    taken = [b for _, b in carried]
    boxes = [(c, b, {"carried_from_background": bgname}) for c, b in carried]
    for _ in range(int(rng.integers(k_lo, k_hi + 1))):
        res = place_plate(rng, canvas, fonts, taken, h_range=h_range, blur=blur_fn(rng))
        if res is None:
            continue
        taken.append(res[0])
        boxes.append(("plate", res[0], res[1]))
    negatives = []
    if n_hi:
        n = int(rng.integers(n_lo, n_hi + 1))
        kinds = (["timestamp"] if rng.random() < 0.5 else []) + [_pick(rng, NEGATIVE_KINDS) for _ in range(n)]
        for kind in kinds[:n]:
            for _ in range(3):                            # a new rendering and size if it does not fit
                res = place_negative(rng, canvas, fonts, taken, kind)
                if res is not None:
                    taken.append(res[0])
                    negatives.append(res[1])
                    break
    canvas, q, params = degrade_mild(rng, canvas)
    extra = {"background": bgname, "jpeg_quality": q, "variant": part[len("plate_"):], **params}
    if n_hi:
        extra["negatives"] = negatives
    return canvas, boxes, extra, q


PLATE_HIST = [("<8", 8), ("8-10", 10), ("10-12", 12), ("12-16", 16), ("16-24", 24), ("24-32", 32), ("32-48", 48),
              ("48-96", 96), (">=96", float("inf"))]
BLUR_HIST = [("none", 1e-9), ("<4", 4), ("4-8", 8), ("8-12", 12), ("12-16", 16), ("16-20", 20), ("20-24", 24),
             (">=24", float("inf"))]


# ----------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, ".cache", "devset"))
    ap.add_argument("--media", default=os.path.join(ROOT, ".cache", "media"))
    ap.add_argument("--backgrounds", default=os.path.join(ROOT, ".cache", "devset-bg", "root"))
    ap.add_argument("--annotations", default=os.path.join(HERE, "real_annotations.json"))
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--small", action="store_true", help="~40 images for CI (a prefix of the full build)")
    ap.add_argument("--parts", default=",".join(ALL_PARTS), help="comma-separated subset of: " + ",".join(ALL_PARTS))
    ap.add_argument("--preview", type=int, default=0, help="also write N preview PNGs with boxes drawn")
    ap.add_argument("--preview-splits", default="", help="comma-separated splits to take the previews from (default all)")
    args = ap.parse_args()
    unknown = [p for p in args.parts.split(",") if p not in ALL_PARTS]
    if unknown:
        ap.error(f"unknown part(s) {unknown}; known: {ALL_PARTS}")

    check_media(args.media)
    bgs = load_backgrounds(args.backgrounds)
    parts = args.parts.split(",")
    img_dir = os.path.join(args.out, "images")
    os.makedirs(img_dir, exist_ok=True)
    for f in os.listdir(img_dir):  # stale files from an earlier (full/small) build
        os.remove(os.path.join(img_dir, f))

    real = load_real(args.media, args.annotations)
    images, annotations, manifest = [], [], []
    small_n = dict(N_SMALL)

    def add_image(name, img, split, boxes, extra, jpeg_q=None, raw_bytes=None, small=False):
        path = os.path.join(img_dir, name)
        if raw_bytes is not None:
            with open(path, "wb") as f:
                f.write(raw_bytes)
        else:
            cv2.imwrite(path, img, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_q or 95)])
        iid = len(images) + 1
        images.append(dict(id=iid, file_name=f"images/{name}", width=int(img.shape[1]), height=int(img.shape[0]),
                           split=split, small=small, **extra))
        for cat, b, attrs in boxes:
            x, y, w, h = [float(v) for v in b]
            x0, y0 = max(0.0, x), max(0.0, y)
            x1, y1 = min(float(img.shape[1]), x + w), min(float(img.shape[0]), y + h)
            w, h = x1 - x0, y1 - y0
            a = dict(id=len(annotations) + 1, image_id=iid, category_id=CAT_ID[cat],
                     bbox=[round(x0, 2), round(y0, 2), round(w, 2), round(h, 2)], area=round(w * h, 2), iscrowd=0,
                     size_bucket=size_bucket(h))
            if attrs:
                a["attributes"] = attrs
            annotations.append(a)
        manifest.append((f"images/{name}", sha256(path)))

    if "real" in parts:
        # small subset: spread over the list (deterministic stride)
        stride = max(1, len(real) // small_n["real"])
        small_idx = set(range(0, len(real), stride)) | {
            i for i, it in enumerate(real)  # always keep the real plates and the plate-like hard negative
            if it["entry"]["source"] in ("licenseplate_motion.jpg", "scenetext06.jpg", "scenetext04.jpg")}
        for i, it in enumerate(real):
            if args.small and i not in small_idx:
                continue
            e = it["entry"]
            raw = None
            if e["frame"] is None:
                with open(os.path.join(args.media, e["source"]), "rb") as f:
                    raw = f.read()  # stills are copied byte-for-byte
            add_image(it["name"], it["img"], "real",
                      [(b["category"], b["bbox"], None) for b in e["boxes"]],
                      {"source": e["source"], "frame": e["frame"]}, jpeg_q=95, raw_bytes=raw, small=i in small_idx)

    pool = BackgroundPool(bgs, args.media, real, args.seed)
    fonts = find_fonts()
    if len(fonts) < 3:
        sys.exit("fonts missing: apt-get install fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf")
    fsrc = face_sources(real)

    for part in ("synthetic_plate", "synthetic_face"):
        if part not in parts:
            continue
        n = small_n[part] if args.small else N_FULL[part]
        for i in range(n):
            rng = np.random.default_rng([args.seed, PART_ID[part], i])
            W, H = OUT_SIZES[int(rng.integers(len(OUT_SIZES)))]
            canvas, carried, bgname = pool.sample(rng, W, H)
            taken = [b for _, b in carried]
            boxes = [(c, b, {"carried_from_background": bgname}) for c, b in carried]
            k = int(rng.integers(1, 4)) if part == "synthetic_plate" else int(rng.integers(1, 5))
            for _ in range(k):
                res = (place_plate(rng, canvas, fonts, taken) if part == "synthetic_plate"
                       else place_face(rng, canvas, fsrc, taken))
                if res is None:
                    continue
                box, attrs = res
                taken.append(box)
                boxes.append(("plate" if part == "synthetic_plate" else "face", box, attrs))
            canvas, q = degrade(rng, canvas, strong=(part == "synthetic_plate"))
            prefix = "synplate" if part == "synthetic_plate" else "synface"
            add_image(f"{prefix}_{i:04d}.jpg", canvas, part, boxes,
                      {"background": bgname, "jpeg_quality": q}, jpeg_q=q, small=i < N_SMALL[part])

    # the degraded small-face parts, then the plate parts: each image from its own seed stream
    per_image_parts = [(p, SMALL_FACE_PARTS[p][0], lambda rng, p: build_small_face_image(rng, p, pool, fsrc))
                       for p in SMALL_FACE_PART_NAMES]
    per_image_parts += [(p, PLATE_PARTS[p][0], lambda rng, p: build_plate_image(rng, p, pool, fonts))
                        for p in PLATE_PART_NAMES]
    for part, prefix, build in per_image_parts:
        if part not in parts:
            continue
        n = small_n[part] if args.small else N_FULL[part]
        for i in range(n):
            rng = np.random.default_rng([args.seed, PART_ID[part], i])
            canvas, boxes, extra, q = build(rng, part)
            add_image(f"{prefix}_{i:04d}.jpg", canvas, part, boxes, extra, jpeg_q=q, small=i < N_SMALL[part])

    coco = {"info": {"description": "edge privacy agent face/plate devset", "seed": args.seed,
                     "small": bool(args.small), "builder": "models/eval/build_devset.py"},
            "licenses": [], "images": images, "annotations": annotations, "categories": CATEGORIES}
    with open(os.path.join(args.out, "annotations.json"), "w") as f:
        json.dump(coco, f, indent=1, sort_keys=True)

    stats = {}
    split_of = {im["id"]: im["split"] for im in images}
    for im in images:
        stats.setdefault(im["split"], {"images": 0})["images"] += 1
    for a in annotations:
        cat = "face" if a["category_id"] == 1 else "licence_plate"
        s = stats[split_of[a["image_id"]]].setdefault(cat, {"small": 0, "medium": 0, "large": 0, "total": 0})
        s[a["size_bucket"]] += 1
        s["total"] += 1
        if cat == "face":  # finer face-height histogram (box height, px)
            h = a["bbox"][3]
            lab = next(l for l, hi in FACE_HIST if h < hi)
            hist = stats[split_of[a["image_id"]]].setdefault("face_height_hist", {l: 0 for l, _ in FACE_HIST})
            hist[lab] += 1
        if cat == "licence_plate" and split_of[a["image_id"]] in PLATE_PART_NAMES:
            # plate parts only (the older splits' entries stay as they were): the plate's own
            # height (attributes.plate_height_px; box height for a carried real plate) and,
            # where recorded, its motion-blur length
            st, at = stats[split_of[a["image_id"]]], a.get("attributes", {})
            h = at.get("plate_height_px", a["bbox"][3])
            hist = st.setdefault("plate_height_hist", {l: 0 for l, _ in PLATE_HIST})
            hist[next(l for l, hi in PLATE_HIST if h < hi)] += 1
            if "blur_len" in at:
                hist = st.setdefault("plate_blur_hist", {l: 0 for l, _ in BLUR_HIST})
                hist[next(l for l, hi in BLUR_HIST if at["blur_len"] < hi)] += 1
    for im in images:
        for neg in im.get("negatives", []):               # plate_signs: unannotated text per kind
            kinds = stats[im["split"]].setdefault("negatives", {k: 0 for k in ["timestamp"] + NEGATIVE_KINDS})
            kinds[neg["kind"]] += 1
    with open(os.path.join(args.out, "stats.json"), "w") as f:
        json.dump(stats, f, indent=1, sort_keys=True)
    with open(os.path.join(args.out, "manifest.tsv"), "w") as f:
        for name, h in manifest:
            f.write(f"{name}\t{h}\n")

    if args.preview:
        pdir = os.path.join(args.out, "preview")
        os.makedirs(pdir, exist_ok=True)
        for f in os.listdir(pdir):
            os.remove(os.path.join(pdir, f))
        by_img = {}
        for a in annotations:
            by_img.setdefault(a["image_id"], []).append(a)
        pool_imgs = images
        if args.preview_splits:
            pool_imgs = [im for im in images if im["split"] in args.preview_splits.split(",")]
        picks = pool_imgs[:: max(1, len(pool_imgs) // args.preview)][: args.preview]
        for im in picks:
            img = cv2.imread(os.path.join(args.out, im["file_name"]))
            for a in by_img.get(im["id"], []):
                x, y, w, h = a["bbox"]
                col = (0, 255, 0) if a["category_id"] == 1 else (0, 0, 255)
                cv2.rectangle(img, (int(round(x)), int(round(y))), (int(round(x + w)) - 1, int(round(y + h)) - 1), col, 1)
            cv2.imwrite(os.path.join(pdir, os.path.splitext(os.path.basename(im["file_name"]))[0] + ".png"), img)

    print(json.dumps(stats, indent=1, sort_keys=True))
    print(f"{len(images)} images, {len(annotations)} annotations -> {args.out}")


if __name__ == "__main__":
    main()
