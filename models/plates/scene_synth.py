#!/usr/bin/python3
"""Road-scene training frames for the plate-or-text classifier (plate-cls-v2), as COCO.

Each frame is a 1280x720 (sometimes 1920x1080) street scene: one of synth.py's training
backgrounds (plasma / lomiri-20.04 wallpapers, never the dev set's photos or media), 1-4 crude
vehicles, each carrying a licence plate, and a lot of text that is NOT a plate, because that is
what the text detector confuses with plates on real roads (measured on the shared real-plates
set: timestamps, brand letters, tail lights, signs, van lettering, stickers, dealer frames).

Plates (positives, annotated as category 2; the box is the plate's outer edge):
  national styles: US (state name, slogan, graphic backgrounds, stickers, vanity all-letter),
  EU band plates (several countries' formats, white / yellow), UK front / rear, Brazil Mercosul
  and the older grey Brazilian plate, Russian (region box), two-line plates (motorcycles,
  square US / EU / Asian), Japanese-style green-on-white two-line, Australian; embossed
  characters, dealer frames around the plate, screws, dirt, glare, night, motion blur,
  defocus, perspective, partial occlusion; height log-uniform 8-120 px with far plates
  (8-24 px) over-sampled.
Negatives (not annotated, listed in the image's "negatives" with a kind): video timestamps,
  brand / model lettering on the car (chrome-like), LED tail lights and light bars, dealer
  frame text, bumper stickers and phone numbers, road / street / shop signs with panels and
  borders, house-number plaques, van lettering, billboards with prices, road markings.

Seeds: train 4421, validation 77013 (not the dev set's 20261123, not synth.py's 7351 / 90417,
not cls_data.py's 5821 / 64033).  Candidates are then mined by running the agent itself on
these frames (cls2_data.py), so the classifier learns the text detector's real mistakes.

  /usr/bin/python3 models/plates/scene_synth.py --out .cache/plates-cls2/train --n 1400 --seed 4421
"""
import argparse
import json
import math
import os
import sys
import time

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import synth  # noqa: E402  (backgrounds, fonts, clutter)

bd = synth.bd
FORBIDDEN_SEEDS = {20261123, 7351, 90417, 5821, 64033}
L_ALPHA = "ABCDEFGHJKLMNPRSTUVWXYZ"
DIGITS = "0123456789"
US_STATES = ["CALIFORNIA", "TEXAS", "New York", "FLORIDA", "Ohio", "ILLINOIS", "Arizona", "NEVADA", "Oregon",
             "WASHINGTON", "Georgia", "MICHIGAN", "Virginia", "COLORADO", "Utah", "Kansas", "MONTANA", "Idaho"]
US_SLOGANS = ["dmv.ca.gov", "The Lone Star State", "Sunshine State", "Empire State", "Land of Lincoln",
              "Grand Canyon State", "Great Lakes", "Virginia is for Lovers", "Colorful Colorado",
              "Life Elevated", "Big Sky Country", "Famous Potatoes", "Birthplace of Aviation", ""]
EU_CODES = ["D", "F", "I", "NL", "B", "E", "P", "A", "PL", "CZ", "S", "DK", "FIN", "IRL", "GR", "H", "RO", "LT"]
SCENE_WORDS = ("exit only entrance parking garage visitor reserved main street oak avenue elm road pine drive "
               "stop yield one way do not enter no parking any time tow away zone speed limit school bus "
               "bakery pizza coffee tea donuts tacos burgers sushi deli market grocery pharmacy drugs "
               "auto repair tires brakes oil change car wash detailing body shop collision towing "
               "plumbing heating cooling electric roofing cleaning carpet moving storage rentals "
               "hotel motel inn suites bank credit union insurance realty dental clinic hospital "
               "open closed sale sold new used cars trucks service parts sales lease finance "
               "sport limited hybrid turbo diesel 4x4 awd premium touring luxury").split()
BRANDS = ["TOYOTA", "HONDA", "FORD", "NISSAN", "MAZDA", "SUBARU", "LEXUS", "ACURA", "BUICK", "JEEP",
          "DODGE", "CHEVROLET", "KIA", "HYUNDAI", "VOLVO", "AUDI", "SKODA", "RENAULT", "PEUGEOT", "FIAT",
          "Camry", "Civic", "Accord", "Corolla", "Altima", "Sentra", "Outback", "Forester", "Tacoma",
          "Silverado", "Tahoe", "Explorer", "Escape", "Fusion", "Malibu", "Impala", "Prius", "RAV4",
          "CR-V", "Sorento", "Elantra", "Sonata", "Golf", "Passat", "Clio", "Megane", "Octavia", "XC90",
          "SPORT", "LIMITED", "HYBRID", "4MATIC", "quattro", "TDI", "GT", "SE", "LX", "EX-L", "V6"]


def _r(rng, alphabet, n):
    return "".join(alphabet[int(rng.integers(len(alphabet)))] for _ in range(n))


def fonts():
    bold = [f for f in synth.all_fonts() if "Bold" in f and "Oblique" not in f and "Italic" not in f]
    return bold, synth.all_fonts()


