#!/usr/bin/python3
"""Export the plate-or-not classifier (cls_train.PlateCls checkpoint) to ONNX.

Contract (the Java PlateCropVerifier):
  input  crop        [N,3,32,96] float32, RGB in [0,1], N dynamic
  output plate_score [N,1] float32, sigmoid probability that the crop is centred on a plate
Opset 17, eval mode (BatchNorm folded into the convolutions), onnx.checker + shape inference,
and the ONNX graph is run with OpenCV's dnn module against torch on random crops.

  /usr/bin/python3 models/plates/cls_export.py --ckpt .cache/plates-cls/plate_cls.pt \
      --out models/plates/plate_cls.onnx
"""
import argparse
import hashlib
import os

import cv2
import numpy as np
import onnx
import torch

from cls_train import PlateCls, n_params

torch.set_num_threads(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    m = PlateCls()
    m.load_state_dict(torch.load(args.ckpt, map_location="cpu")["model"])
    m.eval()
    x = torch.rand(2, 3, 32, 96)
    torch.onnx.export(m, x, args.out, input_names=["crop"], output_names=["plate_score"], opset_version=17,
                      do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL,
                      dynamic_axes={"crop": {0: "N"}, "plate_score": {0: "N"}})
    mo = onnx.load(args.out)
    onnx.checker.check_model(mo)
    mo = onnx.shape_inference.infer_shapes(mo)
    onnx.checker.check_model(mo)
    ops = sorted({n.op_type for n in mo.graph.node})
    assert "BatchNormalization" not in ops, ops
    onnx.save(mo, args.out)
    net = cv2.dnn.readNetFromONNX(args.out)
    xs = torch.rand(5, 3, 32, 96)
    net.setInput(xs.numpy())
    got = net.forward().reshape(5, 1)
    with torch.no_grad():
        want = m(xs).numpy()
    err = float(np.abs(got - want).max())
    assert err < 1e-4, err
    sha = hashlib.sha256(open(args.out, "rb").read()).hexdigest()
    print(f"{args.out}: {os.path.getsize(args.out)} bytes, sha256 {sha}, params {n_params(m)}, ops {ops}, "
          f"max |onnx(cv2.dnn) - torch| {err:.2e}")


if __name__ == "__main__":
    main()
