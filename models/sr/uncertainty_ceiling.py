"""How high can any uncertainty map's per-image rank correlation with the error go?

  SR_PHOTOS=/tmp/sr_photos/photos /usr/bin/python3 models/sr/uncertainty_ceiling.py [--out models/sr/uncertainty_ceiling.json]

The per-pixel error |Y(SR_0) - Y(HR)| is itself noisy: two neighbouring pixels with the same
expected error differ by chance. So even a map that knew the *true* error everywhere except at
the pixel itself ranks that pixel's error imperfectly. This script measures that ceiling with
an oracle that cheats on purpose: each pixel is scored by the mean true error of the other
pixels in its w x w window (leave-one-out; w = 3, 5, 9, 15). No real map can know the true error
of the neighbours, so a real map's per-image Spearman should be expected below this.

Same data, error, crop and Spearman as uncertainty_eval.py (12 test photos, long side 1024, the
pinned flow's temperature-0 output rounded to 8 bits, 2-px border cropped); every 2nd pixel in
each direction is ranked. Also recomputes the Sobel-gradient baseline (5 px box), so the ceiling
and the baseline come from one run.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from eval import rgb_to_y  # noqa: E402
from flow_from_onnx import load_flow_from_onnx  # noqa: E402
from srdata import load_set  # noqa: E402
from uncertainty_eval import box, crop, sobel_mag, spearman, temperature0  # noqa: E402

WINDOWS = (3, 5, 9, 15)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "uncertainty_ceiling.json"))
    args = ap.parse_args()
    torch.set_num_threads(2)
    model = load_flow_from_onnx()
    per_image = {}
    for name, _, hr, lr in load_set("test", (1024,)):
        _, _, _, _, err, bic = temperature0(model, hr, lr)
        e = crop(err)[::2, ::2]
        row = {"gradient_5px": spearman(crop(box(sobel_mag(rgb_to_y(bic)), 5))[::2, ::2], e)}
        for w in WINDOWS:
            neighbours = (box(err, w) * w * w - err) / (w * w - 1)
            row[f"oracle_neighbours_{w}px"] = spearman(crop(neighbours)[::2, ::2], e)
        per_image[name] = row
        print(name, {k: round(v, 3) for k, v in row.items()}, flush=True)
    keys = list(next(iter(per_image.values())))
    mean = {k: float(np.mean([r[k] for r in per_image.values()])) for k in keys}
    best = max((k for k in keys if k.startswith("oracle")), key=lambda k: mean[k])
    out = {"what": "per-image Spearman with |Y(SR_0) - Y(HR)| of an oracle that knows the true error of the "
                   "neighbouring pixels (leave-one-out window mean); the ceiling for any real map",
           "images": len(per_image), "mean_per_image": mean, "best_oracle": best,
           "ceiling_minus_gradient": mean[best] - mean["gradient_5px"], "per_image": per_image}
    json.dump(out, open(args.out, "w"), indent=1)
    print("mean per image", {k: round(v, 3) for k, v in mean.items()})
    print(f"ceiling {mean[best]:.3f} ({best}) = gradient + {out['ceiling_minus_gradient']:.3f}")


if __name__ == "__main__":
    main()
