"""Data preparation shared by train.py and eval.py.

HR image  = photo resized (PIL LANCZOS, antialiased) so that its long side is `long_side`
            pixels, then cropped to even width/height.
LR image  = HR downscaled x2 with PIL Image.BICUBIC (PIL's bicubic, a = -0.5, antialiased).
Train photos are prepared at two scales (long side 768 and 1152) for variety;
test photos at long side 1024.
"""
import os
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
PHOTOS = os.environ.get("SR_PHOTOS", "/tmp/sr_photos/photos")


def read_split(which):
    out = []
    with open(os.path.join(HERE, "split.txt")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            s, name = line.split()
            if s == which:
                out.append(name)
    return out


def make_pair(path, long_side):
    im = Image.open(path).convert("RGB")
    w, h = im.size
    r = long_side / max(w, h)
    nw, nh = max(2, round(w * r)), max(2, round(h * r))
    hr = im.resize((nw, nh), Image.LANCZOS)
    hr = hr.crop((0, 0, nw - nw % 2, nh - nh % 2))
    lr = hr.resize((hr.size[0] // 2, hr.size[1] // 2), Image.BICUBIC)
    return np.asarray(hr), np.asarray(lr)


def load_set(which, long_sides):
    pairs = []
    for name in read_split(which):
        for ls in long_sides:
            pairs.append((name, ls) + make_pair(os.path.join(PHOTOS, name), ls))
    return pairs
