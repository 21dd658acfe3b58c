"""Export the trained x2 SR models to ONNX (opset 17) and write the torch-side reference.

  /usr/bin/python3 models/sr/export.py [--flow-ckpt /tmp/sr_flow/ckpt.pt] [--cnn-ckpt /tmp/sr_cnn/ckpt.pt]

Writes models/sr/affine_stablesr_x2.onnx (flow, deterministic z = 0 sampling path),
models/sr/fsrcnn_x2.onnx (CNN baseline), models/sr/ref_lr.png (32x32 LR test crop) and
models/sr/reference_x2.json (torch outputs on that crop).
Graph I/O: input `lr` float32 [1,3,h,w] RGB in [0,1]; output `sr` float32 [1,3,2h,2w] in [0,1].
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from srdata import make_pair, PHOTOS  # noqa: E402
from srmodels import FlowSR, CNNSR, FlowSRExport, CNNSRExport, count_params  # noqa: E402

REF_PHOTO, REF_LONG_SIDE, REF_Y, REF_X, REF_SIZE = "plasma_Grey.jpg", 1024, 100, 180, 32
REF_PIXELS = [(0, 0, 0), (0, 10, 20), (1, 31, 31), (2, 63, 63), (1, 40, 7), (0, 5, 60), (2, 33, 12), (1, 63, 0)]


def load(kind, path):
    m = FlowSR() if kind == "flow" else CNNSR()
    ck = torch.load(path, map_location="cpu")
    m.load_state_dict(ck["model"])
    m.eval()
    return m, ck


def export(wrapper, path):
    dummy = torch.rand(1, 3, 24, 20)
    torch.onnx.export(wrapper, dummy, path, opset_version=17, input_names=["lr"], output_names=["sr"],
                      dynamic_axes={"lr": {2: "h", 3: "w"}, "sr": {2: "h2", 3: "w2"}}, do_constant_folding=True)
    mo = onnx.load(path)
    onnx.checker.check_model(mo)
    ops = sorted({n.op_type for n in mo.graph.node})
    return ops


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flow-ckpt", default="/tmp/sr_flow/ckpt.pt")
    ap.add_argument("--cnn-ckpt", default="/tmp/sr_cnn/ckpt.pt")
    ap.add_argument("--outdir", default=HERE)
    args = ap.parse_args()
    torch.set_num_threads(1)

    _, lr_full = make_pair(os.path.join(PHOTOS, REF_PHOTO), REF_LONG_SIDE)
    crop = lr_full[REF_Y:REF_Y + REF_SIZE, REF_X:REF_X + REF_SIZE]
    ref_png = os.path.join(args.outdir, "ref_lr.png")
    Image.fromarray(crop).save(ref_png)
    x = torch.from_numpy(np.asarray(Image.open(ref_png).convert("RGB")).copy()).permute(2, 0, 1)[None].float() / 255.0

    ref = {"input": {"file": "ref_lr.png", "source": f"{REF_PHOTO} (test split), HR long side {REF_LONG_SIDE}, "
                     f"LR = PIL BICUBIC x1/2, crop y={REF_Y} x={REF_X} size {REF_SIZE}",
                     "tensor": "float32 [1,3,32,32] = PNG RGB / 255, NCHW"},
           "pixel_index": "[channel, y, x] in the [1,3,64,64] output", "models": {}}
    for kind, ck_path, fname, wrap in (("flow", args.flow_ckpt, "affine_stablesr_x2.onnx", FlowSRExport),
                                       ("cnn", args.cnn_ckpt, "fsrcnn_x2.onnx", CNNSRExport)):
        m, ck = load(kind, ck_path)
        w = wrap(m).eval()
        with torch.no_grad():
            y = w(x)
            # sanity: exported wrapper == model's own z=0 output
            y2 = torch.clamp(m.sample(x, 0.0) if kind == "flow" else m(x), 0, 1)
            assert torch.allclose(y, y2, atol=1e-5)
        path = os.path.join(args.outdir, fname)
        ops = export(w, path)
        print(f"{fname}: params {count_params(m)}, steps {ck['step']}, train min {ck['elapsed_min']:.1f}, ops {ops}")
        if any(o in ops for o in ("Inverse", "Det")):
            raise SystemExit("exported sampling path contains a matrix inverse op")
        ref["models"][fname] = {
            "params": count_params(m), "onnx_ops": ops,
            "output_shape": list(y.shape), "mean": float(y.mean()),
            "pixels": [{"index": list(p), "value": float(y[0, p[0], p[1], p[2]])} for p in REF_PIXELS],
            "atol_suggested": 1e-4}
    with open(os.path.join(args.outdir, "reference_x2.json"), "w") as f:
        json.dump(ref, f, indent=1)
    print(json.dumps(ref["models"], indent=1)[:2000])


if __name__ == "__main__":
    main()
