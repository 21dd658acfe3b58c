"""Independent check of the exported ONNX graphs without onnxruntime (not available as a
Debian package here; onnx 1.12 has no reference evaluator): a tiny numpy interpreter for the
ops these graphs use, compared with the torch model on the reference crop and on a random
non-square input (checks that the dynamic H/W axes really are dynamic).

  /usr/bin/python3 models/sr/onnx_check.py
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def _conv(x, w, b, attrs):
    group = attrs.get("group", 1)
    strides = attrs.get("strides", [1, 1])
    dil = attrs.get("dilations", [1, 1])
    pads = attrs.get("pads", [0, 0, 0, 0])
    assert strides == [1, 1] and dil == [1, 1]
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    N, C, H, W = x.shape
    O, Cg, kh, kw = w.shape
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))  # N,C,H',W',kh,kw
    outs = []
    og = O // group
    for g in range(group):
        xs = win[:, g * Cg:(g + 1) * Cg]
        outs.append(np.einsum("nchwij,ocij->nohw", xs, w[g * og:(g + 1) * og], optimize=True))
    y = np.concatenate(outs, 1)
    if b is not None:
        y = y + b[None, :, None, None]
    return y


def run(model, feeds):
    env = dict(feeds)
    for init in model.graph.initializer:
        env[init.name] = numpy_helper.to_array(init)
    for node in model.graph.node:
        a = {at.name: onnx.helper.get_attribute_value(at) for at in node.attribute}
        ins = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Constant":
            out = numpy_helper.to_array(a["value"])
        elif op == "ConstantOfShape":
            v = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
            out = np.full(tuple(int(s) for s in ins[0]), v.reshape(-1)[0], dtype=v.dtype)
        elif op == "Cast":
            out = ins[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])
        elif op == "Concat":
            out = np.concatenate(ins, a["axis"])
        elif op == "Reshape":
            shape = [int(s) for s in ins[1]]
            shape = [ins[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            out = ins[0].reshape(shape)
        elif op == "Transpose":
            out = np.transpose(ins[0], a.get("perm"))
        elif op == "Slice":
            data, starts, ends = ins[0], ins[1], ins[2]
            axes = ins[3] if len(ins) > 3 and ins[3] is not None else np.arange(len(starts))
            steps = ins[4] if len(ins) > 4 and ins[4] is not None else np.ones(len(starts), np.int64)
            sl = [slice(None)] * data.ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[int(ax)] = slice(int(s), int(e), int(st))
            out = data[tuple(sl)]
        elif op == "Pad":
            mode = a.get("mode", b"constant").decode()
            p = [int(v) for v in ins[1]]
            n = len(p) // 2
            assert min(p) >= 0
            width = [(p[i], p[i + n]) for i in range(n)]
            if mode == "constant":
                cv = ins[2].item() if len(ins) > 2 and ins[2] is not None else 0.0
                out = np.pad(ins[0], width, mode="constant", constant_values=cv)
            else:
                out = np.pad(ins[0], width, mode={"edge": "edge", "reflect": "reflect"}[mode])
        elif op == "Conv":
            out = _conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
        elif op == "DepthToSpace":
            bs, mode = a["blocksize"], a.get("mode", b"DCR").decode()
            N, C, H, W = ins[0].shape
            if mode == "CRD":
                out = ins[0].reshape(N, C // bs ** 2, bs, bs, H, W).transpose(0, 1, 4, 2, 5, 3)
            else:
                out = ins[0].reshape(N, bs, bs, C // bs ** 2, H, W).transpose(0, 3, 4, 1, 5, 2)
            out = out.reshape(N, C // bs ** 2, H * bs, W * bs)
        elif op == "Clip":
            lo = ins[1] if len(ins) > 1 and ins[1] is not None else -np.inf
            hi = ins[2] if len(ins) > 2 and ins[2] is not None else np.inf
            out = np.clip(ins[0], lo, hi)
        elif op in ("Add", "Sub", "Mul", "Div"):
            out = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[op](ins[0], ins[1])
        elif op == "Neg":
            out = -ins[0]
        elif op == "Exp":
            out = np.exp(ins[0])
        elif op == "Tanh":
            out = np.tanh(ins[0])
        elif op == "Relu":
            out = np.maximum(ins[0], 0)
        elif op == "Identity":
            out = ins[0]
        elif op == "Shape":
            out = np.array(ins[0].shape, np.int64)
        elif op == "Gather":
            out = np.take(ins[0], ins[1], axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            out = np.expand_dims(ins[0], tuple(int(v) for v in ins[1]))
        elif op == "Equal":
            out = np.equal(ins[0], ins[1])
        elif op == "Where":
            out = np.where(ins[0], ins[1], ins[2])
        elif op == "Expand":
            out = ins[0] * np.ones(tuple(int(v) for v in ins[1]), dtype=ins[0].dtype)
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = np.asarray(out)
    return {o.name: env[o.name] for o in model.graph.output}


def main():
    import argparse
    import torch
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=HERE)
    ap.add_argument("--flow-ckpt", default="/tmp/sr_flow/ckpt.pt")
    ap.add_argument("--cnn-ckpt", default="/tmp/sr_cnn/ckpt.pt")
    args = ap.parse_args()
    D = args.dir
    sys.path.insert(0, HERE)
    from export import load
    from srmodels import FlowSRExport, CNNSRExport
    torch.set_num_threads(1)
    ref = json.load(open(os.path.join(D, "reference_x2.json")))
    lr = np.asarray(Image.open(os.path.join(D, "ref_lr.png")).convert("RGB")).transpose(2, 0, 1)[None]
    lr = (lr.astype(np.float32) / 255.0)
    rnd = np.random.RandomState(0).rand(1, 3, 20, 28).astype(np.float32)
    ok = True
    for fname, kind, ck, wrap in (("affine_stablesr_x2.onnx", "flow", args.flow_ckpt, FlowSRExport),
                                  ("fsrcnn_x2.onnx", "cnn", args.cnn_ckpt, CNNSRExport)):
        model = onnx.load(os.path.join(D, fname))
        y = run(model, {"lr": lr})["sr"]
        r = ref["models"][fname]
        d_json = max(abs(float(y[0, c, i, j]) - p["value"]) for p in r["pixels"] for c, i, j in [p["index"]])
        d_mean = abs(float(y.mean()) - r["mean"])
        res = {"onnx": fname, "ref_shape": list(y.shape), "max_abs_diff_vs_reference_json_pixels": d_json,
               "abs_diff_mean": d_mean}
        if os.path.exists(ck):
            m, _ = load(kind, ck)
            w = wrap(m).eval()
            with torch.no_grad():
                t_ref = w(torch.from_numpy(lr)).numpy()
                t_rnd = w(torch.from_numpy(rnd)).numpy()
            y_rnd = run(model, {"lr": rnd})["sr"]
            res["max_abs_diff_vs_torch_ref_crop"] = float(np.abs(t_ref - y).max())
            res["nonsquare_shape"] = list(y_rnd.shape)
            res["max_abs_diff_vs_torch_20x28"] = float(np.abs(t_rnd - y_rnd).max())
            ok &= res["max_abs_diff_vs_torch_20x28"] < 1e-4 and list(y_rnd.shape) == [1, 3, 40, 56]
        ok &= d_json < 1e-4 and d_mean < 1e-5
        print(json.dumps(res))
    print("ONNX numpy check:", "OK" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
