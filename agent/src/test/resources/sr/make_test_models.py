"""Builds the test SR models: bicubic_x2.onnx, a stand-in for the trained SR models with the same
graph contract, and two broken ones the checks must catch (nan_x2.onnx, noscale_x2.onnx).

  /usr/bin/python3 agent/src/test/resources/sr/make_test_models.py

Input `lr` float32 [1,3,h,w] RGB in [0,1]; output `sr` float32 [1,3,2h,2w], clipped to [0,1].
Resize(cubic, a=-0.75, half_pixel) has a 4-tap footprint and no global context, so tiled and
untiled runs must agree away from tile borders: that is what the tiling test relies on.
"""
import os

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, nodes, extra_inits=()):
    lr = helper.make_tensor_value_info("lr", TensorProto.FLOAT, [1, 3, "h", "w"])
    sr = helper.make_tensor_value_info("sr", TensorProto.FLOAT, [1, 3, "h2", "w2"])
    inits = [
        helper.make_tensor("roi", TensorProto.FLOAT, [0], []),
        helper.make_tensor("scales", TensorProto.FLOAT, [4], [1.0, 1.0, 2.0, 2.0]),
        helper.make_tensor("lo", TensorProto.FLOAT, [], [0.0]),
        helper.make_tensor("hi", TensorProto.FLOAT, [], [1.0]),
    ] + list(extra_inits)
    graph = helper.make_graph(nodes, name, [lr], [sr], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="edge-agent-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name + ".onnx"))
    print("wrote", name + ".onnx")


resize = helper.make_node("Resize", ["lr", "roi", "scales"], ["up"], mode="cubic",
                          cubic_coeff_a=-0.75, coordinate_transformation_mode="half_pixel")
save("bicubic_x2", [resize, helper.make_node("Clip", ["up", "lo", "hi"], ["sr"])])
# Multiplying by NaN: the output check must refuse it instead of publishing garbage pixels.
save("nan_x2", [resize, helper.make_node("Mul", ["up", "nan"], ["sr"])],
     [helper.make_tensor("nan", TensorProto.FLOAT, [], [float("nan")])])
# Same size out as in: the shape check must refuse it.
save("noscale_x2", [helper.make_node("Clip", ["lr", "lo", "hi"], ["sr"])])
