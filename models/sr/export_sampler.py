"""Export the flow's sampling graph: the SAME weights as affine_stablesr_x2.onnx, with the latent z
as a second input, so the agent can draw K samples at any temperature (SR uncertainty map).

  /usr/bin/python3 models/sr/export_sampler.py

Reads the pinned models/sr/affine_stablesr_x2.onnx (flow_from_onnx.py rebuilds FlowSR's sampling
direction from it; the training checkpoint is not kept) and writes
models/sr/affine_stablesr_x2_sampler.onnx and models/sr/reference_sampler_x2.json.
Graph I/O: `lr` float32 [1,3,h,w] RGB in [0,1]; `z` float32 [K,12,h,w] (K samples of the latent
of the squeezed x2 residual, N(0, I) under the model; temperature tau = the caller scales z by
tau); output `sr` float32 [K,3,2h,2w] clamped to [0,1]. The condition network runs once per call,
shared by the K samples.
Checks: torch at z = 0 reproduces reference_x2.json; the numpy re-execution (onnx_check.run) of
the new graph at z = 0 equals the old graph's output; at a fixed non-zero z it equals torch.
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from flow_from_onnx import load_flow_from_onnx  # noqa: E402
from onnx_check import run as onnx_run  # noqa: E402
from srmodels import FlowSRSampleExport, count_params  # noqa: E402

BASE = os.path.join(HERE, "affine_stablesr_x2.onnx")
OUT = os.path.join(HERE, "affine_stablesr_x2_sampler.onnx")
REF = os.path.join(HERE, "reference_sampler_x2.json")
PIXELS = [(0, 0, 0), (0, 10, 20), (1, 31, 31), (2, 63, 63), (1, 40, 7), (0, 5, 60), (2, 33, 12), (1, 63, 0)]


def fixed_z(h, w):
    """A reproducible latent without a shared RNG: z[c,y,x] = sin(1 + 0.7c + 0.31y + 0.17x)."""
    c, y, x = np.meshgrid(np.arange(12), np.arange(h), np.arange(w), indexing="ij")
    return np.sin(1.0 + 0.7 * c + 0.31 * y + 0.17 * x).astype(np.float32)[None]


def main():
    torch.set_num_threads(1)
    model = load_flow_from_onnx(BASE)
    wrap = FlowSRSampleExport(model).eval()
    ref = json.load(open(os.path.join(HERE, "reference_x2.json")))["models"]["affine_stablesr_x2.onnx"]
    lr = np.asarray(Image.open(os.path.join(HERE, "ref_lr.png")).convert("RGB")).transpose(2, 0, 1)[None]
    lr = lr.astype(np.float32) / 255.0
    h, w = lr.shape[2:]
    z0 = np.zeros((1, 12, h, w), np.float32)
    zf = fixed_z(h, w)
    with torch.no_grad():
        t0 = wrap(torch.from_numpy(lr), torch.from_numpy(z0)).numpy()
        tf = wrap(torch.from_numpy(lr), torch.from_numpy(zf)).numpy()
    d_ref = max(abs(float(t0[0, c, i, j]) - p["value"]) for p in ref["pixels"] for c, i, j in [p["index"]])
    assert d_ref < 1e-5 and abs(float(t0.mean()) - ref["mean"]) < 1e-6, d_ref

    torch.onnx.export(wrap, (torch.rand(1, 3, 24, 20), torch.zeros(2, 12, 24, 20)), OUT, opset_version=17,
                      input_names=["lr", "z"], output_names=["sr"],
                      dynamic_axes={"lr": {2: "h", 3: "w"}, "z": {0: "k", 2: "h", 3: "w"},
                                    "sr": {0: "k", 2: "h2", 3: "w2"}},
                      do_constant_folding=True)
    mo = onnx.load(OUT)
    onnx.checker.check_model(mo)
    ops = sorted({n.op_type for n in mo.graph.node})
    if any(o in ops for o in ("Inverse", "Det", "RandomNormal", "RandomNormalLike")):
        raise SystemExit(f"sampling graph contains {ops}")
    base_out = onnx_run(onnx.load(BASE), {"lr": lr})["sr"]
    new0 = onnx_run(mo, {"lr": lr, "z": z0})["sr"]
    newf = onnx_run(mo, {"lr": lr, "z": zf})["sr"]
    rnd = np.random.RandomState(0).rand(1, 3, 20, 28).astype(np.float32)
    zr = np.random.RandomState(1).randn(3, 12, 20, 28).astype(np.float32) * 0.8
    with torch.no_grad():
        tr = wrap(torch.from_numpy(rnd), torch.from_numpy(zr)).numpy()
    newr = onnx_run(mo, {"lr": rnd, "z": zr})["sr"]
    checks = {
        "z0_vs_base_onnx_max_abs": float(np.abs(new0 - base_out).max()),
        "fixed_z_vs_torch_max_abs": float(np.abs(newf - tf).max()),
        "random_20x28_k3_tau0.8_vs_torch_max_abs": float(np.abs(newr - tr).max()),
        "fixed_z_mean_abs_change_vs_z0": float(np.abs(tf - t0).mean()),
    }
    assert checks["z0_vs_base_onnx_max_abs"] < 1e-5 and checks["fixed_z_vs_torch_max_abs"] < 1e-4
    # a batch of K = 3 samples equals the three samples decoded one by one (shared condition)
    with torch.no_grad():
        one_by_one = np.concatenate([wrap(torch.from_numpy(rnd), torch.from_numpy(zr[k:k + 1])).numpy()
                                     for k in range(3)])
    checks["batch3_vs_one_by_one_max_abs"] = float(np.abs(one_by_one - tr).max())
    assert checks["random_20x28_k3_tau0.8_vs_torch_max_abs"] < 1e-4 and list(newr.shape) == [3, 3, 40, 56]
    assert checks["batch3_vs_one_by_one_max_abs"] < 1e-5
    print(json.dumps(checks))
    out = {"input": {"lr": "ref_lr.png as in reference_x2.json, float32 [1,3,32,32]",
                     "z": "float32 [1,12,32,32], z[c,y,x] = sin(1 + 0.7*c + 0.31*y + 0.17*x)"},
           "pixel_index": "[channel, y, x] in the [1,3,64,64] output",
           "params": count_params(model), "onnx_ops": ops, "checks": checks,
           "z0": {"mean": float(t0.mean())},
           "fixed_z": {"mean": float(tf.mean()),
                       "pixels": [{"index": list(p), "value": float(tf[0, p[0], p[1], p[2]])} for p in PIXELS]},
           "atol_suggested": 1e-4}
    with open(REF, "w") as f:
        json.dump(out, f, indent=1)
    print(f"{os.path.basename(OUT)}: {os.path.getsize(OUT)} bytes, ops {ops}")


if __name__ == "__main__":
    main()
