#!/usr/bin/python3
"""Build the development video clips: moving faces and licence plates with per-frame ground
truth and track ids (MOT Challenge layout), to measure what leaks when objects move.

    /usr/bin/python3 models/eval/build_devclips.py --out .cache/devclips [--small] [--seed N] [--jobs N]

Deterministic: every clip gets its own RNG, seeded with (seed, 50, clip index), and every
frame's noise its own, seeded with (seed, 50, clip index, 1000 + frame index); the whole path,
size profile, appearance and occluder layout of a clip is drawn before any frame is rendered.
So `--small`, which renders only the first SMALL_FRAMES frames of the first SMALL_CLIPS clips,
writes exactly the first frames of those clips of the full build (same pixels, same gt rows),
and --jobs only changes the speed. Re-running gives the same gt.txt and clip.json and (with the
same OpenCV / Pillow / FreeType / libjpeg) the same JPEGs; see manifest.tsv.

Inputs (nothing from them is committed): the media of tests/media/fetch-media.sh in
.cache/media/ (the checked face boxes of models/eval/real_annotations.json on Megamind.avi and
messi5.jpg give the face crops) and the wallpaper photographs of models/eval/fetch-backgrounds.sh
in .cache/devset-bg/root/ (backgrounds and the cut-out occluders). Both are sha256-checked.
Reuses models/eval/build_devset.py (face crops, feathered alpha, jitter, plates, exact warp,
centred blur kernel); it does not change that script or its output.

Output (default .cache/devclips/):
  <clip>/seqinfo.ini   [Sequence] name, imDir=img1, frameRate=25, seqLength, imWidth=1280,
                       imHeight=720, imExt=.jpg
  <clip>/img1/000001.jpg ...   the frames, JPEG quality 95
  <clip>/gt/gt.txt     ground truth, one row per object per frame (below)
  <clip>/gt/visible/<frame:06d>_<id>.png   for a counted row with something in front of the
                       object (an occluder or a nearer object hides at least one pixel): which
                       pixels of the row's box show the object, 255 visible, 0 hidden; one
                       mask pixel per image pixel the written box touches, starting at
                       floor(x), floor(y). An evaluator measures coverage on the visible
                       pixels, since hidden ones cannot leak (edge-clipped rows need none: the
                       box is already clipped to the image)
  <clip>/clip.json     what the clip holds: background and camera, degradation, motion blur,
                       every track (class, path kind, speed, edge entry, occluded / hidden /
                       blurred frames, size, appearance, per-frame full box, speed, blur length
                       and visibility) and every occluder
  clips.tsv            one line per clip: name, frames, tracks, classes, max speed, features
  manifest.tsv         sha256 of every gt.txt, mask and frame written (path relative to --out)

gt.txt: comma-separated rows `frame,id,x,y,w,h,conf,class,visibility`, sorted by frame then id:
  frame       1-based frame number (img1/000001.jpg is frame 1)
  id          track id, 1..K, unique within the clip (an object keeps its id through occlusion)
  x,y,w,h     the object's FULL box clipped to the image, in pixels, 2 decimals: pixel-edge
              coordinates (pixel column i covers [i, i+1)), so 0 <= x, x + w <= 1280,
              0 <= y, y + h <= 720. The full box is the face box (forehead/hairline to chin,
              cheek to cheek, as in real_annotations.json, scaled and moved exactly as pasted;
              the axis-aligned box of the rotated box for a tilted head) or the axis-aligned box
              of the plate's four projected corners. It is the sharp object's box at
              mid-exposure: motion blur smears pixels up to half the blur length beyond it.
  conf        1 = the row counts; 0 = ignore it in evaluation (neither a miss nor a hit):
              written when visibility < 0.20 (as written, i.e. after rounding)
  class       1 = face, 2 = licence_plate
  visibility  fraction of the full box's area that is visible, 0..1, 2 decimals:
              (1 / (w_full * h_full)) * sum over the image's pixels of
              coverage(pixel, full box) * prod over the layers composited in front of the
              object (occluders, nearer objects) of (1 - alpha(pixel)), with the layers'
              alphas exactly as composited in that frame. Outside the image counts as hidden.
Every frame in which the full box overlaps the image (by >= 0.01 px in x and y) gets a row;
frames where the object is wholly outside the image have none.

Content (CLIPS below; 22 clips, 1450 frames, 1280x720 at 25 fps): 1-4 tracks per clip, faces
(real crops, 20-140 px tall, some approaching / receding, some tilting their heads) and
rendered plates (12-60 px tall, 3D-tilted, half on a car-like rear panel) mixed; speeds
0 to 40 px/frame (bins 0, 1-5, 5-10, 10-20, 20-30, 30-40); paths: static, constant velocity,
accelerating, decelerating, curved (an arc or a turn), stop-and-go, direction reversal;
objects entering from a frame edge (fully outside at first, so the first rows are partial)
and leaving; occluders in front of the objects (poles and beams, cut-outs of another photo,
passing vehicle-like blocks) that hide them partly or fully; motion blur in some clips
(a centred linear blur along the motion, length = exposure 0.3-1.0 x speed, applied to the
object before compositing); camera pan / zoom (0-3 px/frame) in some clips, and brightness
flicker, noise or a JPEG-like re-encode in some. See models/eval/README.md.

Requires Debian packages: python3-opencv python3-numpy python3-pil fonts-dejavu-core
fonts-liberation2 fonts-freefont-ttf. Run with /usr/bin/python3.
"""
import argparse
import json
import math
import os
import shutil
import sys
import time

import cv2
import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import build_devset as bd  # noqa: E402

W, H, FPS = 1280, 720, 25
STREAM = 50                       # seed stream tag (build_devset's parts use 1-11)
DEFAULT_SEED = 20261123
SMALL_CLIPS, SMALL_FRAMES = 3, 24
JPEG_QUALITY = 95
CONF_MIN_VIS = 0.2
CLASS_ID = {"face": 1, "plate": 2}
CLASS_NAME = {"face": "face", "plate": "licence_plate"}

# speed bins, px/frame (uniform within a bin)
BINS = {"S0": (0.0, 0.0), "S1": (1.0, 5.0), "S2": (5.0, 10.0), "S3": (10.0, 20.0), "S4": (20.0, 30.0),
        "S5": (30.0, 40.0)}
BIN_LABEL = {"S0": "0", "S1": "1-5", "S2": "5-10", "S3": "10-20", "S4": "20-30", "S5": "30-40"}
FACE_SIZE, PLATE_SIZE = (20, 140), (12, 60)


def F(speed, path, **kw):
    return dict(cls="face", speed=speed, path=path, **kw)


def P(speed, path, **kw):
    return dict(cls="plate", speed=speed, path=path, **kw)


def C(slug, frames, camera, degrade, blur, tracks, extra=()):
    return dict(slug=slug, frames=frames, camera=camera, degrade=list(degrade), blur=blur, tracks=tracks,
                extra=list(extra))


# The clips. Track keys: cls, speed (a bin, or (start bin, end bin) for accelerate / decelerate),
# path (static, constant, accelerate, decelerate, curve, stop_go, reverse), edge (None, 'any',
# 'left', 'right', 'top', 'bottom': start fully outside that edge and come in), enter_at
# (frames before the box first touches the image), size (px range, log-uniform: the face-box
# height or the plate's own height), scale (fixed / approach / recede), occ (an occluder put on
# this track's path: 'pole', 'cutout' or 'vehicle', ':full' or ':partial', else drawn), occ_at
# (the frame it should cover the track, else drawn), blur (if the clip has motion blur), tilt
# (head tilt, faces), carrier (plate on a car-like panel; None = drawn), heading ('diagonal').
# The first SMALL_CLIPS clips are the --small build, so their events come early.
CLIPS = [
    C("cv_edge_pole", 60, "static", [], True,
      [F("S2", "constant", edge="left", size=(40, 80), occ="pole:full", occ_at=14),
       P("S1", "constant", size=(20, 40), carrier=True)]),
    C("pan_static_cutout", 60, "pan", ["flicker"], False,
      [P("S3", "constant", edge="right", size=(24, 48), occ="cutout:partial", occ_at=12),
       F("S0", "static", size=(60, 120), tilt=True, occ="pole:partial"),
       F("S1", "curve", size=(30, 60))]),
    C("zoom_accel_vehicle", 60, "zoom", ["noise"], True,
      [F(("S1", "S3"), "accelerate", edge="top", size=(30, 70)),
       P("S2", "constant", size=(18, 36), occ="vehicle:full", occ_at=12),
       F("S3", "reverse", size=(40, 90))]),
    C("fast_plates", 70, "pan", [], True,
      [P("S4", "constant", edge="left", size=(20, 50), carrier=True),
       P("S5", "constant", edge="right", size=(16, 40), enter_at=20)]),
    C("curves_zoom", 70, "zoom", ["jpeg"], False,
      [F("S2", "curve", size=(40, 90)), P("S3", "curve", size=(20, 45), carrier=True)]),
    C("stopgo_reverse_poles", 75, "static", ["noise"], True,
      [F("S2", "stop_go", size=(30, 70), occ="pole"), F("S3", "reverse", edge="bottom", size=(40, 80), occ="pole")]),
    C("static_on_pan", 60, "pan", ["flicker", "noise"], False,
      [F("S0", "static", size=(25, 50), scale="approach"), P("S0", "static", size=(14, 28))]),
    C("four_small_faces", 80, "static", ["jpeg"], True,
      [F("S1", "constant", size=(20, 36)), F("S1", "curve", size=(20, 36)), F("S2", "reverse", size=(22, 40)),
       F("S0", "static", size=(20, 32))]),
    C("accel_entry_vehicle", 65, "static", [], True,
      [P(("S1", "S3"), "accelerate", edge="left", size=(20, 45), occ="vehicle"),
       F("S3", "constant", edge="bottom", size=(35, 70))]),
    C("very_fast", 50, "static", ["noise"], True,
      [F("S5", "constant", edge="left", size=(40, 90)), P("S4", "reverse", size=(20, 40))]),
    C("approach_recede", 70, "static", ["flicker"], False,
      [F("S1", "constant", size=(50, 140), scale="approach", occ="cutout"),
       P("S1", "constant", size=(14, 60), scale="recede", carrier=True)]),
    C("small_plates", 60, "static", ["noise", "jpeg"], True,
      [P("S2", "constant", size=(12, 18)), P("S3", "curve", size=(12, 20)), P("S1", "stop_go", size=(12, 16))]),
    C("decel_accel_pan", 75, "pan", [], True,
      [F(("S4", "S0"), "decelerate", edge="right", size=(40, 90), occ="pole"),
       P(("S0", "S3"), "accelerate", size=(20, 45))]),
    C("stopgo_vehicle_flicker", 65, "static", ["flicker"], True,
      [F("S3", "stop_go", size=(30, 70)),
       P("S2", "reverse", edge="left", size=(20, 45), occ="vehicle", carrier=True)]),
    C("diagonal_zoom", 70, "zoom", ["noise"], False,
      [F("S3", "constant", size=(30, 70), occ="cutout:full", heading="diagonal"),
       F("S2", "constant", edge="top", size=(25, 60)), P("S2", "constant", size=(18, 40), occ="pole")]),
    C("fast_carriers_pan", 55, "pan", [], True,
      [P("S5", "constant", edge="left", size=(30, 60), carrier=True),
       P(("S4", "S5"), "accelerate", edge="right", size=(20, 45), carrier=True, enter_at=8)]),
    C("curve_entry_tilt", 60, "static", ["jpeg"], True,
      [F("S3", "curve", edge="any", size=(35, 80)), P("S2", "curve", size=(20, 40)),
       F("S0", "static", size=(40, 100), tilt=True)], extra=["pole"]),
    C("fast_reverse_stopgo", 80, "static", [], True,
      [F("S4", "reverse", edge="any", size=(40, 100), occ="pole"), P("S4", "stop_go", size=(20, 50), carrier=True)]),
    C("tiny_slow", 60, "static", ["noise"], False,
      [F("S1", "constant", size=(20, 28)), F("S2", "constant", size=(20, 30)), P("S1", "constant", size=(12, 16))]),
    C("fastest_vehicle_panzoom", 70, "panzoom", [], True,
      [F(("S3", "S5"), "accelerate", edge="left", size=(40, 90), occ="vehicle"),
       P(("S5", "S2"), "decelerate", edge="right", size=(20, 50), carrier=True)]),
    C("full_occlusion", 65, "static", ["flicker"], True,
      [F("S4", "constant", size=(40, 80), occ="cutout:full"), P("S0", "static", size=(30, 60), occ="pole:partial")]),
    C("mixed_four_pan", 70, "pan", ["noise"], True,
      [F("S1", "constant", size=(40, 100), scale="approach"), F("S2", "curve", size=(30, 60)),
       P("S3", "constant", edge="any", size=(20, 45)), P("S0", "static", size=(14, 30))], extra=["cutout"]),
]


