"""Export the two trained PatchFlows as one ONNX graph (opset 17) with the calibration, and
write the torch-side reference the Java test compares ONNX Runtime against.

  /usr/bin/python3 models/anomaly/export.py [--field /tmp/anomaly_flow/ckpt.pt]
        [--general /tmp/anomaly_general/ckpt.pt]      (run evaluate.py first: calibration.json)

Graph: input `patches` float32 [N,3,16,16], RGB in [0,1], NCHW (N dynamic); outputs
`nll_bpd` [N] (the field flow's per-patch NLL, bits/dim; log-det and Gaussian prior computed in
the graph) and `llr_bpd` [N] (field NLL minus the general flow's NLL). The scoring constants
travel in the file's metadata_props, so the sha256 pin covers them: patch, stride,
analysis_long_side, score_rule (evaluate.py's grammar), threshold, and the training median and
spread of each quantity (nll_/llr_/gen_median_bpd, nll_/llr_/gen_scale_bpd, self_median,
self_scale; `self`, the patch statistics' distance from the rest of the image, is computed by the
caller, not the graph: baseline.py image_referenced_distance, in Java SelfReference).
Writes models/anomaly/crop_flow.onnx and models/anomaly/reference.json.
"""
import argparse
import json
import os

import cv2
import numpy as np
import onnx
import torch

from data import ANALYSIS_LONG_SIDE, HERE, PATCH, STRIDE, grid_patches
from baseline import features, image_referenced_distance
from evaluate import load_flow
from model import count_params, fl

REF_IMAGE = "defects/images/027_foreign.jpg"


def freeze_kernels(flow):
    """Store each CInC conv's effective kernel (weight * mask + diag(exp(log_diag))) as a
    constant: the parametrisation uses aten::diag, which has no ONNX export; the frozen kernel
    is the same numbers, checked against the invertibility condition first."""
    for layer in flow.layers:
        if isinstance(layer, fl.MaskedConv):
            k = layer.kernel().detach().clone()
            layer.check_invertible(k)
            layer.set_kernel(k)


class ScoreGraph(torch.nn.Module):
    def __init__(self, field, general):
        super().__init__()
        self.field = field
        self.general = general

    def forward(self, patches):
        nll = self.field.nll_bpd(patches)
        return nll, nll - self.general.nll_bpd(patches)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--field", default="/tmp/anomaly_flow/ckpt.pt")
    ap.add_argument("--general", default="/tmp/anomaly_general/ckpt.pt")
    args = ap.parse_args()
    torch.set_num_threads(1)
    field, ck_f = load_flow(args.field)
    general, ck_g = load_flow(args.general)
    for f in (field, general):
        f.check_invertible()   # the CInC condition holds for every trained 3x3 conv
        freeze_kernels(f)
    graph = ScoreGraph(field, general).eval()
    cal = json.load(open(os.path.join(HERE, "calibration.json")))
    path = os.path.join(HERE, "crop_flow.onnx")
    torch.onnx.export(graph, torch.rand(4, 3, PATCH, PATCH), path, opset_version=17,
                      input_names=["patches"], output_names=["nll_bpd", "llr_bpd"],
                      dynamic_axes={"patches": {0: "n"}, "nll_bpd": {0: "n"}, "llr_bpd": {0: "n"}},
                      do_constant_folding=True)
    m = onnx.load(path)
    meta = {"patch": PATCH, "stride": STRIDE, "analysis_long_side": ANALYSIS_LONG_SIDE,
            "score_rule": cal["score_rule"], "threshold": cal["threshold"], "threshold_rule": cal["threshold_rule"],
            "nll_median_bpd": cal["nll_median_bpd"], "nll_scale_bpd": cal["nll_scale_bpd"],
            "llr_median_bpd": cal["llr_median_bpd"], "llr_scale_bpd": cal["llr_scale_bpd"],
            "gen_median_bpd": cal["gen_median_bpd"], "gen_scale_bpd": cal["gen_scale_bpd"],
            "self_median": cal["self_median"], "self_scale": cal["self_scale"],
            "field_flow_steps": ck_f["step"], "general_flow_steps": ck_g["step"],
            "params": count_params(field) + count_params(general)}
    for k, v in meta.items():
        e = m.metadata_props.add()
        e.key, e.value = k, str(v)
    m.producer_name = "edge-agent models/anomaly/export.py"
    onnx.checker.check_model(m)
    onnx.save(m, path)
    ops = sorted({n.op_type for n in m.graph.node})

    img = cv2.cvtColor(cv2.imread(os.path.join(HERE, REF_IMAGE)), cv2.COLOR_BGR2RGB)
    p, _ = grid_patches(img)
    with torch.no_grad():
        nll, llr = (t.numpy() for t in graph(torch.from_numpy(p)))
    # The whole rule on the reference image, as evaluate.py scores it: the Java test checks its
    # CropInspector gives the same image score and flagged-patch count.
    from evaluate import score_image
    shape = (len(range(0, img.shape[0] - PATCH + 1, STRIDE)), len(range(0, img.shape[1] - PATCH + 1, STRIDE)))
    stats = {q: (cal[q + "_median_bpd"], cal[q + "_scale_bpd"]) for q in ("nll", "llr", "gen")}
    stats["self"] = (cal["self_median"], cal["self_scale"])
    own = np.sqrt(image_referenced_distance(features(p)))
    scores = score_image({"q": {"nll": nll, "llr": llr, "gen": nll - llr, "self": own}, "shape": shape},
                         cal["score_rule"], stats)
    ref = {"image": REF_IMAGE, "image_score": float(scores.max()),
           "flagged_patches": int((scores > cal["threshold"]).sum()),
           "grid": {"patch": PATCH, "stride": STRIDE, "rows": len(range(0, img.shape[0] - PATCH + 1, STRIDE)),
                    "cols": len(range(0, img.shape[1] - PATCH + 1, STRIDE))},
           "input": "float32 [N,3,16,16] = RGB / 255 of each grid patch, row-major over the grid",
           "nll_bpd_first": [float(v) for v in nll[:8]], "llr_bpd_first": [float(v) for v in llr[:8]],
           "gen_bpd_first": [float(v) for v in (nll - llr)[:8]],
           "nll_bpd_mean": float(nll.mean()), "llr_bpd_mean": float(llr.mean()), "gen_bpd_mean": float((nll - llr).mean()),
           "self_first": [float(v) for v in own[:8]], "self_mean": float(own.mean()), "self_max": float(own.max()),
           "atol_suggested": 2e-3, "onnx_ops": ops, "metadata": meta}
    json.dump(ref, open(os.path.join(HERE, "reference.json"), "w"), indent=1)
    print(f"wrote {path} ({os.path.getsize(path)} bytes), ops {ops}")
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
