"""Rebuild the shipped FlowSR's sampling direction from affine_stablesr_x2.onnx itself.

The training checkpoint of the pinned model is not kept, but its ONNX file holds every weight
the sampling direction needs: the condition net and coupling nets by their torch names, each
ActNorm's bias by name, and, as unnamed constants, each step's precomputed 1x1-conv inverse
(Conv weight) and its ActNorm exp(-logs) (the Exp input). Walking the graph pairs each such
Conv/Exp with the `m.steps.<k>.0.bias` it is subtracted from. The LU factors of the 1x1 convs
are not in the file, so the rebuilt model can decode (sample) but its encode/NLL direction is
not the trained one (invconv weight stays at its random init; do not use encode()).

  from flow_from_onnx import load_flow_from_onnx
  model = load_flow_from_onnx("models/sr/affine_stablesr_x2.onnx")
"""
import os
import re
import sys

import onnx
import torch
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from srmodels import FlowSR  # noqa: E402

DEFAULT = os.path.join(HERE, "affine_stablesr_x2.onnx")


def load_flow_from_onnx(path=DEFAULT):
    mo = onnx.load(path)
    inits = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in mo.graph.initializer}
    model = FlowSR()
    sd = model.state_dict()
    named = {k[2:]: v for k, v in inits.items() if k.startswith("m.")}
    for k, v in named.items():
        if k not in sd or sd[k].shape != v.shape:
            raise ValueError(f"{path}: initializer m.{k} does not fit FlowSR")
        sd[k] = v
    # Pair the unnamed constants with their step: Conv(W^-1) -> Mul(Exp(-logs)) -> Sub(bias_k).
    producer = {o: n for n in mo.graph.node for o in n.output}
    found = set()
    for n in mo.graph.node:
        m = re.fullmatch(r"m\.steps\.(\d+)\.0\.bias", n.input[1]) if n.op_type == "Sub" and len(n.input) > 1 else None
        if not m:
            continue
        k = int(m.group(1))
        mul = producer[n.input[0]]
        conv, exp = (producer[i] for i in mul.input)
        if conv.op_type != "Conv":
            conv, exp = exp, conv
        assert conv.op_type == "Conv" and exp.op_type == "Exp", (conv.op_type, exp.op_type)
        sd[f"steps.{k}.0.logs"] = -inits[exp.input[0]]
        inv = inits[conv.input[1]].reshape(12, 12)
        sd[f"steps.{k}.1.frozen_inv"] = inv
        found.add(k)
    if found != set(range(len(model.steps))):
        raise ValueError(f"{path}: found 1x1 inverses for steps {sorted(found)} only")
    for k in range(len(model.steps)):
        model.steps[k][1].frozen_inv = sd[f"steps.{k}.1.frozen_inv"]
        sd[f"steps.{k}.0.initialized"] = torch.tensor(1, dtype=torch.uint8)
    model.load_state_dict(sd)
    model.eval()
    return model
