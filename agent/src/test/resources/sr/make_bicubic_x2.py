"""Builds bicubic_x2.onnx: a stand-in for the trained SR models with the same graph contract.

  /usr/bin/python3 agent/src/test/resources/sr/make_bicubic_x2.py

Input `lr` float32 [1,3,h,w] RGB in [0,1]; output `sr` float32 [1,3,2h,2w], clipped to [0,1].
Resize(cubic, a=-0.75, half_pixel) has a 4-tap footprint and no global context, so tiled and
untiled runs must agree away from tile borders: that is what the tiling test relies on.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))

lr = helper.make_tensor_value_info("lr", TensorProto.FLOAT, [1, 3, "h", "w"])
sr = helper.make_tensor_value_info("sr", TensorProto.FLOAT, [1, 3, "h2", "w2"])
inits = [
    helper.make_tensor("roi", TensorProto.FLOAT, [0], []),
    helper.make_tensor("scales", TensorProto.FLOAT, [4], [1.0, 1.0, 2.0, 2.0]),
    helper.make_tensor("lo", TensorProto.FLOAT, [], [0.0]),
    helper.make_tensor("hi", TensorProto.FLOAT, [], [1.0]),
]
nodes = [
    helper.make_node("Resize", ["lr", "roi", "scales"], ["up"], mode="cubic",
                     cubic_coeff_a=-0.75, coordinate_transformation_mode="half_pixel"),
    helper.make_node("Clip", ["up", "lo", "hi"], ["sr"]),
]
graph = helper.make_graph(nodes, "bicubic_x2", [lr], [sr], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="edge-agent-tests")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(HERE, "bicubic_x2.onnx"))
print("wrote", os.path.join(HERE, "bicubic_x2.onnx"))
