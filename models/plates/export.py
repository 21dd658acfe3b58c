#!/usr/bin/python3
"""Export a PlateNet checkpoint to ONNX (opset 17) with the contract

  input  "image"      float32 [1,3,H,W]  RGB in [0,1], H and W dynamic multiples of 32
  output "plate_prob" float32 [1,1,H/4,W/4] sigmoid probability (stride 4)

BatchNorm is folded into the convolutions by the exporter (eval mode).  Then runs
onnx.checker and shape inference, and checks that the graph has exactly that input and
output.  With --ref DIR it also writes a fixed test input (1x3x1088x1920, little-endian
float32) and the PyTorch output for it, so another runtime can be compared against it.
"""
import argparse
import os

import numpy as np
import onnx
import torch

from net import PlateNet, n_params, macs


def test_input(h=1088, w=1920):
    rng = np.random.default_rng(5)
    x = rng.random((1, 3, h, w), dtype=np.float32)
    x = (0.7 * x + 0.3 * np.linspace(0, 1, w, dtype=np.float32)).astype(np.float32)
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "plate_det.onnx"))
    ap.add_argument("--ref")
    args = ap.parse_args()
    model = PlateNet()
    model.load_state_dict(torch.load(args.ckpt, map_location="cpu")["model"])
    model.eval()
    print(f"params {n_params(model)}, {macs(model, 1088, 1920) / 1e9:.2f} GMAC at 1920x1088")
    x = torch.zeros(1, 3, 256, 320)
    torch.onnx.export(model, x, args.out, opset_version=17, input_names=["image"], output_names=["plate_prob"],
                      dynamic_axes={"image": {2: "H", 3: "W"}, "plate_prob": {2: "H4", 3: "W4"}},
                      do_constant_folding=True)
    m = onnx.load(args.out)
    onnx.checker.check_model(m, full_check=True)
    inf = onnx.shape_inference.infer_shapes(m, strict_mode=True)
    ins = [(i.name, [d.dim_value or d.dim_param for d in i.type.tensor_type.shape.dim], i.type.tensor_type.elem_type)
           for i in inf.graph.input]
    outs = [(o.name, [d.dim_value or d.dim_param for d in o.type.tensor_type.shape.dim], o.type.tensor_type.elem_type)
            for o in inf.graph.output]
    print("inputs", ins)
    print("outputs", outs)
    assert [i[0] for i in ins] == ["image"] and [o[0] for o in outs] == ["plate_prob"]
    assert ins[0][2] == onnx.TensorProto.FLOAT and outs[0][2] == onnx.TensorProto.FLOAT
    assert ins[0][1][:2] == [1, 3] and outs[0][1][:2] == [1, 1]
    assert m.opset_import[0].version == 17
    ops = sorted({n.op_type for n in m.graph.node})
    print("ops", ops, "nodes", len(m.graph.node), "bytes", os.path.getsize(args.out))
    assert "BatchNormalization" not in ops
    if args.ref:
        os.makedirs(args.ref, exist_ok=True)
        xi = test_input()
        with torch.no_grad():
            y = model(torch.from_numpy(xi)).numpy()
        xi.astype("<f4").tofile(os.path.join(args.ref, "input_1x3x1088x1920.f32"))
        y.astype("<f4").tofile(os.path.join(args.ref, "torch_1x1x272x480.f32"))
        print("reference written to", args.ref, "output mean", float(y.mean()))


if __name__ == "__main__":
    main()