def fit_font(path, text, max_w, max_h):
    size = max(6, int(max_h * 1.4))
    while size > 6:
        f = ImageFont.truetype(path, size)
        x0, y0, x1, y1 = f.getbbox(text)
        if x1 - x0 <= max_w and y1 - y0 <= max_h:
            return f
        size -= max(1, size // 12)
    return ImageFont.truetype(path, 6)


def draw_centered(d, text, font, box, fill, stroke=0, stroke_fill=None, x_align=0.5):
    x0, y0, x1, y1 = box
    tb = font.getbbox(text)
    tx = x0 + (x1 - x0 - (tb[2] - tb[0])) * x_align - tb[0]
    ty = y0 + (y1 - y0 - (tb[3] - tb[1])) / 2 - tb[1]
    d.text((tx, ty), text, font=font, fill=fill, stroke_width=stroke, stroke_fill=stroke_fill)


# ----------------------------------------------------------------------------- plates
def plate_style(rng):
    """A random plate description: aspect, colours, lines of characters, decorations."""
    white, black = (240, 240, 235), (20, 20, 25)
    k = rng.random()
    if k < 0.30:  # US / Canada: 2:1, state name, slogan, colourful
        fg = [(25, 35, 120), (20, 20, 20), (130, 20, 25), (20, 90, 40)][int(rng.integers(4))]
        txt = _r(rng, L_ALPHA, 8)[:int(rng.integers(4, 8))] if rng.random() < 0.12 else \
            [f"{_r(rng, DIGITS, 1)}{_r(rng, L_ALPHA, 3)}{_r(rng, DIGITS, 3)}", f"{_r(rng, L_ALPHA, 3)} {_r(rng, DIGITS, 4)}",
             f"{_r(rng, L_ALPHA, 3)}-{_r(rng, DIGITS, 3)}", f"{_r(rng, DIGITS, 3)} {_r(rng, L_ALPHA, 3)}",
             f"{_r(rng, L_ALPHA, 2)}{_r(rng, DIGITS, 1)} {_r(rng, L_ALPHA, 1)}{_r(rng, DIGITS, 3)}"][int(rng.integers(5))]
        return dict(kind="us", aspect=rng.uniform(1.9, 2.1), bg=white, fg=fg, lines=[txt],
                    header=US_STATES[int(rng.integers(len(US_STATES)))],
                    footer=US_SLOGANS[int(rng.integers(len(US_SLOGANS)))], graphic=rng.random() < 0.6,
                    stickers=rng.random() < 0.6, band=None)
    if k < 0.55:  # EU band plate
        code = EU_CODES[int(rng.integers(len(EU_CODES)))]
        fmt = int(rng.integers(5))
        txt = [f"{_r(rng, L_ALPHA, 2)}-{_r(rng, DIGITS, 3)}-{_r(rng, L_ALPHA, 2)}",
               f"{_r(rng, L_ALPHA, int(rng.integers(1, 4)))}-{_r(rng, L_ALPHA, 2)} {_r(rng, DIGITS, int(rng.integers(1, 5)))}",
               f"{_r(rng, DIGITS, 4)} {_r(rng, L_ALPHA, 3)}", f"{_r(rng, DIGITS, 2)}-{_r(rng, L_ALPHA, 3)}-{_r(rng, DIGITS, 1)}",
               f"{_r(rng, L_ALPHA, 3)} {_r(rng, DIGITS, 3)}"][fmt]
        bg = (250, 205, 30) if code in ("NL", "L") and rng.random() < 0.7 else white
        return dict(kind="eu", aspect=rng.uniform(4.4, 4.8), bg=bg, fg=black, lines=[txt], band=code)
    if k < 0.63:  # UK
        return dict(kind="uk", aspect=4.6, bg=[white, (250, 205, 30)][int(rng.integers(2))], fg=black,
                    lines=[f"{_r(rng, L_ALPHA, 2)}{_r(rng, DIGITS, 2)} {_r(rng, L_ALPHA, 3)}"],
                    band="UK" if rng.random() < 0.3 else None)
    if k < 0.75:  # Brazil: Mercosul or the older grey plate
        if rng.random() < 0.6:
            return dict(kind="br_mercosul", aspect=3.08, bg=white, fg=black, band=None,
                        lines=[f"{_r(rng, L_ALPHA, 3)}{_r(rng, DIGITS, 1)}{_r(rng, L_ALPHA, 1)}{_r(rng, DIGITS, 2)}"],
                        topband="BRASIL")
        return dict(kind="br_old", aspect=3.08, bg=(200, 200, 195), fg=black, band=None,
                    lines=[f"{_r(rng, L_ALPHA, 3)}-{_r(rng, DIGITS, 4)}"],
                    header=f"{_r(rng, 'ABCDEFGHIJKLMNOPRSTUVZ', 2)} - {['SAO PAULO', 'CURITIBA', 'BELEM', 'RECIFE'][int(rng.integers(4))]}")
    if k < 0.81:  # Russia: region box on the right
        return dict(kind="ru", aspect=4.7, bg=white, fg=black, band=None,
                    lines=[f"{_r(rng, 'ABEKMHOPCTYX', 1)} {_r(rng, DIGITS, 3)} {_r(rng, 'ABEKMHOPCTYX', 2)}"],
                    region=_r(rng, DIGITS, int(rng.integers(2, 4))))
    if k < 0.89:  # two-line plates: motorcycles, square plates
        top = [_r(rng, L_ALPHA, 2), f"{_r(rng, L_ALPHA, 2)} {_r(rng, DIGITS, 2)}", _r(rng, DIGITS, 3)][int(rng.integers(3))]
        bot = [_r(rng, DIGITS, 4), f"{_r(rng, L_ALPHA, 2)} {_r(rng, DIGITS, 3)}", _r(rng, L_ALPHA, 3)][int(rng.integers(3))]
        return dict(kind="two_line", aspect=rng.uniform(1.2, 2.0), bg=[white, (250, 205, 30), (235, 235, 235)][int(rng.integers(3))],
                    fg=black, band="EU" if rng.random() < 0.3 else None, lines=[top, bot])
    if k < 0.94:  # Japanese-style: small, two lines, green on white or white on green
        inv = rng.random() < 0.3
        g = (30, 110, 60)
        return dict(kind="jp", aspect=2.0, bg=g if inv else white, fg=white if inv else g, band=None,
                    lines=[f"{_r(rng, L_ALPHA, 3)} {_r(rng, DIGITS, 3)}", f"{_r(rng, 'ABCDEFGH', 1)} {_r(rng, DIGITS, 2)}-{_r(rng, DIGITS, 2)}"],
                    small_top=True)
    return dict(kind="au", aspect=rng.uniform(2.6, 3.1), bg=[white, (255, 240, 120)][int(rng.integers(2))],
                fg=[(20, 20, 20), (20, 40, 140), (20, 100, 40)][int(rng.integers(3))], band=None,
                lines=[f"{_r(rng, L_ALPHA, 3)}{_r(rng, DIGITS, 2)}{_r(rng, L_ALPHA, 1)}"],
                footer=["NSW", "VICTORIA - ON THE MOVE", "QUEENSLAND", "WA"][int(rng.integers(4))])


def render_plate(rng, st, font_path, H=160):
    """RGBA plate image (H x W), characters optionally embossed."""
    W = int(round(H * st["aspect"]))
    img = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    r = int(H * rng.uniform(0.03, 0.1))
    bg = tuple(int(np.clip(c + rng.normal(0, 8), 0, 255)) for c in st["bg"])
    d.rounded_rectangle([0, 0, W - 1, H - 1], radius=r, fill=bg + (255,))
    if st.get("graphic"):  # US graphic plates: gradient band, mountains, a sun
        g = np.array(img).astype(np.float32)
        c1 = rng.uniform(60, 255, 3)
        yy = np.linspace(0, 1, H)[:, None, None]
        band = (yy > rng.uniform(0.45, 0.8)) * rng.uniform(0.2, 0.7)
        g[:, :, :3] = g[:, :, :3] * (1 - band) + c1 * band
        img = Image.fromarray(np.clip(g, 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(img)
    fg = st["fg"] + (255,)
    if rng.random() < 0.75:
        d.rounded_rectangle([2, 2, W - 3, H - 3], radius=r, outline=fg, width=max(1, int(H * rng.uniform(0.01, 0.03))))
    x_l, x_r, top, bottom = int(H * 0.08), W - int(H * 0.08), int(H * 0.08), H - int(H * 0.08)
    if st.get("band"):
        bw = int(H * (0.4 if st["kind"] != "two_line" else 0.3))
        d.rectangle([3, 3, 3 + bw, H - 4], fill=(20, 50, 160, 255))
        cx, cy, rr = 3 + bw / 2, H * 0.32, bw * 0.3
        for j in range(12):
            a = 2 * math.pi * j / 12
            d.ellipse([cx + rr * math.cos(a) - H * 0.015, cy + rr * math.sin(a) - H * 0.015,
                       cx + rr * math.cos(a) + H * 0.015, cy + rr * math.sin(a) + H * 0.015], fill=(250, 205, 30, 255))
        f = fit_font(font_path, st["band"], bw * 0.8, H * 0.22)
        draw_centered(d, st["band"], f, (3, H * 0.55, 3 + bw, H * 0.85), (255, 255, 255, 255))
        x_l = 3 + bw + int(H * 0.06)
    if st.get("topband"):
        th = int(H * 0.22)
        d.rectangle([3, 3, W - 4, 3 + th], fill=(20, 50, 160, 255))
        f = fit_font(font_path, st["topband"], W * 0.3, th * 0.7)
        draw_centered(d, st["topband"], f, (0, 3, W, 3 + th), (255, 255, 255, 255))
        top = 3 + th + int(H * 0.04)
    if st.get("region"):
        rw = int(H * 0.9)
        d.line([W - rw, 4, W - rw, H - 5], fill=fg, width=max(1, H // 40))
        f = fit_font(font_path, st["region"], rw * 0.8, H * 0.45)
        draw_centered(d, st["region"], f, (W - rw, H * 0.05, W, H * 0.62), fg)
        x_r = W - rw - int(H * 0.04)
    if st.get("header"):
        f = fit_font(font_path, st["header"], (x_r - x_l) * 0.7, H * 0.17)
        draw_centered(d, st["header"], f, (x_l, top, x_r, top + H * 0.18),
                      tuple(int(c) for c in rng.integers(0, 200, 3)) + (255,))
        top += int(H * 0.2)
    if st.get("footer"):
        f = fit_font(font_path, st["footer"], (x_r - x_l) * 0.75, H * 0.13)
        draw_centered(d, st["footer"], f, (x_l, bottom - H * 0.14, x_r, bottom), fg)
        bottom -= int(H * 0.16)
    if st.get("stickers"):
        for sx in ([x_l] if rng.random() < 0.5 else [x_l, x_r - H * 0.22]):
            col = tuple(int(c) for c in rng.integers(0, 256, 3)) + (255,)
            d.rectangle([sx, top - H * 0.15, sx + H * 0.22, top + H * 0.05], fill=col)
    n = len(st["lines"])
    line_h = (bottom - top) / n
    emboss = rng.random() < 0.4
    for i, line in enumerate(st["lines"]):
        lh = line_h * (0.55 if st.get("small_top") and i == 0 else 0.85)
        f = fit_font(font_path, line, (x_r - x_l) * 0.95, lh)
        box = (x_l, top + i * line_h, x_r, top + (i + 1) * line_h)
        if emboss:
            sh = max(1, H // 60)
            draw_centered(d, line, f, (box[0] + sh, box[1] + sh, box[2] + sh, box[3] + sh), (0, 0, 0, 160))
        draw_centered(d, line, f, box, fg)
    if rng.random() < 0.5:  # screws
        for sx in (W * 0.25, W * 0.75):
            d.ellipse([sx - H * 0.03, H * 0.06, sx + H * 0.03, H * 0.12], fill=(150, 150, 150, 255))
    out = np.array(img)[:, :, [2, 1, 0, 3]].astype(np.float32)
    if rng.random() < 0.35:  # dirt: brownish blotches
        m = cv2.GaussianBlur(rng.random((H, W)).astype(np.float32), (0, 0), H * 0.08)
        m = np.clip((m - m.mean()) / (m.std() + 1e-6) * 0.5, 0, 1) * rng.uniform(0.2, 0.7)
        out[:, :, :3] = out[:, :, :3] * (1 - m[..., None]) + np.array([40, 70, 90]) * m[..., None]
    if rng.random() < 0.2:  # glare: a bright elliptical patch
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        cx, cy = rng.uniform(0, W), rng.uniform(0, H)
        g = np.exp(-(((xx - cx) / (W * rng.uniform(0.1, 0.4))) ** 2 + ((yy - cy) / (H * rng.uniform(0.2, 0.6))) ** 2))
        out[:, :, :3] = out[:, :, :3] + g[..., None] * rng.uniform(80, 220)
    out = np.clip(out, 0, 255)
    return out.astype(np.uint8)


def dealer_frame(rng, rgba, fonts_all):
    """A plate frame around the plate with dealer text above / below (not part of the plate box)."""
    h, w = rgba.shape[:2]
    pt, pb, ps = int(h * rng.uniform(0.15, 0.35)), int(h * rng.uniform(0.15, 0.35)), int(h * 0.06)
    H, W = h + pt + pb, w + 2 * ps
    col = (rng.integers(0, 60),) * 3 if rng.random() < 0.6 else tuple(int(c) for c in rng.integers(120, 230, 3))
    img = Image.new("RGBA", (W, H), tuple(int(c) for c in col) + (255,))
    d = ImageDraw.Draw(img)
    tc = (230, 230, 230, 255) if sum(col) < 300 else (20, 20, 20, 255)
    f = fonts_all[int(rng.integers(len(fonts_all)))]
    for text, y0, y1 in ((dealer_text(rng), 0, pt), (dealer_text(rng), H - pb, H)):
        if text and y1 - y0 > 3:
            draw_centered(d, text, fit_font(f, text, W * 0.8, (y1 - y0) * 0.75), (0, y0, W, y1), tc)
    out = np.array(img)[:, :, [2, 1, 0, 3]].copy()
    a = rgba[:, :, 3:4].astype(np.float32) / 255
    out[pt:pt + h, ps:ps + w, :3] = (rgba[:, :, :3] * a + out[pt:pt + h, ps:ps + w, :3] * (1 - a)).astype(np.uint8)
    return out, (ps, pt, w, h)


def dealer_text(rng):
    k = int(rng.integers(5))
    name = " ".join(SCENE_WORDS[int(rng.integers(len(SCENE_WORDS)))].title() for _ in range(int(rng.integers(1, 3))))
    return [f"{name} Motors", f"www.{name.replace(' ', '').lower()}.com", f"{_r(rng, DIGITS, 3)}-{_r(rng, DIGITS, 3)}-{_r(rng, DIGITS, 4)}",
            f"{BRANDS[int(rng.integers(20))]} of {name}", ""][k]


# ----------------------------------------------------------------------------- negatives
def text_rgba(text, font_path, px, fg, bg=None, pad=0.3, border=None, stroke=0, stroke_fill=None, lines=None):
    """Text (one or more lines) rendered at px height, on an optional panel with an optional border."""
    lines = lines or [text]
    f = ImageFont.truetype(font_path, max(6, int(px)))
    bbs = [f.getbbox(l) for l in lines]
    tw = max(b[2] - b[0] for b in bbs) + 2 * stroke + 2
    lh = int(px * 1.2)
    p = int(px * pad) if bg is not None else 2 + stroke
    W, H = tw + 2 * p, lh * len(lines) + 2 * p
    img = Image.new("RGBA", (W, H), (0, 0, 0, 0) if bg is None else tuple(bg) + (255,))
    d = ImageDraw.Draw(img)
    if border is not None:
        d.rectangle([2, 2, W - 3, H - 3], outline=tuple(border) + (255,), width=max(1, int(px * 0.08)))
    for i, (l, b) in enumerate(zip(lines, bbs)):
        d.text((p + (tw - (b[2] - b[0])) / 2 - b[0], p + i * lh - b[1] + (lh - px) / 2), l, font=f,
               fill=tuple(fg) + (255,), stroke_width=stroke, stroke_fill=None if stroke_fill is None else tuple(stroke_fill) + (255,))
    return np.array(img)[:, :, [2, 1, 0, 3]].copy()


def chrome(rgba, rng):
    """Silver gradient fill for brand lettering."""
    h = rgba.shape[0]
    g = np.linspace(rng.uniform(200, 255), rng.uniform(60, 140), h)[:, None]
    out = rgba.copy()
    for c in range(3):
        out[:, :, c] = np.clip(g * rng.uniform(0.9, 1.05), 0, 255).astype(np.uint8)
    return out


def word(rng, n=1):
    return " ".join(SCENE_WORDS[int(rng.integers(len(SCENE_WORDS)))] for _ in range(n))


def negative(rng, kind, fonts_all, fonts_bold, px):
    """One rendered non-plate (BGRA) of the given kind, about px tall (text height)."""
    fa = fonts_all[int(rng.integers(len(fonts_all)))]
    fb = fonts_bold[int(rng.integers(len(fonts_bold)))]
    col = lambda: tuple(int(c) for c in rng.integers(0, 256, 3))
    if kind == "timestamp":
        y, mo, dd = int(rng.integers(2008, 2027)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
        hh, mm, ss = int(rng.integers(24)), int(rng.integers(60)), int(rng.integers(60))
        t = [f"{y}-{mo:02d}-{dd:02d} {hh:02d}:{mm:02d}:{ss:02d}", f"{dd:02d}/{mo:02d}/{y} {hh:02d}:{mm:02d}:{ss:02d}",
             f"{hh:02d}:{mm:02d}:{ss:02d}", f"{_r(rng, DIGITS, 2)} KM/H", f"{y}/{mo:02d}/{dd:02d}"][int(rng.integers(5))]
        two = rng.random() < 0.25 and " " in t
        fg = [(255, 255, 255), (255, 255, 0), (240, 240, 240)][int(rng.integers(3))]
        return text_rgba(t, fa if rng.random() < 0.5 else "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", px, fg,
                         bg=(0, 0, 0) if rng.random() < 0.3 else None, pad=0.15, stroke=1 if rng.random() < 0.5 else 0,
                         stroke_fill=(0, 0, 0), lines=t.split(" ", 1) if two else None)
    if kind == "brand":
        t = BRANDS[int(rng.integers(len(BRANDS)))]
        r = text_rgba(t, fb if rng.random() < 0.6 else fa, px, (200, 200, 200))
        return chrome(r, rng) if rng.random() < 0.7 else r
    if kind == "sign":
        n = int(rng.integers(1, 4))
        lines = [word(rng, int(rng.integers(1, 3))).upper() if rng.random() < 0.7 else word(rng, 2).title() for _ in range(n)]
        bg = [(255, 255, 255), (20, 110, 50), (20, 50, 150), (200, 30, 30), (250, 200, 20), col()][int(rng.integers(6))]
        fg = (255, 255, 255) if sum(bg) < 400 else (20, 20, 20)
        return text_rgba("", fb, px, fg, bg=bg, pad=rng.uniform(0.2, 0.6), border=fg if rng.random() < 0.6 else None, lines=lines)
    if kind == "street":  # street-name blade: plate-like shape, white on green / blue
        bg = [(20, 110, 50), (20, 50, 150), (255, 255, 255)][int(rng.integers(3))]
        fg = (255, 255, 255) if sum(bg) < 400 else (20, 20, 20)
        t = f"{word(rng).title()} {['St', 'Ave', 'Rd', 'Dr', 'Blvd', 'Ln'][int(rng.integers(6))]}"
        if rng.random() < 0.3:
            t = f"{_r(rng, DIGITS, int(rng.integers(2, 5)))} {t}"
        return text_rgba(t, fb, px, fg, bg=bg, pad=0.25, border=fg if rng.random() < 0.5 else None)
    if kind == "house":  # house-number plaque
        bg = [(255, 255, 255), (30, 30, 30), (20, 50, 150), (180, 160, 120), col()][int(rng.integers(5))]
        fg = (255, 255, 255) if sum(bg) < 400 else (20, 20, 20)
        return text_rgba(_r(rng, DIGITS, int(rng.integers(1, 5))), fb, px, fg, bg=bg, pad=0.3,
                         border=fg if rng.random() < 0.5 else None)
    if kind == "phone":  # van lettering, phone numbers, web addresses
        t = [f"{_r(rng, DIGITS, 3)}-{_r(rng, DIGITS, 3)}-{_r(rng, DIGITS, 4)}", f"({_r(rng, DIGITS, 3)}) {_r(rng, DIGITS, 3)}-{_r(rng, DIGITS, 4)}",
             f"1-800-{_r(rng, L_ALPHA, 7)}", f"www.{word(rng).replace(' ', '')}.com", f"{word(rng, 2).upper()}",
             f"LIC # {_r(rng, DIGITS, 6)}", f"CALL {_r(rng, DIGITS, 3)} {_r(rng, DIGITS, 4)}"][int(rng.integers(7))]
        return text_rgba(t, fb if rng.random() < 0.5 else fa, px, col())
    if kind == "sticker":
        t = [f"How's my driving? Call 1-800-{_r(rng, DIGITS, 3)}-{_r(rng, DIGITS, 4)}", f"{word(rng).upper()} {_r(rng, DIGITS, 4)}",
             "BABY ON BOARD", f"I {word(rng).upper()}", f"{_r(rng, L_ALPHA, 3)}{_r(rng, DIGITS, 4)}C", "STUDENT DRIVER",
             f"{word(rng, 2).title()}"][int(rng.integers(7))]
        bg = col()
        fg = (255, 255, 255) if sum(bg) < 400 else (20, 20, 20)
        return text_rgba(t, fa, px, fg, bg=bg, pad=0.2, border=None)
    if kind == "price":
        t = [f"${_r(rng, DIGITS, 1)}.{_r(rng, DIGITS, 2)}", f"{_r(rng, DIGITS, 2)}% OFF", f"SALE ${_r(rng, DIGITS, 3)}",
             f"{_r(rng, DIGITS, 1)}.{_r(rng, DIGITS, 2)}9", f"OPEN 24 HRS"][int(rng.integers(5))]
        bg = col()
        fg = (255, 255, 255) if sum(bg) < 400 else (20, 20, 20)
        return text_rgba(t, fb, px, fg, bg=bg if rng.random() < 0.7 else None, pad=0.25)
    if kind == "marking":
        return text_rgba(["STOP", "SLOW", "BUS", "ONLY", "XING", "SCHOOL", "KEEP CLEAR"][int(rng.integers(7))], fb, px,
                         (235, 235, 235))
    # tail lights / light bars: rows of glowing red dots or a bright red bar
    w, h = int(px * rng.uniform(2.5, 7)), int(px * rng.uniform(0.6, 1.6))
    img = np.zeros((h + 4, w + 4, 4), np.uint8)
    red = (int(rng.integers(0, 60)), int(rng.integers(0, 80)), int(rng.integers(180, 256)))
    if rng.random() < 0.5:
        n = int(rng.integers(4, 14))
        for j in range(n):
            cx = int(2 + (j + 0.5) * w / n)
            cv2.circle(img, (cx, 2 + h // 2), max(1, int(w / n * 0.35)), red + (255,), -1, cv2.LINE_AA)
    else:
        cv2.rectangle(img, (2, 2), (w + 1, h + 1), red + (255,), -1)
        for j in range(int(rng.integers(0, 5))):
            x = int(rng.integers(2, w))
            cv2.line(img, (x, 2), (x, h + 1), (40, 40, 120, 255), 1)
    img[:, :, :3] = cv2.GaussianBlur(img[:, :, :3], (0, 0), max(0.5, px * 0.05))
    return img


NEG_KINDS = ["timestamp", "brand", "sign", "street", "house", "phone", "sticker", "price", "marking", "taillight"]
NEG_WEIGHTS = np.array([1.2, 1.6, 1.3, 0.9, 0.9, 1.0, 0.8, 0.6, 0.3, 1.4])


# ----------------------------------------------------------------------------- compositing
def paste(rng, canvas, rgba, cx, cy, scale, yaw=0.0, pitch=0.0, roll=0.0, blur=None):
    """Warp rgba (scaled, perspective) onto canvas centred at (cx, cy); returns the pasted
    quad's bounding box (x, y, w, h) in canvas pixels, or None when it falls outside."""
    h, w = rgba.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = bd.project_plate(w * scale, h * scale, yaw, pitch, roll) + np.float32([cx, cy])
    x0, y0 = np.floor(dst.min(0)).astype(int)
    x1, y1 = np.ceil(dst.max(0)).astype(int)
    H, W = canvas.shape[:2]
    if x0 < 0 or y0 < 0 or x1 > W or y1 > H or x1 - x0 < 2 or y1 - y0 < 2:
        return None
    M = cv2.getPerspectiveTransform(src, (dst - np.float32([x0, y0])).astype(np.float32))
    patch = cv2.warpPerspective(rgba, M, (x1 - x0, y1 - y0), flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0)).astype(np.float32)
    if blur is not None:
        k = blur
        patch = cv2.filter2D(patch, -1, k)
    a = patch[:, :, 3:4] / 255.0
    roi = canvas[y0:y1, x0:x1].astype(np.float32)
    canvas[y0:y1, x0:x1] = np.clip(patch[:, :, :3] * a + roi * (1 - a), 0, 255).astype(np.uint8)
    return (float(dst[:, 0].min()), float(dst[:, 1].min()), float(dst[:, 0].max() - dst[:, 0].min()),
            float(dst[:, 1].max() - dst[:, 1].min()))


def free(box, taken, margin=4):
    x, y, w, h = box
    for (a, b, c, d) in taken:
        if x < a + c + margin and a < x + w + margin and y < b + d + margin and b < y + h + margin:
            return False
    return True


def vehicle(rng, canvas, cx, cy, plate_w, plate_h, fonts_all, fonts_bold, negs, taken):
    """A crude car rear around a plate centred at (cx, cy): body, rear window, tail lights,
    brand / model lettering; the lettering and lights are recorded as negatives."""
    cw, ch = plate_w * rng.uniform(3.5, 6.5), plate_h * rng.uniform(5, 9)
    top = cy - ch * rng.uniform(0.55, 0.8)
    x0, x1 = int(cx - cw / 2), int(cx + cw / 2)
    y0, y1 = int(top), int(top + ch)
    col = tuple(int(c) for c in (rng.integers(0, 256, 3) if rng.random() < 0.5 else [int(rng.integers(10, 250))] * 3))
    cv2.rectangle(canvas, (x0, y0), (x1, y1), col, -1)
    shade = np.linspace(1.15, 0.75, max(1, y1 - y0))[:, None, None]
    ys, ye = max(0, y0), min(canvas.shape[0], y1)
    xs, xe = max(0, x0), min(canvas.shape[1], x1)
    if ye > ys and xe > xs:
        canvas[ys:ye, xs:xe] = np.clip(canvas[ys:ye, xs:xe] * shade[ys - y0:ye - y0], 0, 255).astype(np.uint8)
    cv2.rectangle(canvas, (x0 + int(cw * 0.12), y0), (x1 - int(cw * 0.12), y0 + int(ch * 0.32)),
                  tuple(int(c * 0.25) for c in col), -1)
    # bumper line under the plate
    cv2.line(canvas, (x0, int(cy + plate_h * 0.9)), (x1, int(cy + plate_h * 0.9)), tuple(int(c * 0.5) for c in col), max(1, int(plate_h * 0.1)))
    ly = cy - plate_h * rng.uniform(1.0, 2.5)
    lpx = plate_h * rng.uniform(0.5, 1.0)
    for side in (-1, 1):
        if rng.random() < 0.85:
            tl = negative(rng, "taillight", fonts_all, fonts_bold, lpx)
            lx = cx + side * cw * rng.uniform(0.32, 0.4)
            b = paste(rng, canvas, tl, lx, ly, 1.0)
            if b:
                negs.append(("taillight", b))
    if rng.random() < 0.7:  # brand / model lettering above or beside the plate
        for _ in range(int(rng.integers(1, 3))):
            bpx = plate_h * rng.uniform(0.25, 0.6)
            bl = negative(rng, "brand", fonts_all, fonts_bold, max(6, bpx * 3))
            s = bpx / max(6, bpx * 3)
            bx = cx + rng.uniform(-0.35, 0.35) * cw
            by = cy - plate_h * rng.uniform(1.0, 2.2)
            b = paste(rng, canvas, bl, bx, by, s)
            if b and free(b, taken, 1):
                negs.append(("brand", b))
    if rng.random() < 0.2:
        st = negative(rng, "sticker", fonts_all, fonts_bold, 40)
        s = plate_h * rng.uniform(0.15, 0.35) / 40
        b = paste(rng, canvas, st, cx + rng.uniform(-0.4, 0.4) * cw, cy - plate_h * rng.uniform(1.2, 3), s)
        if b and free(b, taken, 1):
            negs.append(("sticker", b))
    return (x0, y0, x1 - x0, y1 - y0)


def motion_kernel(rng, length):
    ang = rng.normal(0, 12) if rng.random() < 0.8 else rng.uniform(0, 180)
    return bd.motion_kernel(max(2, int(round(length))), ang)


def make_frame(rng, bgs, fonts_bold, fonts_all, size):
    W, H = size
    canvas, _ = synth.sample_background(rng, bgs, max(W, H))
    canvas = np.ascontiguousarray(cv2.resize(canvas, (W, H), interpolation=cv2.INTER_AREA))
    plates, negs, taken = [], [], []
    far = rng.random() < 0.4
    for _ in range(int(rng.integers(1, 5))):
        ph = bd.loguniform(rng, 8, 24) if far or rng.random() < 0.25 else bd.loguniform(rng, 16, 120)
        st = plate_style(rng)
        rgba = render_plate(rng, st, fonts_bold[int(rng.integers(len(fonts_bold)))])
        inner = (0, 0, rgba.shape[1], rgba.shape[0])
        if rng.random() < 0.3:
            rgba, inner = dealer_frame(rng, rgba, fonts_all)
        s = ph / inner[3]
        pw = inner[2] * s
        cx, cy = rng.uniform(pw, W - pw), rng.uniform(ph * 4, H - ph * 2)
        if not free((cx - pw * 3, cy - ph * 5, pw * 6, ph * 7), taken, 0):
            continue
        yaw = rng.normal(0, 0.35) if rng.random() < 0.7 else rng.uniform(-0.9, 0.9)
        pitch, roll = rng.normal(0, 0.15), rng.normal(0, 0.05)
        car = vehicle(rng, canvas, cx, cy, pw, ph, fonts_all, fonts_bold, negs, taken) if rng.random() < 0.85 else None
        blur = None
        mblur = 0.0
        if rng.random() < 0.3:
            mblur = rng.uniform(3, 24) if ph > 14 else rng.uniform(2, 8)
            blur = motion_kernel(rng, mblur / s)
        elif rng.random() < 0.2:
            sig = rng.uniform(0.8, 2.5) / s
            k = int(sig * 3) * 2 + 1
            g = cv2.getGaussianKernel(k, sig)
            blur = (g @ g.T).astype(np.float32)
        # the plate box (inner quad) is computed from the warped full rgba by projecting the inner rect
        full = rgba
        b = paste(rng, canvas, full, cx, cy, s, yaw, pitch, roll, blur)
        if b is None:
            continue
        # project the inner (plate) rectangle through the same homography to get its box
        hh, ww = full.shape[:2]
        src = np.float32([[0, 0], [ww, 0], [ww, hh], [0, hh]])
        dst = bd.project_plate(ww * s, hh * s, yaw, pitch, roll) + np.float32([cx, cy])
        M = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
        ix, iy, iw, ih = inner
        q = cv2.perspectiveTransform(np.float32([[[ix, iy], [ix + iw, iy], [ix + iw, iy + ih], [ix, iy + ih]]]), M)[0]
        pb = (float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max() - q[:, 0].min()), float(q[:, 1].max() - q[:, 1].min()))
        if rng.random() < 0.12:  # partial occlusion: a bar or tow hitch over part of the plate
            ox = int(pb[0] + rng.uniform(0, 0.7) * pb[2])
            cv2.rectangle(canvas, (ox, int(pb[1] - 2)), (ox + max(2, int(pb[2] * rng.uniform(0.08, 0.3))), int(pb[1] + pb[3] + 2)),
                          tuple(int(c) for c in rng.integers(0, 120, 3)), -1)
        plates.append(dict(box=pb, style=st["kind"], height=ph, motion=round(mblur, 1), frame=inner != (0, 0, full.shape[1], full.shape[0])))
        taken.append(car if car else b)
        taken.append(b)
    # scene text that is not a plate
    for _ in range(int(rng.integers(3, 12))):
        kind = NEG_KINDS[int(rng.choice(len(NEG_KINDS), p=NEG_WEIGHTS / NEG_WEIGHTS.sum()))]
        px = bd.loguniform(rng, 6, 60) if kind != "timestamp" else bd.loguniform(rng, 10, 36)
        rgba = negative(rng, kind, fonts_all, fonts_bold, 48)
        s = px / 48
        if kind == "timestamp":
            cx = [rng.uniform(0.05, 0.35), rng.uniform(0.65, 0.95)][int(rng.integers(2))] * W
            cy = [rng.uniform(0.03, 0.1), rng.uniform(0.9, 0.97)][int(rng.integers(2))] * H
            yaw = pitch = roll = 0.0
        else:
            cx, cy = rng.uniform(0, W), rng.uniform(0, H)
            yaw, pitch, roll = rng.normal(0, 0.3), rng.normal(0, 0.1), rng.normal(0, 0.05)
        hw, hh = rgba.shape[1] * s / 2, rgba.shape[0] * s / 2
        if not free((cx - hw, cy - hh, 2 * hw, 2 * hh), [p["box"] for p in plates], 6):
            continue
        blur = motion_kernel(rng, rng.uniform(3, 15) / s) if rng.random() < 0.1 else None
        b = paste(rng, canvas, rgba, cx, cy, s, yaw, pitch, roll, blur)
        if b:
            negs.append((kind, b))
    # camera: global degradations shared by plates and negatives
    f = canvas.astype(np.float32)
    if rng.random() < 0.2:  # night
        f = f * rng.uniform(0.15, 0.45)
        for p in plates:
            if rng.random() < 0.7:  # plate lit by its own lamp / headlights
                x, y, w, h = [int(v) for v in p["box"]]
                y0, y1, x0, x1 = max(0, y), min(H, y + h), max(0, x), min(W, x + w)
                f[y0:y1, x0:x1] *= rng.uniform(1.5, 3.0)
        f += rng.normal(0, rng.uniform(3, 10), f.shape)
    else:
        f = f * rng.uniform(0.8, 1.2) + rng.uniform(-20, 20)
        f += rng.normal(0, rng.uniform(0, 5), f.shape)
    img = np.clip(f, 0, 255).astype(np.uint8)
    ok, jpg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(45, 95))])
    return jpg, plates, negs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=1400)
    ap.add_argument("--seed", type=int, default=4421)
    ap.add_argument("--backgrounds", default=os.path.join(synth.ROOT, ".cache", "plates-bg", "root"))
    args = ap.parse_args()
    if args.seed in FORBIDDEN_SEEDS:
        sys.exit("seed used by the dev set or another generator; use another")
    bgs = synth.load_backgrounds(args.backgrounds, os.path.join(os.path.dirname(args.backgrounds), "small"))
    fb, fa = fonts()
    os.makedirs(os.path.join(args.out, "images"), exist_ok=True)
    images, anns = [], []
    t0 = time.time()
    for i in range(args.n):
        rng = np.random.default_rng([args.seed, i])
        size = (1920, 1080) if rng.random() < 0.2 else (1280, 720)
        jpg, plates, negs = make_frame(rng, bgs, fb, fa, size)
        name = f"images/s{i:05d}.jpg"
        with open(os.path.join(args.out, name), "wb") as fh:
            fh.write(jpg.tobytes())
        images.append({"id": i + 1, "file_name": name, "width": size[0], "height": size[1], "split": "train",
                       "negatives": [{"kind": k, "bbox": [round(v, 1) for v in b]} for k, b in negs]})
        for p in plates:
            anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": 2, "bbox": [round(v, 2) for v in p["box"]],
                         "area": round(p["box"][2] * p["box"][3], 1), "iscrowd": 0, "style": p["style"],
                         "plate_height_px": round(p["height"], 1), "motion_px": p["motion"], "dealer_frame": p["frame"]})
        if (i + 1) % 100 == 0:
            print(f"{i + 1}/{args.n} {time.time() - t0:.0f}s plates {len(anns)}", flush=True)
    coco = {"info": {"description": "plate-cls-v2 training scenes", "seed": args.seed}, "images": images,
            "annotations": anns, "categories": [{"id": 1, "name": "face"}, {"id": 2, "name": "licence_plate"}]}
    json.dump(coco, open(os.path.join(args.out, "annotations.json"), "w"))
    print(f"{len(images)} frames, {len(anns)} plates -> {args.out} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