def clip_name(i):
    return f"dc{i + 1:02d}_{CLIPS[i]['slug']}"


# ----------------------------------------------------------------------------- small helpers
def r2(v):
    return round(float(v), 2)


def unif(rng, lo, hi):
    return float(rng.uniform(lo, hi)) if hi > lo else float(lo)


def draw_speed(rng, b):
    return unif(rng, *BINS[b])


def premultiply(bgr, alpha):
    """float BGR (0..255) and alpha (H x W x 1, 0..1) -> premultiplied float32 BGRA."""
    return np.concatenate([bgr * alpha, alpha], axis=2).astype(np.float32)


def supersampled_alpha(shape, draw, n=4):
    """Anti-aliased coverage (H x W x 1 float32, 0..1) of a shape drawn by draw(mask, n) on an
    n x grid (draw gets the uint8 mask and n and fills 255 where the shape is)."""
    big = np.zeros((shape[0] * n, shape[1] * n), np.uint8)
    draw(big, n)
    return cv2.resize(big.astype(np.float32) / 255.0, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)[:, :, None]


def warp_affine_patch(src, lin, trans, pad=1):
    """Warps a premultiplied float BGRA image with the affine p_canvas = lin @ p_src + trans in
    pixel-edge coordinates (pixel i covers [i, i+1)), bilinear, into a local patch that holds
    the whole warped image plus pad px. Returns (patch, x0, y0): patch[0, 0] is canvas pixel
    (x0, y0). The same half-pixel bookkeeping as build_devset.paste_small, which is this with
    lin a rotation, trans = centre - lin @ face-box centre, and an immediate composite."""
    lin = np.asarray(lin, np.float64)
    trans = np.asarray(trans, np.float64)
    h, w = src.shape[:2]
    c = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64) @ lin.T + trans
    x0, y0 = int(math.floor(c[:, 0].min())) - 1 - pad, int(math.floor(c[:, 1].min())) - 1 - pad
    pw = int(math.ceil(c[:, 0].max())) + 1 + pad - x0
    ph = int(math.ceil(c[:, 1].max())) + 1 + pad - y0
    t = trans - [x0, y0]
    A = np.hstack([lin, (t + lin @ [0.5, 0.5] - [0.5, 0.5])[:, None]])
    patch = cv2.warpAffine(src, A, (pw, ph), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return patch, x0, y0


def composite_premult(canvas, patch, x0, y0):
    """canvas (float32 H x W x 3) <- patch (premultiplied float BGRA, alpha 0..1) over it at (x0, y0)."""
    Hc, Wc = canvas.shape[:2]
    h, w = patch.shape[:2]
    a0, b0 = max(0, x0), max(0, y0)
    a1, b1 = min(Wc, x0 + w), min(Hc, y0 + h)
    if a1 <= a0 or b1 <= b0:
        return
    p = patch[b0 - y0:b1 - y0, a0 - x0:a1 - x0]
    a = np.clip(p[:, :, 3:4], 0, 1)
    roi = canvas[b0:b1, a0:a1]
    canvas[b0:b1, a0:a1] = roi * (1 - a) + p[:, :, :3]


def box_coverage(box, Wc=W, Hc=H):
    """Per-pixel coverage of a float box by the image's pixels: (wy, wx, c0, r0) with
    coverage[r0 + j, c0 + i] = wy[j] * wx[i]; None when the box misses the image."""
    x, y, w, h = box
    c0, c1 = max(0, int(math.floor(x))), min(Wc, int(math.ceil(x + w)))
    r0, r1 = max(0, int(math.floor(y))), min(Hc, int(math.ceil(y + h)))
    if c1 <= c0 or r1 <= r0:
        return None
    cols = np.arange(c0, c1, dtype=np.float64)
    rows = np.arange(r0, r1, dtype=np.float64)
    wx = np.clip(np.minimum(cols + 1, x + w) - np.maximum(cols, x), 0, 1)
    wy = np.clip(np.minimum(rows + 1, y + h) - np.maximum(rows, y), 0, 1)
    return wy, wx, c0, r0


def visibility(box, front_layers, Wc=W, Hc=H):
    """Visible fraction of box's area: inside the image and not behind the layers in front
    (each (patch, x0, y0), premultiplied BGRA with alpha 0..1, as composited)."""
    return visibility_map(box, front_layers, Wc, Hc)[0]


def visibility_map(box, front_layers, Wc=W, Hc=H):
    """(visible fraction, per-pixel transmission T of the box's pixels inside the image or None,
    column and row of T's first pixel). T is 1 where nothing is in front, 0 behind an opaque layer."""
    x, y, w, h = box
    cov = box_coverage(box, Wc, Hc)
    if cov is None or w <= 0 or h <= 0:
        return 0.0, None, 0, 0
    wy, wx, c0, r0 = cov
    T = np.ones((len(wy), len(wx)), np.float64)
    for patch, px, py in front_layers:
        ph, pw = patch.shape[:2]
        a0, b0 = max(c0, px), max(r0, py)
        a1, b1 = min(c0 + len(wx), px + pw), min(r0 + len(wy), py + ph)
        if a1 <= a0 or b1 <= b0:
            continue
        al = np.clip(patch[b0 - py:b1 - py, a0 - px:a1 - px, 3].astype(np.float64), 0, 1)
        T[b0 - r0:b1 - r0, a0 - c0:a1 - c0] *= 1.0 - al
    return float((wy[:, None] * wx[None, :] * T).sum() / (w * h)), T, c0, r0


def visible_mask(written_box, T, c0, r0):
    """The gt/visible/ mask of a row: one uint8 pixel (255 visible, 0 hidden) per image pixel that
    the written (rounded, clipped) box touches, from floor(x), floor(y); T's pixels where they
    overlap that grid, visible elsewhere (the rounding can add an edge row T does not have)."""
    x, y, w, h = written_box
    gc0, gr0 = int(math.floor(x)), int(math.floor(y))
    gc1, gr1 = int(math.ceil(x + w)), int(math.ceil(y + h))
    m = np.full((gr1 - gr0, gc1 - gc0), 255, np.uint8)
    a0, b0 = max(gc0, c0), max(gr0, r0)
    a1, b1 = min(gc1, c0 + T.shape[1]), min(gr1, r0 + T.shape[0])
    if a1 > a0 and b1 > b0:
        m[b0 - gr0:b1 - gr0, a0 - gc0:a1 - gc0] = np.where(T[b0 - r0:b1 - r0, a0 - c0:a1 - c0] >= 0.5, 255, 0)
    return m


def clip_box(box, Wc=W, Hc=H):
    """The part of box inside the image, rounded to 2 decimals so that x + w <= Wc holds as
    written; None when the overlap is under 0.01 px in x or y."""
    x, y, w, h = box
    x0, y0 = round(max(0.0, x), 2), round(max(0.0, y), 2)
    x1, y1 = round(min(float(Wc), x + w), 2), round(min(float(Hc), y + h), 2)
    if x1 - x0 < 0.01 or y1 - y0 < 0.01:
        return None
    return [x0, y0, round(x1 - x0, 2), round(y1 - y0, 2)]


def blur_for(velocity, exposure, defocus=0.0):
    """The apply_blur parameters for an object moving by velocity (px/frame) with the shutter
    open for `exposure` of the frame: a centred linear blur of exposure * speed px along the
    motion (none under 0.5 px) and the object's own defocus."""
    vx, vy = velocity
    length = exposure * math.hypot(vx, vy) if exposure else 0.0
    if length < 0.5:
        length = 0.0
    angle = math.degrees(math.atan2(-vy, vx)) if length else 0.0   # counter-clockwise on screen
    return {"len": round(length, 3), "angle": round(angle, 3), "defocus": defocus}


# ----------------------------------------------------------------------------- paths
def plan_speed(rng, spec, N):
    """Signed speed along the heading per frame u[t] (displacement from frame t-1 to t; u[0] = 0)
    and heading change per frame dth[t] (radians), plus the drawn parameters."""
    kind, sp = spec["path"], spec["speed"]
    u, dth = np.zeros(N), np.zeros(N)
    t = np.arange(N, dtype=np.float64)
    prm = {}
    if kind == "static":
        prm["nominal"] = [0.0]
    elif kind == "constant":
        v = draw_speed(rng, sp)
        u[1:] = v
        prm["nominal"] = [r2(v)]
    elif kind in ("accelerate", "decelerate"):
        v0, v1 = draw_speed(rng, sp[0]), draw_speed(rng, sp[1])
        ta = int(rng.integers(0, max(1, int(0.3 * N))))
        tb = int(rng.integers(int(0.6 * N), N))
        u = v0 + (v1 - v0) * np.clip((t - ta) / max(1, tb - ta), 0, 1)
        u[0] = 0.0
        prm.update(nominal=[r2(v0), r2(v1)], ramp_frames=[ta + 1, tb + 1])
    elif kind == "curve":
        v = draw_speed(rng, sp)
        u[1:] = v
        turn = unif(rng, 60, 180) * (1 if rng.random() < 0.5 else -1)
        if rng.random() < 0.5:                         # a steady arc over the whole clip
            dth[1:] = math.radians(turn) / (N - 1)
            prm["curve"] = "arc"
        else:                                          # a turn of 12-30 frames (smoothstep)
            L = int(rng.integers(12, 31))
            t0 = int(rng.integers(int(0.15 * N), max(int(0.15 * N) + 1, N - L - 5)))
            s = np.clip((t - t0) / L, 0, 1)
            sm = s * s * (3 - 2 * s)
            dth[1:] = np.diff(sm) * math.radians(turn)
            prm.update(curve="turn", turn_frames=[t0 + 1, t0 + L + 1])
        prm.update(nominal=[r2(v)], turn_deg=r2(turn))
    elif kind == "stop_go":
        v = draw_speed(rng, sp)
        t1 = int(rng.integers(int(0.2 * N), int(0.4 * N)))
        d1, stop, d2 = int(rng.integers(3, 8)), int(rng.integers(6, 16)), int(rng.integers(3, 8))
        for k in range(1, N):
            if k < t1:
                u[k] = v
            elif k < t1 + d1:
                u[k] = v * (1 - (k - t1 + 1) / d1)
            elif k < t1 + d1 + stop:
                u[k] = 0.0
            elif k < t1 + d1 + stop + d2:
                u[k] = v * (k - (t1 + d1 + stop) + 1) / d2
            else:
                u[k] = v
        prm.update(nominal=[r2(v)], stop_frames=[t1 + d1 + 1, t1 + d1 + stop])
    elif kind == "reverse":
        v = draw_speed(rng, sp)
        t1 = int(rng.integers(int(0.35 * N), int(0.6 * N)))
        k = int(rng.integers(2, 9))
        u = v * (1 - 2 * np.clip((t - t1) / k, 0, 1))
        u[0] = 0.0
        prm.update(nominal=[r2(v)], reverse_frames=[t1 + 1, t1 + k + 1])
    else:
        raise ValueError(kind)
    return u, dth, prm


def positions(u, dth, theta0, p0):
    th = theta0 + np.cumsum(dth)
    step = np.stack([u * np.cos(th), -u * np.sin(th)], axis=1)     # heading counter-clockwise, y down
    step[0] = 0.0
    return np.asarray(p0, np.float64) + np.cumsum(step, axis=0), th


def size_profile(rng, spec, N, default):
    lo, hi = spec.get("size", default)
    kind = spec.get("scale", "fixed")
    if kind == "fixed":
        return np.full(N, bd.loguniform(rng, lo, hi)), kind
    r = min(unif(rng, 1.4, 2.5), hi / lo)
    h0 = bd.loguniform(rng, lo, hi / r)
    prof = h0 * r ** (np.arange(N) / (N - 1))
    return (prof if kind == "approach" else prof[::-1].copy()), kind


# ----------------------------------------------------------------------------- tracks
class FaceTrack:
    """A real face crop (build_devset.face_crop + face_alpha + flip_and_jitter), scaled per frame
    by an INTER_AREA (cubic if enlarged) resize to whole pixels and placed with a sub-pixel
    bilinear warp at scale 1 (optionally rotated: a head tilt), like build_devset.place_small_face.
    The box is the checked source face box mapped exactly by that resize and warp."""
    cls = "face"

    def __init__(self, rng, sources, heights, tilt):
        src = bd.pick_face_source(rng, sources, float(heights.max()))
        crop, fx, fy, bw, bh = bd.face_crop(src)
        alpha = bd.face_alpha(crop.shape, fx, fy, bw, bh)
        crop, alpha, fx, flip = bd.flip_and_jitter(rng, crop, alpha, fx, bw)
        self.src = premultiply(crop, alpha)
        self.face = (fx, fy, bw, bh)
        self.heights = heights
        self.defocus = r2(unif(rng, 0.3, 0.9)) if rng.random() < 0.25 else 0.0
        self.tilt = None
        if tilt:
            self.tilt = (unif(rng, 5, 14), unif(rng, 30, 80), unif(rng, 0, 2 * math.pi))
        self.appearance = {"from": src["from"], "flip": flip, "defocus_sigma": self.defocus}
        if self.tilt:
            self.appearance["tilt_amplitude_deg"] = r2(self.tilt[0])
            self.appearance["tilt_period_frames"] = r2(self.tilt[1])
        self.aspect = bw / bh

    def angle(self, t):
        if not self.tilt:
            return 0.0
        a, per, ph = self.tilt
        return a * math.sin(2 * math.pi * t / per + ph)

    def nominal_size(self, t):
        return bd.rotated_box_size(self.heights[t] * self.aspect, self.heights[t], self.angle(t))

    def render(self, t, centre, blur):
        s = self.heights[t] / self.face[3]
        ch0, cw0 = self.src.shape[:2]
        nw, nh = max(1, int(round(cw0 * s))), max(1, int(round(ch0 * s)))
        sx, sy = nw / cw0, nh / ch0                    # the resize's exact scales
        small = cv2.resize(self.src, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)
        small = np.clip(small, 0, None)
        small[:, :, 3] = np.minimum(small[:, :, 3], 1.0)
        fx, fy, fw, fh = self.face[0] * sx, self.face[1] * sy, self.face[2] * sx, self.face[3] * sy
        return render_face_patch(small, (fx, fy, fw, fh), centre, self.angle(t), blur)


def render_face_patch(small, face, centre, angle_deg, blur):
    """A pre-scaled premultiplied BGRA face crop with face box `face` warped so that the face box
    centre lands on `centre` (pixel-edge coordinates), rotated by angle_deg (counter-clockwise on
    screen) about it, then blurred (build_devset.apply_blur). Returns (patch, x0, y0, box): box is
    the exact axis-aligned box of the four mapped face-box corners."""
    fx, fy, fw, fh = face
    a = math.radians(angle_deg)
    R = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]], np.float64)
    c_src = np.array([fx + fw / 2, fy + fh / 2])
    trans = np.asarray(centre, np.float64) - R @ c_src
    pad = int(math.ceil(bd.blur_reach(blur))) + 1
    patch, x0, y0 = warp_affine_patch(small, R, trans, pad=pad)
    if blur["len"] > 0 or blur["defocus"] > 0:
        patch = bd.apply_blur(patch, blur)
    fc = np.array([[fx, fy], [fx + fw, fy], [fx + fw, fy + fh], [fx, fy + fh]], np.float64) @ R.T + trans
    box = [float(fc[:, 0].min()), float(fc[:, 1].min()), float(fc[:, 0].max() - fc[:, 0].min()),
           float(fc[:, 1].max() - fc[:, 1].min())]
    return patch, x0, y0, box


