"""Builds pil_hr.png and pil_lr.png: a random 41x30 RGB image and its Pillow BICUBIC x1/2
downscale (and of its 40x30 crop, and that enlarged back x2), so the Java reimplementation (eval.PilBicubic) can be checked bit for bit.

  /usr/bin/python3 agent/src/test/resources/sr/make_pil_reference.py
"""
import os

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
# Smooth ramps plus noise: exercises both the negative lobes and the clipping to [0,255].
y, x = np.mgrid[0:30, 0:41]
base = np.stack([x * 6, y * 8, (x + y) * 3], axis=-1).astype(np.float64)
img = np.clip(base + rng.normal(0, 60, base.shape), 0, 255).astype(np.uint8)
hr = Image.fromarray(img)
hr.save(os.path.join(HERE, "pil_hr.png"))
hr.resize((20, 15), Image.BICUBIC).save(os.path.join(HERE, "pil_lr.png"))
# The eval-sr case: an even crop shrunk by exactly 2.
hr.crop((0, 0, 40, 30)).resize((20, 15), Image.BICUBIC).save(os.path.join(HERE, "pil_lr_even.png"))
# Enlarging back x2: the bicubic baseline eval-sr scores.
Image.open(os.path.join(HERE, "pil_lr_even.png")).resize((40, 30), Image.BICUBIC).save(os.path.join(HERE, "pil_up.png"))
print("wrote pil_hr.png, pil_lr.png, pil_lr_even.png, pil_up.png")