CAR_PAINTS = [(235, 235, 232), (190, 192, 196), (40, 42, 46), (30, 45, 95), (150, 25, 30), (95, 98, 102),
              (35, 70, 50), (200, 170, 120), (20, 20, 22)]


def render_carrier(rng, plate):
    """A car's rear panel around a rendered plate (BGRA uint8): a painted body with a vertical
    shading, a dark bumper band at the plate, two light clusters and a dark rear window at the
    top; no text. Returns (rgba, (px, py)): the plate's top-left corner in the panel."""
    ph, pw = plate.shape[:2]
    cw, chh = int(pw * unif(rng, 1.5, 2.3)), int(ph * unif(rng, 2.4, 3.4))
    paint = CAR_PAINTS[int(rng.integers(len(CAR_PAINTS)))]
    img = Image.new("RGBA", (cw, chh), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([0, 0, cw - 1, chh - 1], radius=int(0.18 * chh), fill=paint + (255,))
    win_h = int(chh * unif(rng, 0.2, 0.3))
    d.rounded_rectangle([int(cw * 0.12), int(chh * 0.04), int(cw * 0.88), int(chh * 0.04) + win_h],
                        radius=int(0.06 * chh), fill=(28, 34, 40, 255))
    px, py = (cw - pw) // 2, int(chh * unif(rng, 0.5, 0.62))
    py = min(py, chh - ph - int(0.12 * chh))
    bumper = (max(0, paint[0] // 3), max(0, paint[1] // 3), max(0, paint[2] // 3))
    d.rectangle([0, py - int(0.2 * ph), cw - 1, py + ph + int(0.25 * ph)], fill=bumper + (255,))
    lw, lh = int(cw * 0.16), int(ph * 0.7)
    ly = py - int(0.3 * ph) - lh
    light = [(200, 20, 20), (220, 90, 20), (170, 10, 30)][int(rng.integers(3))]
    for lx in (int(cw * 0.04), cw - int(cw * 0.04) - lw):
        d.rounded_rectangle([lx, ly, lx + lw, ly + lh], radius=int(0.15 * lh), fill=light + (255,))
    arr = np.array(img).astype(np.float32)
    shade = np.linspace(1.12, 0.78, chh, dtype=np.float32)[:, None, None]
    arr[:, :, :3] = np.clip(arr[:, :, :3] * shade, 0, 255)
    a = plate[:, :, 3:4].astype(np.float32) / 255.0
    pl = plate[:, :, [2, 1, 0]].astype(np.float32)             # BGRA -> RGB
    roi = arr[py:py + ph, px:px + pw]
    roi[:, :, :3] = roi[:, :, :3] * (1 - a) + pl * a
    roi[:, :, 3:4] = np.maximum(roi[:, :, 3:4], a * 255)
    return np.clip(arr, 0, 255).astype(np.uint8)[:, :, [2, 1, 0, 3]].copy(), (px, py)


class PlateTrack:
    """A fictional plate (build_devset.plate_spec + render_plate), optionally on a car-like
    panel, 3D-tilted (yaw +-15, pitch +-15, roll +-8 deg, as place_plate; the yaw follows a
    curved path's heading a little) and warped exactly (build_devset.warp_patch, exact=True) so
    that the plate's corners land where build_devset.project_plate puts them. The box is the
    axis-aligned box of those four corners, centred on the path."""
    cls = "plate"

    def __init__(self, rng, fonts, heights, headings, carrier):
        spec = bd.plate_spec(rng)
        font = fonts[int(rng.integers(len(fonts)))]
        plate = bd.render_plate(spec, font)
        if carrier is None:
            carrier = bool(rng.random() < 0.5)
        if carrier:
            rgba, (px, py) = render_carrier(rng, plate)
        else:
            rgba, (px, py) = plate, (0, 0)
        ph, pw = plate.shape[:2]
        # pre-shrink the rendering once so the plate is at most ~3x its largest on-screen height
        k = min(1.0, 3.0 * float(heights.max()) / ph)
        if k < 1.0:
            nw, nh = max(1, int(round(rgba.shape[1] * k))), max(1, int(round(rgba.shape[0] * k)))
            kx, ky = nw / rgba.shape[1], nh / rgba.shape[0]
            f = rgba.astype(np.float32)
            f[:, :, :3] *= f[:, :, 3:4] / 255.0            # average premultiplied: no dark fringe
            f = cv2.resize(f, (nw, nh), interpolation=cv2.INTER_AREA)
            f[:, :, :3] /= np.maximum(f[:, :, 3:4] / 255.0, 1e-3)
            rgba = np.clip(np.rint(f), 0, 255).astype(np.uint8)
            self.plate_rect = (px * kx, py * ky, pw * kx, ph * ky)
        else:
            self.plate_rect = (float(px), float(py), float(pw), float(ph))
        self.rgba = rgba
        self.heights = heights
        self.yaw0 = unif(rng, -15, 15)
        self.pitch = unif(rng, -15, 15)
        mr = 12 if len(spec["lines"]) > 1 else 8
        self.roll = unif(rng, -mr, mr)
        self.yaw = np.clip(self.yaw0 + 0.25 * np.degrees(headings - headings[0]), -35, 35)
        self.gain, self.contrast = unif(rng, 0.5, 1.1), unif(rng, 0.65, 1.0)
        self.defocus = r2(unif(rng, 0.3, 0.8)) if rng.random() < 0.25 else 0.0
        self.appearance = {"style": spec["style"], "text": " / ".join(spec["lines"]), "font": os.path.basename(font),
                           "carrier": bool(carrier), "yaw_deg": r2(self.yaw0), "pitch_deg": r2(self.pitch),
                           "roll_deg": r2(self.roll), "gain": round(self.gain, 3),
                           "contrast": round(self.contrast, 3), "defocus_sigma": self.defocus}

    def geometry(self, t, centre):
        """(dst quad of the whole rendering on the canvas, plate box, scale)."""
        px, py, pw, ph = self.plate_rect
        s = self.heights[t] / ph
        pc = bd.project_plate(pw * s, ph * s, math.radians(self.yaw[t]), math.radians(self.pitch),
                              math.radians(self.roll))                       # TL, TR, BR, BL about the centre
        src = np.float32([[px, py], [px + pw, py], [px + pw, py + ph], [px, py + ph]])
        Hm = cv2.getPerspectiveTransform(src, np.float32(pc))
        rh, rw = self.rgba.shape[:2]
        rc = cv2.perspectiveTransform(np.float32([[[0, 0], [rw, 0], [rw, rh], [0, rh]]]), Hm)[0].astype(np.float64)
        bx0, by0, bx1, by1 = pc[:, 0].min(), pc[:, 1].min(), pc[:, 0].max(), pc[:, 1].max()
        shift = np.asarray(centre, np.float64) - [(bx0 + bx1) / 2, (by0 + by1) / 2]
        box = [float(bx0 + shift[0]), float(by0 + shift[1]), float(bx1 - bx0), float(by1 - by0)]
        return rc + shift, box, s

    def nominal_size(self, t):
        _, box, _ = self.geometry(t, (0.0, 0.0))
        return box[2], box[3]

    def render(self, t, centre, blur):
        dst, box, s = self.geometry(t, centre)
        rb = [float(dst[:, 0].min()), float(dst[:, 1].min())]
        rbw, rbh = float(dst[:, 0].max()) - rb[0], float(dst[:, 1].max()) - rb[1]
        pad = 2 + int(math.ceil(bd.blur_reach(blur)))
        warped, ox, oy, _, _, _ = bd.warp_patch(self.rgba, dst, rb, rbw, rbh, s, pad=pad, exact=True)
        warped[:, :, 3] /= 255.0
        if blur["len"] > 0 or blur["defocus"] > 0:
            warped = bd.apply_blur(warped, blur)
        a = np.clip(warped[:, :, 3:4], 0, 1)
        rgb = warped[:, :, :3] / np.maximum(a, 1e-3)
        rgb = np.clip((rgb * self.gain - 128) * self.contrast + 128, 0, 255)
        return premultiply(rgb, a), ox, oy, box


# ----------------------------------------------------------------------------- occluders
class Occluder:
    """An opaque layer in front of the tracks: a premultiplied BGRA patch whose top-left corner
    is at `origin` on frame 1's screen, moving with the scene (camera pan / zoom) plus its own
    velocity (px/frame in frame-1 screen units; a vehicle)."""

    def __init__(self, kind, patch, origin, velocity, record):
        self.kind, self.patch, self.origin, self.velocity = kind, patch, np.asarray(origin, np.float64), velocity
        self.record = record

    def render(self, t, camera, blur_exposure):
        lin, trans = camera.scene_to_screen(t)
        pos = self.origin + np.asarray(self.velocity, np.float64) * t
        trans = lin @ pos + trans
        if np.allclose(lin, np.eye(2)) and np.allclose(trans, np.round(trans), atol=1e-9):
            patch, x0, y0 = self.patch, int(round(trans[0])), int(round(trans[1]))
        else:
            patch, x0, y0 = warp_affine_patch(self.patch, lin, trans, pad=1)
        if blur_exposure and any(self.velocity):
            blur = blur_for(lin @ np.asarray(self.velocity, np.float64), blur_exposure)
            if blur["len"] > 0:
                reach = int(math.ceil(bd.blur_reach(blur)))
                patch = cv2.copyMakeBorder(patch, reach, reach, reach, reach, cv2.BORDER_CONSTANT, value=0)
                patch, x0, y0 = bd.apply_blur(patch, blur), x0 - reach, y0 - reach
        return patch, x0, y0


def make_pole(rng, thickness, length, angle_deg):
    """A pole (angle 90 = vertical) or beam (0 = horizontal): a bar with a cylindrical shading,
    sometimes painted bands; premultiplied BGRA and the offset of its centre in the patch."""
    a = math.radians(angle_deg)
    d = np.array([math.cos(a), -math.sin(a)])          # along the bar
    nrm = np.array([-d[1], d[0]])                       # across
    half = np.abs(d) * length / 2 + np.abs(nrm) * thickness / 2
    pw, ph = int(math.ceil(2 * half[0])) + 4, int(math.ceil(2 * half[1])) + 4
    c = np.array([pw / 2, ph / 2])
    corners = np.array([c + d * length / 2 + nrm * thickness / 2, c + d * length / 2 - nrm * thickness / 2,
                        c - d * length / 2 - nrm * thickness / 2, c - d * length / 2 + nrm * thickness / 2])

    def draw(mask, n):
        cv2.fillPoly(mask, [np.round(corners * n * 16).astype(np.int32)], 255, lineType=cv2.LINE_8, shift=4)

    alpha = supersampled_alpha((ph, pw), draw)
    yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
    across = ((xx + 0.5 - c[0]) * nrm[0] + (yy + 0.5 - c[1]) * nrm[1]) / (thickness / 2)
    along = (xx + 0.5 - c[0]) * d[0] + (yy + 0.5 - c[1]) * d[1]
    base = np.array([(120, 122, 125), (60, 70, 62), (55, 75, 105), (40, 40, 42), (150, 150, 148)][int(rng.integers(5))],
                    np.float32)
    shade = 0.55 + 0.5 * np.sqrt(np.clip(1 - across ** 2, 0, 1)) + 0.25 * np.exp(-((across + 0.35) / 0.15) ** 2)
    col = base[None, None, :] * shade[:, :, None]
    if rng.random() < 0.35:                             # painted bands (a bollard, a barrier)
        band = np.array([(230, 230, 230), (40, 200, 230), (30, 30, 200)][int(rng.integers(3))], np.float32)
        period = unif(rng, 0.6, 2.0) * max(thickness, 20)
        on = (np.floor(along / period) % 2) == 0
        col = np.where(on[:, :, None], band[None, None, :] * shade[:, :, None], col)
    col = col + rng.normal(0, 3, col.shape).astype(np.float32)
    return premultiply(np.clip(col, 0, 255), alpha), c


def make_cutout(rng, photo, w, h):
    """A piece of another photograph (a hedge, a wall, a rock) with an irregular or rounded-
    rectangle outline, slightly darkened; premultiplied BGRA of size (h + 4) x (w + 4)."""
    PH, PW = photo.shape[:2]
    k = unif(rng, 0.35, 0.8)
    tw, th = int(math.ceil((w + 4) / k)), int(math.ceil((h + 4) / k))
    tw, th = min(tw, PW), min(th, PH)
    x0, y0 = int(rng.integers(0, PW - tw + 1)), int(rng.integers(0, PH - th + 1))
    tex = cv2.resize(photo[y0:y0 + th, x0:x0 + tw], (int(w) + 4, int(h) + 4), interpolation=cv2.INTER_AREA)
    tex = tex.astype(np.float32) * unif(rng, 0.6, 1.0)
    shape = "blob" if rng.random() < 0.6 else "slab"
    cx, cy = (w + 4) / 2, (h + 4) / 2
    if shape == "blob":
        phi = np.linspace(0, 2 * math.pi, 96, endpoint=False)
        r = np.ones_like(phi)
        for kk in range(2, 6):
            r += unif(rng, 0, 0.06) * np.cos(kk * phi + unif(rng, 0, 2 * math.pi))
        r /= r.max()
        pts = np.stack([cx + (w / 2) * r * np.cos(phi), cy + (h / 2) * r * np.sin(phi)], axis=1)
        # a blob's ellipse is inscribed in the w x h box, so its corners are open: widen it
        pts = np.stack([cx + (pts[:, 0] - cx) * 1.25, cy + (pts[:, 1] - cy) * 1.25], axis=1)
        pts = np.clip(pts, [2, 2], [w + 2, h + 2])

        def draw(mask, n):
            cv2.fillPoly(mask, [np.round(pts * n * 16).astype(np.int32)], 255, lineType=cv2.LINE_8, shift=4)
    else:
        rad = unif(rng, 0.05, 0.2) * min(w, h)

        def draw(mask, n):
            img = Image.fromarray(mask)
            ImageDraw.Draw(img).rounded_rectangle([2 * n, 2 * n, (w + 2) * n - 1, (h + 2) * n - 1],
                                                  radius=int(rad * n), fill=255)
            mask[:] = np.asarray(img)
    alpha = supersampled_alpha(tex.shape[:2], draw)
    return premultiply(tex, alpha), shape


VEHICLE_PAINTS = [(200, 200, 198), (40, 40, 44), (30, 40, 140), (140, 30, 30), (90, 92, 96), (30, 90, 160),
                  (60, 110, 60), (210, 180, 60)]


def make_vehicle(rng, length, height, facing_right):
    """A side-view vehicle silhouette: body, cabin with dark windows, two wheels; no text or
    plate. Premultiplied BGRA (height + 4) x (length + 4) and the body's top (y, from the top)."""
    n = 4
    Wp, Hp = int(math.ceil(length)) + 4, int(math.ceil(height)) + 4
    paint = VEHICLE_PAINTS[int(rng.integers(len(VEHICLE_PAINTS)))]
    big = Image.new("RGBA", (Wp * n, Hp * n), (0, 0, 0, 0))
    d = ImageDraw.Draw(big)
    L, Hh = length * n, height * n
    o = 2 * n
    body_top, body_bot = o + 0.42 * Hh, o + 0.86 * Hh
    van = rng.random() < 0.35
    cab0, cab1 = (o + 0.04 * L, o + 0.97 * L) if van else (o + 0.2 * L, o + 0.8 * L)
    d.polygon([(cab0, body_top), (cab0 + 0.06 * L, o + 0.03 * Hh), (cab1 - 0.12 * L, o + 0.03 * Hh),
               (cab1, body_top)], fill=paint + (255,))
    d.rounded_rectangle([o, body_top, o + L, body_bot], radius=int(0.08 * Hh), fill=paint + (255,))
    glass = (35, 45, 55, 255)
    wy0, wy1 = o + 0.09 * Hh, body_top - 0.03 * Hh
    nw_ = 2 if not van else 3
    span0, span1 = cab0 + 0.08 * L, cab1 - 0.13 * L
    for k in range(nw_):
        a0 = span0 + (span1 - span0) * k / nw_ + 0.01 * L
        a1 = span0 + (span1 - span0) * (k + 1) / nw_ - 0.01 * L
        d.polygon([(a0, wy1), (a0 + 0.02 * L, wy0), (a1, wy0), (a1, wy1)], fill=glass)
    d.rectangle([o, body_top + 0.45 * (body_bot - body_top), o + L, body_top + 0.5 * (body_bot - body_top)],
                fill=(max(0, paint[0] - 60), max(0, paint[1] - 60), max(0, paint[2] - 60), 255))
    r = 0.15 * Hh
    for wx in (o + 0.2 * L, o + 0.8 * L):
        wyc = o + Hh - r
        d.ellipse([wx - r, wyc - r, wx + r, wyc + r], fill=(18, 18, 18, 255))
        d.ellipse([wx - 0.5 * r, wyc - 0.5 * r, wx + 0.5 * r, wyc + 0.5 * r], fill=(120, 122, 126, 255))
    d.rectangle([o + L - 0.025 * L, body_top + 0.1 * Hh, o + L, body_top + 0.2 * Hh], fill=(230, 200, 120, 255))
    arr = np.asarray(big).astype(np.float32)
    arr = cv2.resize(arr, (Wp, Hp), interpolation=cv2.INTER_AREA)
    a = arr[:, :, 3:4] / 255.0
    rgb = arr[:, :, [2, 1, 0]] / np.maximum(a, 1e-3)                 # PIL RGBA -> BGR, un-premultiply the average
    rgb = rgb * np.linspace(1.1, 0.85, Hp, dtype=np.float32)[:, None, None]
    patch = premultiply(np.clip(rgb, 0, 255), np.clip(a, 0, 1))
    if not facing_right:
        patch = patch[:, ::-1].copy()
    return patch, 2 + 0.42 * height


# ----------------------------------------------------------------------------- camera
class Camera:
    """A window on a background photograph, pre-resized so that frame 1's window is exactly
    1280x720 source px; the window's centre drifts (pan) and its scale changes (zoom) per frame.
    scene_to_screen(t) maps frame-1 screen coordinates to frame t's (pixel-edge coordinates)."""

    def __init__(self, rng, img, kind):
        moving = kind != "static"
        Hs, Ws = img.shape[:2]
        cw_max = min(Ws, Hs * W / H)
        f_hi = 0.72 if moving else 1.0
        f_lo = min(f_hi, max(0.55, 1000.0 / cw_max))
        f = unif(rng, f_lo, f_hi)
        k = W / (f * cw_max)
        self.flip = bool(rng.random() < 0.5)
        src = cv2.resize(img, (int(round(Ws * k)), int(round(Hs * k))),
                         interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC)
        if self.flip:
            src = src[:, ::-1].copy()
        self.src = src
        self.kind = kind
        self.scale = k
        self.pan = np.zeros(2)
        self.zoom = 0.0
        if kind in ("pan", "panzoom"):
            sp = unif(rng, 0.5, 3.0) if kind == "pan" else unif(rng, 0.4, 1.5)
            ang = (unif(rng, -20, 20) + (180 if rng.random() < 0.5 else 0)) if rng.random() < 0.7 else unif(rng, 0, 360)
            self.pan = sp * np.array([math.cos(math.radians(ang)), -math.sin(math.radians(ang))])
        if kind in ("zoom", "panzoom"):                # at most ~3 px/frame at the frame corners
            self.zoom = (unif(rng, 0.0015, 0.004) if kind == "zoom" else unif(rng, 0.001, 0.002)) * \
                (1 if rng.random() < 0.5 else -1)
        self.c0 = None

    def place(self, rng, N):
        Hs, Ws = self.src.shape[:2]
        for attempt in range(200):
            if attempt == 100:
                self.pan *= 0.5
                self.zoom *= 0.5
            x0 = int(rng.integers(0, Ws - W + 1))
            y0 = int(rng.integers(0, Hs - H + 1))
            c0 = np.array([x0 + W / 2, y0 + H / 2])
            ok = True
            for t in (0, N // 2, N - 1):
                z = self.z(t)
                c = c0 + self.pan * t / z                # pan speed in screen px
                hw, hh = W / 2 / z, H / 2 / z
                if c[0] - hw < 0 or c[1] - hh < 0 or c[0] + hw > Ws or c[1] + hh > Hs:
                    ok = False
                    break
            if ok:
                self.c0 = c0
                return
        self.pan[:] = 0
        self.zoom = 0.0
        self.c0 = np.array([W / 2, H / 2])

    def z(self, t):
        return (1.0 + self.zoom) ** t

    def centre(self, t):
        return self.c0 + self.pan * t / self.z(t)

    def frame(self, t):
        z, c = self.z(t), self.centre(t)
        # screen = z * (p - c) + (W/2, H/2); warpAffine maps pixel indices (edge - 0.5)
        M = np.array([[z, 0, z * (0.5 - c[0]) + W / 2 - 0.5], [0, z, z * (0.5 - c[1]) + H / 2 - 0.5]])
        if self.kind == "static":
            x0, y0 = int(round(self.c0[0] - W / 2)), int(round(self.c0[1] - H / 2))
            return self.src[y0:y0 + H, x0:x0 + W].astype(np.float32)
        out = cv2.warpAffine(self.src, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        return out.astype(np.float32)

    def scene_to_screen(self, t):
        z = self.z(t)
        lin = np.eye(2) * z
        o = np.array([W / 2, H / 2])
        trans = z * (self.c0 - self.centre(t) - o) + o
        return lin, trans

    def max_drift(self, n):
        """The largest displacement (px) of a scene point at the frame's corners or centre
        from one frame to the next, over frames 1..n."""
        pts = np.array([[0, 0], [W, 0], [W, H], [0, H], [W / 2, H / 2]], np.float64)
        best = 0.0
        for t in range(n - 1):
            l0, t0 = self.scene_to_screen(t)
            l1, t1 = self.scene_to_screen(t + 1)
            scene = (pts - t0) / l0[0, 0]
            best = max(best, float(np.hypot(*(scene * l1[0, 0] + t1 - pts).T).max()))
        return best

    def record(self, n):
        return {"kind": self.kind, "pan_px_per_frame": [r2(v) for v in self.pan],
                "zoom_per_frame": round(self.zoom, 5), "max_drift_px_per_frame": r2(self.max_drift(n)),
                "flip": self.flip, "source_scale": round(self.scale, 4)}


# ----------------------------------------------------------------------------- clip planning
EDGE_NORMAL = {"left": 0.0, "right": 180.0, "top": -90.0, "bottom": 90.0}    # inward heading, deg (CCW)


class Clip:
    """Everything about one clip, drawn from its RNG: camera, tracks (path, size, appearance),
    occluders, degradation. render(t) draws frame t (0-based)."""

    def __init__(self, index, seed, res):
        spec = CLIPS[index]
        self.index, self.seed, self.spec = index, seed, spec
        self.name = clip_name(index)
        N = self.N = spec["frames"]
        rng = np.random.default_rng([seed, STREAM, index])
        bgs = res["backgrounds"]
        bi = int(rng.integers(len(bgs)))
        self.bg_name = bgs[bi]["name"]
        self.bg_licence = bgs[bi]["licence"]
        self.camera = Camera(rng, res["photo"](bi), spec["camera"])
        self.camera.place(rng, N)
        self.exposure = round(unif(rng, 0.3, 1.0), 3) if spec["blur"] else 0.0
        self.tracks = []
        for k, ts in enumerate(spec["tracks"]):
            self.tracks.append(self._plan_track(rng, k + 1, ts, res))
        # z order among the tracks: larger (nearer) objects in front
        order = sorted(range(len(self.tracks)), key=lambda i: (float(self.tracks[i]["heights"].mean()) *
                                                                (1.0 if self.tracks[i]["cls"] == "face" else 2.5), i))
        for z, i in enumerate(order):
            self.tracks[i]["z"] = z
        self.occluders = []
        other_bgs = [j for j in range(len(bgs)) if j != bi]
        for tr in self.tracks:
            if tr["spec"].get("occ"):
                self._plan_occluder(rng, tr["spec"]["occ"], tr, res, other_bgs)
        for kind in spec["extra"]:
            self._plan_occluder(rng, kind, None, res, other_bgs)
        self.degrade = self._plan_degrade(rng, spec["degrade"])

    # -- tracks
    def _plan_track(self, rng, tid, ts, res):
        N = self.N
        heights, scale_kind = size_profile(rng, ts, N, FACE_SIZE if ts["cls"] == "face" else PLATE_SIZE)
        u, dth, prm = plan_speed(rng, ts, N)
        edge = ts.get("edge")
        if edge == "any":
            edge = ["left", "right", "top", "bottom"][int(rng.integers(4))] if rng.random() < 0.5 else \
                ["left", "right"][int(rng.integers(2))]
        if edge:
            theta0 = math.radians(EDGE_NORMAL[edge] + unif(rng, -30, 30))
        elif ts.get("heading") == "diagonal":
            theta0 = math.radians(unif(rng, 30, 60) + 90 * int(rng.integers(4)))
        elif rng.random() < (0.75 if ts["cls"] == "plate" else 0.6):
            theta0 = math.radians(unif(rng, -25, 25) + (180 if rng.random() < 0.5 else 0))
        else:
            theta0 = math.radians(unif(rng, 0, 360))
        rel, th = positions(u, dth, theta0, (0.0, 0.0))
        if ts["cls"] == "face":
            obj = FaceTrack(rng, res["faces"], heights, ts.get("tilt", False))
        else:
            obj = PlateTrack(rng, res["fonts"], heights, th, ts.get("carrier"))
        sizes = np.array([obj.nominal_size(t) for t in range(N)])        # (w, h) per frame
        p0 = self._place(rng, rel, sizes, edge, u, ts)
        pos = rel + p0
        vel = np.zeros_like(pos)
        if N > 1:
            vel[1:-1] = (pos[2:] - pos[:-2]) / 2
            vel[0], vel[-1] = pos[1] - pos[0], pos[-1] - pos[-2]
        return {"id": tid, "cls": ts["cls"], "spec": ts, "obj": obj, "pos": pos, "vel": vel, "heights": heights,
                "sizes": sizes, "scale": scale_kind, "theta0": theta0, "headings": th, "prm": prm, "edge": edge,
                "blur": bool(ts.get("blur", True)) and self.exposure > 0}

    def _others_boxes(self):
        return [(tr["pos"], tr["sizes"]) for tr in self.tracks]

    def _place(self, rng, rel, sizes, edge, u, ts):
        N = self.N
        hw, hh = sizes[:, 0] / 2, sizes[:, 1] / 2
        others = self._others_boxes()

        def score(p0):
            c = rel + p0
            inside = (c[:, 0] - hw >= 1) & (c[:, 0] + hw <= W - 1) & (c[:, 1] - hh >= 1) & (c[:, 1] + hh <= H - 1)
            touch = (c[:, 0] + hw > 0) & (c[:, 0] - hw < W) & (c[:, 1] + hh > 0) & (c[:, 1] - hh < H)
            clash = 0
            for opos, osz in others:
                ov = (np.abs(c[:, 0] - opos[:, 0]) < hw + osz[:, 0] / 2 + 4) & \
                     (np.abs(c[:, 1] - opos[:, 1]) < hh + osz[:, 1] / 2 + 4)
                clash += int((ov & touch).sum())
            return float(inside.sum() + 0.25 * touch.sum() - 1.5 * clash), inside, touch

        best, best_s = None, -1e9
        for _ in range(60):
            if edge:
                delay = ts.get("enter_at")
                if delay is None:
                    vmax = float(np.abs(u).max())
                    delay = int(rng.integers(0, max(1, N // 6))) if vmax >= 10 else 0
                # outside by a gap that the object covers in `delay` frames plus a fraction of one
                gap = float(np.sum(np.abs(u[1:delay + 1]))) + \
                    unif(rng, 0.05, 0.95) * max(0.3, abs(u[min(delay + 1, N - 1)]))
                if edge in ("left", "right"):
                    y = unif(rng, hh[0] + 2, H - hh[0] - 2) if H > 2 * hh[0] + 4 else H / 2
                    x = -hw[0] - gap if edge == "left" else W + hw[0] + gap
                else:
                    x = unif(rng, hw[0] + 2, W - hw[0] - 2) if W > 2 * hw[0] + 4 else W / 2
                    y = -hh[0] - gap if edge == "top" else H + hh[0] + gap
                p0 = np.array([x, y]) - rel[0]
            else:
                x = unif(rng, hw[0] + 2, W - hw[0] - 2)
                y = unif(rng, hh[0] + 2, H - hh[0] - 2)
                p0 = np.array([x, y])
            s, inside, touch = score(p0)
            if edge and (touch[0] or not touch.any()):
                continue
            if s > best_s:
                best, best_s = p0, s
        if best is None:
            raise RuntimeError(f"{self.name}: could not place a track")
        return best

    # -- occluders
    def _plan_occluder(self, rng, kind_spec, tr, res, other_bgs):
        N = self.N
        kind, _, cover = kind_spec.partition(":")
        if not cover:
            cover = "full" if rng.random() < 0.5 else "partial"
        cam = self.camera
        rec = {"kind": kind, "coverage_aim": cover, "bound_to_track": tr["id"] if tr else None}
        if tr is not None:
            c, sz = tr["pos"], tr["sizes"]
            inside = np.nonzero((c[:, 0] - sz[:, 0] / 2 >= 0) & (c[:, 0] + sz[:, 0] / 2 <= W) &
                                (c[:, 1] - sz[:, 1] / 2 >= 0) & (c[:, 1] + sz[:, 1] / 2 <= H))[0]
            if tr["spec"].get("occ_at") is not None:
                t_occ = int(tr["spec"]["occ_at"]) - 1
            elif len(inside):
                lo, hi = int(len(inside) * 0.3), max(int(len(inside) * 0.3) + 1, int(len(inside) * 0.7))
                t_occ = int(inside[int(rng.integers(lo, hi))])
            else:
                t_occ = N // 2
            cx, cy = c[t_occ]
            ow, oh = sz[t_occ]
            v = tr["vel"][t_occ]
        else:
            t_occ = int(rng.integers(0, N))
            cx, cy = unif(rng, 100, W - 100), unif(rng, 80, H - 80)
            ow, oh = unif(rng, 30, 90), unif(rng, 30, 90)
            v = np.array([1.0, 0.0])
        rec["target_frame"] = t_occ + 1
        lin, trans = cam.scene_to_screen(t_occ)
        zt = lin[0, 0]

        def to_scene(p):                                   # frame t_occ screen -> frame 1 screen
            return (np.asarray(p, np.float64) - trans) / zt

        if kind == "pole":
            vertical = abs(v[0]) >= abs(v[1])
            across = ow if vertical else oh
            if cover == "full":
                thick = across * unif(rng, 1.15, 1.6) + 2
                off = unif(rng, -0.1, 0.1) * across
            else:
                thick = across * unif(rng, 0.25, 0.6)
                off = (0.5 * across + 0.5 * thick - unif(rng, 0.2, 0.45) * across) * (1 if rng.random() < 0.5 else -1)
            thick = float(np.clip(thick, 8, 150))
            slant = unif(rng, -5, 5)
            if vertical:
                length = (H + 80) / zt
                angle, centre = 90 + slant, (cx + off, H / 2 + unif(rng, -20, 20))
            else:
                length = (W + 120) / zt
                angle, centre = slant, (W / 2, cy + off)
            patch, pc = make_pole(rng, thick / zt, length, angle)
            sc = to_scene(centre)
            origin = sc - pc
            rec.update(thickness_px=r2(thick), angle_deg=r2(angle),
                       orientation="vertical" if vertical else "horizontal")
            self.occluders.append(Occluder(kind, patch, origin, (0.0, 0.0), rec))
        elif kind == "cutout":
            if cover == "full":
                w_, h_ = max(80.0, ow * unif(rng, 1.4, 2.2)), max(80.0, oh * unif(rng, 1.4, 2.2))
                centre = (cx + unif(rng, -0.1, 0.1) * ow, cy + unif(rng, -0.1, 0.1) * oh)
            else:
                w_, h_ = max(60.0, ow * unif(rng, 0.8, 1.6)), max(60.0, oh * unif(rng, 0.8, 1.6))
                ang = unif(rng, 0, 2 * math.pi)
                centre = (cx + math.cos(ang) * (w_ / 2 + 0.1 * ow), cy + math.sin(ang) * (h_ / 2 + 0.1 * oh))
            w_, h_ = min(w_, 520.0), min(h_, 420.0)
            bj = other_bgs[int(rng.integers(len(other_bgs)))]
            patch, shape = make_cutout(rng, res["photo"](bj), w_ / zt, h_ / zt)
            sc = to_scene(centre)
            origin = sc - np.array([patch.shape[1] / 2, patch.shape[0] / 2])
            rec.update(size_px=[r2(w_), r2(h_)], shape=shape, texture_from=res["backgrounds"][bj]["name"])
            self.occluders.append(Occluder(kind, patch, origin, (0.0, 0.0), rec))
        elif kind == "vehicle":
            length = unif(rng, 300, 620)
            height = float(np.clip(max(unif(rng, 140, 280), 2.6 * oh + 20), 140, 330))
            sp = unif(rng, 10, 25)
            right = rng.random() < 0.5
            if tr is not None:
                # the direction that passes the object sooner; faster (up to 40 px/frame) while
                # it would stay over the object's column for more than 25 frames
                ts_ = np.arange(N)

                def n_cov(sgn, sp_):
                    vx_ = cx + sgn * sp_ * (ts_ - t_occ)
                    return int((np.abs(tr["pos"][:, 0] - vx_) < (length + tr["sizes"][:, 0]) / 2).sum())

                while True:
                    c_r, c_l = n_cov(1.0, sp), n_cov(-1.0, sp)
                    if c_r != c_l:
                        right = c_r < c_l
                    if min(c_r, c_l) <= 25 or sp >= 40:
                        break
                    sp = min(40.0, sp + 2.0)
            patch, body_top = make_vehicle(rng, length / zt, height / zt, right)
            body_top *= zt
            if cover == "full":                            # the object inside the lower body's span
                y_top = cy - oh / 2 - body_top - unif(rng, 0.05, 0.25) * (0.44 * height - oh)
            else:                                          # the body's top edge across the object
                y_top = cy - body_top + unif(rng, -0.25, 0.25) * oh
            centre = (cx, y_top + patch.shape[0] * zt / 2)
            sc = to_scene(centre)
            vel = np.array([sp if right else -sp, 0.0]) / zt
            origin = sc - np.array([patch.shape[1] / 2, patch.shape[0] / 2]) - vel * t_occ
            rec.update(size_px=[r2(length), r2(height)], speed_px_per_frame=r2(sp),
                       direction="right" if right else "left")
            self.occluders.append(Occluder(kind, patch, origin, (float(vel[0]), float(vel[1])), rec))
        else:
            raise ValueError(kind)

    def _plan_degrade(self, rng, kinds):
        d = {}
        if "flicker" in kinds:
            d["flicker"] = {"amplitude": r2(unif(rng, 3, 10)), "period_frames": r2(unif(rng, 8, 40)),
                            "phase": round(unif(rng, 0, 2 * math.pi), 3),
                            "gain_amplitude": round(unif(rng, 0.005, 0.025), 4)}
        if "noise" in kinds:
            d["noise_sigma"] = r2(unif(rng, 1.0, 4.0))
        if "jpeg" in kinds:
            d["jpeg"] = {"quality": int(rng.integers(35, 66)),
                         "resample": round(unif(rng, 0.6, 0.85), 3) if rng.random() < 0.5 else 1.0}
        return d

    # -- rendering
    def render(self, t, draw_tracks=True, degrade=True):
        """Frame t (0-based): (uint8 BGR image, {track id: (full box, visibility, blur)}, track
        layers {id: (patch, x0, y0)})."""
        canvas = self.camera.frame(t)
        layers = []                                        # (z, kind, id, patch, x0, y0)
        info = {}
        for tr in self.tracks:
            obj = tr["obj"]
            blur = blur_for(tr["vel"][t], self.exposure if tr["blur"] else 0.0, obj.defocus)
            patch, x0, y0, box = obj.render(t, tr["pos"][t], blur)
            info[tr["id"]] = [box, None, blur, None]
            layers.append((tr["z"], "track", tr["id"], patch, x0, y0))
        for k, oc in enumerate(self.occluders):
            patch, x0, y0 = oc.render(t, self.camera, self.exposure)
            layers.append((100 + k, "occluder", k, patch, x0, y0))
        layers.sort(key=lambda L: L[0])
        track_layers = {}
        for i, (z, kind, lid, patch, x0, y0) in enumerate(layers):
            if kind == "track":
                track_layers[lid] = (patch, x0, y0)
                vis, T, c0, r0 = visibility_map(info[lid][0], [(p, a, b) for (_, _, _, p, a, b) in layers[i + 1:]])
                info[lid][1] = vis
                info[lid][3] = (T, c0, r0)
                if not draw_tracks:
                    continue
            composite_premult(canvas, patch, x0, y0)
        if degrade:
            canvas = self._degrade(t, canvas)
        img = np.clip(np.rint(canvas), 0, 255).astype(np.uint8)
        if degrade and "jpeg" in self.degrade:
            j = self.degrade["jpeg"]
            if j["resample"] < 1.0:
                f = j["resample"]
                img = cv2.resize(cv2.resize(img, (int(W * f), int(H * f)), interpolation=cv2.INTER_AREA), (W, H),
                                 interpolation=cv2.INTER_LINEAR)
            frng = np.random.default_rng([self.seed, STREAM, self.index, 2000 + t])
            q = int(np.clip(j["quality"] + int(frng.integers(-5, 6)), 20, 90))
            img = cv2.imdecode(cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])[1], cv2.IMREAD_COLOR)
        return img, info, track_layers

    def _degrade(self, t, canvas):
        d = self.degrade
        if not d:
            return canvas
        frng = np.random.default_rng([self.seed, STREAM, self.index, 1000 + t])
        if "flicker" in d:
            fl = d["flicker"]
            s = math.sin(2 * math.pi * t / fl["period_frames"] + fl["phase"])
            b = fl["amplitude"] * s + float(frng.normal(0, fl["amplitude"] / 4))
            g = 1.0 + fl["gain_amplitude"] * s
            canvas = (canvas - 128) * g + 128 + b
        if "noise_sigma" in d:
            canvas = canvas + frng.standard_normal(canvas.shape, dtype=np.float32) * d["noise_sigma"]
        return canvas


# ----------------------------------------------------------------------------- writing a clip
def write_clip(clip, out_dir, n_frames):
    """Renders frames 1..n_frames of clip into out_dir/<name>/; returns (manifest rows, tsv row)."""
    cdir = os.path.join(out_dir, clip.name)
    os.makedirs(os.path.join(cdir, "img1"), exist_ok=True)
    os.makedirs(os.path.join(cdir, "gt"), exist_ok=True)
    manifest = []
    rows = []
    per = {tr["id"]: {"box": [], "raw_box": [], "visibility": [], "blur_len": []} for tr in clip.tracks}
    for t in range(n_frames):
        img, info, _ = clip.render(t)
        name = f"{t + 1:06d}.jpg"
        path = os.path.join(cdir, "img1", name)
        cv2.imwrite(path, img, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        manifest.append((f"{clip.name}/img1/{name}", bd.sha256(path)))
        for tr in clip.tracks:
            box, vis, blur, vmap = info[tr["id"]]
            cb = clip_box(box)
            per[tr["id"]]["box"].append([r2(v) for v in box])
            per[tr["id"]]["raw_box"].append(box)
            per[tr["id"]]["blur_len"].append(r2(blur["len"]))
            if cb is None:
                per[tr["id"]]["visibility"].append(None)
                continue
            v = r2(vis)
            per[tr["id"]]["visibility"].append(v)
            conf = 1 if v >= CONF_MIN_VIS else 0
            rows.append((t + 1, tr["id"], cb, conf, CLASS_ID[tr["cls"]], v))
            T = vmap[0] if vmap is not None else None
            if conf and T is not None and T.min() < 0.5:
                # Something is in front: which of the box's pixels show the object (see gt/visible/).
                os.makedirs(os.path.join(cdir, "gt", "visible"), exist_ok=True)
                mname = f"{t + 1:06d}_{tr['id']}.png"
                mpath = os.path.join(cdir, "gt", "visible", mname)
                cv2.imwrite(mpath, visible_mask(cb, T, vmap[1], vmap[2]))
                manifest.append((f"{clip.name}/gt/visible/{mname}", bd.sha256(mpath)))
    rows.sort(key=lambda r: (r[0], r[1]))
    gt_path = os.path.join(cdir, "gt", "gt.txt")
    with open(gt_path, "w") as f:
        for fr, tid, (x, y, w, h), conf, cls, v in rows:
            f.write(f"{fr},{tid},{x:.2f},{y:.2f},{w:.2f},{h:.2f},{conf},{cls},{v:.2f}\n")
    manifest.insert(0, (f"{clip.name}/gt/gt.txt", bd.sha256(gt_path)))
    with open(os.path.join(cdir, "seqinfo.ini"), "w") as f:
        f.write(f"[Sequence]\nname={clip.name}\nimDir=img1\nframeRate={FPS}\nseqLength={n_frames}\n"
                f"imWidth={W}\nimHeight={H}\nimExt=.jpg\n")
    meta = clip_record(clip, n_frames, rows, per)
    with open(os.path.join(cdir, "clip.json"), "w") as f:
        f.write(dumps(meta) + "\n")
    tracks = meta["tracks"]
    classes = ",".join(f"{c}:{sum(1 for tr in tracks if tr['class'] == c)}" for c in ("face", "licence_plate")
                       if any(tr["class"] == c for tr in tracks))
    max_speed = max([tr["speed_px_per_frame"]["max"] or 0.0 for tr in tracks] + [0.0])
    tsv = (clip.name, n_frames, len(tracks), classes, f"{max_speed:.2f}", ",".join(meta["features"]))
    return manifest, tsv


def clip_record(clip, n, rows, per):
    by_track = {}
    for fr, tid, cb, conf, cls, v in rows:
        by_track.setdefault(tid, []).append((fr, cb, conf, v))
    tracks = []
    feats = set()
    for tr in clip.tracks:
        tid = tr["id"]
        rs = by_track.get(tid, [])
        frames = [r[0] for r in rs]
        pos = tr["pos"][:n]
        disp = np.zeros(n)
        if n > 1:
            disp[1:] = np.hypot(*(pos[1:] - pos[:-1]).T)
            disp[0] = disp[1]
        sp_rows = [float(disp[f - 1]) for f in frames]
        full, raw = per[tid]["box"], per[tid]["raw_box"]
        partial, inframe = [], {}
        for fr, cb, conf, v in rs:
            x, y, w, h = raw[fr - 1]
            if x < 0 or y < 0 or x + w > W or y + h > H:
                partial.append(fr)
            inframe[fr] = (min(W, x + w) - max(0, x)) * (min(H, y + h) - max(0, y)) / (w * h)
        occluded = [fr for fr, cb, conf, v in rs if inframe[fr] - v >= 0.01]
        hidden = [fr for fr, cb, conf, v in rs if conf == 0]
        blurred = [fr for fr in frames if per[tid]["blur_len"][fr - 1] > 0]
        spec = tr["spec"]
        sb = spec["speed"]
        speed_bin = f"{BIN_LABEL[sb[0]]}->{BIN_LABEL[sb[1]]}" if isinstance(sb, tuple) else BIN_LABEL[sb]
        # an edge track starts wholly outside the image, so its first row is a partial box
        enters = bool(tr["edge"]) and bool(frames) and frames[0] > 1
        leaves = bool(frames) and frames[-1] < n
        h = tr["heights"][:n]
        rec = {
            "id": tid, "class": CLASS_NAME[tr["cls"]], "class_id": CLASS_ID[tr["cls"]], "path": spec["path"],
            "path_params": tr["prm"], "speed_bin": speed_bin,
            "speed_px_per_frame": {"nominal": tr["prm"]["nominal"],
                                   "min": r2(min(sp_rows)) if sp_rows else None,
                                   "max": r2(max(sp_rows)) if sp_rows else None,
                                   "mean": r2(sum(sp_rows) / len(sp_rows)) if sp_rows else None},
            "heading_deg": r2(math.degrees(tr["theta0"]) % 360),
            "enters_from_edge": enters, "entry_edge": tr["edge"] if tr["edge"] else None,
            "leaves": leaves, "first_frame": frames[0] if frames else None,
            "last_frame": frames[-1] if frames else None,
            "rows": len(frames), "partial_frames": partial, "occluded_frames": occluded, "hidden_frames": hidden,
            "blurred_frames": blurred,
            "size": {"measure": "face_height_px" if tr["cls"] == "face" else "plate_height_px",
                     "scale": tr["scale"], "start": r2(h[0]), "end": r2(h[-1]), "min": r2(h.min()), "max": r2(h.max())},
            "motion_blur": tr["blur"], "z": tr["z"], "appearance": tr["obj"].appearance,
            "per_frame": {"box": full, "speed": [r2(v) for v in disp], "blur_len": per[tid]["blur_len"],
                          "visibility": per[tid]["visibility"]},
        }
        tracks.append(rec)
        feats.add(spec["path"])
        if enters:
            feats.add("edge_entry")
        if leaves:
            feats.add("leaves")
        if tr["scale"] != "fixed":
            feats.add(tr["scale"])
        if occluded:
            feats.add("occluded")
        if hidden:
            feats.add("hidden")
        if blurred:
            feats.add("motion_blur")
        if tr["cls"] == "face" and tr["obj"].tilt:
            feats.add("tilt")
        if tr["cls"] == "plate" and tr["obj"].appearance["carrier"]:
            feats.add("carrier")
    for oc in clip.occluders:
        feats.add("occ_" + oc.kind)
    if clip.camera.kind != "static":
        feats.add("camera_" + clip.camera.kind)
    for k in clip.degrade:
        feats.add({"flicker": "flicker", "noise_sigma": "noise", "jpeg": "jpeg"}[k])
    occl = []
    for oc in clip.occluders:
        r = dict(oc.record)
        r["velocity_px_per_frame"] = [r2(v) for v in oc.velocity]
        r["attached_to_scene"] = True
        occl.append(r)
    return {
        "name": clip.name, "index": clip.index, "seed": clip.seed, "frames": n, "frames_full": clip.N,
        "truncated": n < clip.N, "fps": FPS, "width": W, "height": H,
        "background": {"name": clip.bg_name, "licence": clip.bg_licence, "camera": clip.camera.record(n)},
        "degradation": clip.degrade, "motion_blur": {"exposure": clip.exposure},
        "features": sorted(feats), "tracks": tracks, "occluders": occl,
    }


def dumps(obj, ind=0):
    """JSON with one line per dict key and lists of scalars / short lists kept on one line."""
    pad = " " * ind
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f'{pad} {json.dumps(k)}: {dumps(v, ind + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and any(isinstance(v, dict) for v in obj):
        return "[\n" + ",\n".join(pad + " " + dumps(v, ind + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj, separators=(",", ":"))


# ----------------------------------------------------------------------------- resources
def load_resources(media, backgrounds, annotations):
    bd.check_media(media)
    bgs = bd.load_backgrounds(backgrounds)
    real = [it for it in bd.load_real(media, annotations)]
    faces = bd.face_sources(real)
    fonts = bd.find_fonts()
    if len(fonts) < 3:
        sys.exit("fonts missing: apt-get install fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf")
    cache = {}

    def photo(i):
        if i not in cache:
            img = cv2.imread(bgs[i]["path"])
            s = min(1.0, 2560.0 / img.shape[1], 2560.0 / img.shape[0])
            if s < 1.0:
                img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
            cache[i] = img
        return cache[i]

    return {"backgrounds": bgs, "faces": faces, "fonts": fonts, "photo": photo}


_RES = {}


def _build_one(job):
    index, seed, out, n = job
    clip = Clip(index, seed, _RES)
    return write_clip(clip, out, n if n else clip.N)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, ".cache", "devclips"))
    ap.add_argument("--media", default=os.path.join(ROOT, ".cache", "media"))
    ap.add_argument("--backgrounds", default=os.path.join(ROOT, ".cache", "devset-bg", "root"))
    ap.add_argument("--annotations", default=os.path.join(HERE, "real_annotations.json"))
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--small", action="store_true",
                    help=f"the first {SMALL_FRAMES} frames of the first {SMALL_CLIPS} clips (for tests)")
    ap.add_argument("--clips", default="", help="comma-separated 1-based clip numbers (default all)")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), help="clips built in parallel")
    args = ap.parse_args()
    t_start = time.time()
    _RES.update(load_resources(args.media, args.backgrounds, args.annotations))
    os.makedirs(args.out, exist_ok=True)
    for e in sorted(os.listdir(args.out)):           # an earlier build's clips (full or small)
        p = os.path.join(args.out, e)
        if os.path.isdir(p) and os.path.exists(os.path.join(p, "seqinfo.ini")):
            shutil.rmtree(p)
    idx = list(range(SMALL_CLIPS)) if args.small else list(range(len(CLIPS)))
    if args.clips:
        idx = [int(v) - 1 for v in args.clips.split(",")]
    jobs = [(i, args.seed, args.out, SMALL_FRAMES if args.small else 0) for i in idx]
    if args.jobs > 1 and len(jobs) > 1:
        import multiprocessing as mp
        # one clip per task; map returns the results in clip order
        with mp.get_context("fork").Pool(args.jobs) as pool:
            results = pool.map(_build_one, jobs, chunksize=1)
    else:
        results = [_build_one(j) for j in jobs]
    manifest = [m for r in results for m in r[0]]
    with open(os.path.join(args.out, "manifest.tsv"), "w") as f:
        for name, h in manifest:
            f.write(f"{name}\t{h}\n")
    with open(os.path.join(args.out, "clips.tsv"), "w") as f:
        f.write("# name\tframes\ttracks\tclasses\tmax_speed_px_per_frame\tfeatures\n")
        for r in results:
            f.write("\t".join(str(v) for v in r[1]) + "\n")
    n_frames = sum(r[1][1] for r in results)
    for r in results:
        print("\t".join(str(v) for v in r[1]))
    print(f"{len(results)} clips, {n_frames} frames -> {args.out} in {time.time() - t_start:.1f} s")


if __name__ == "__main__":
    main()
