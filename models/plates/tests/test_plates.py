"""Fast checks of the plate detector: ONNX contract, pin, network shape, mask rasteriser."""
import hashlib
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PLATES = os.path.dirname(HERE)
ROOT = os.path.abspath(os.path.join(PLATES, "..", ".."))
sys.path.insert(0, PLATES)
ONNX_PATH = os.path.join(PLATES, "plate_det.onnx")


class OnnxContract(unittest.TestCase):
    def test_contract(self):
        import onnx
        m = onnx.load(ONNX_PATH)
        onnx.checker.check_model(m)
        self.assertEqual(m.opset_import[0].version, 17)
        self.assertLess(os.path.getsize(ONNX_PATH), 2 * 1024 * 1024)
        (i,), (o,) = m.graph.input, m.graph.output
        self.assertEqual((i.name, o.name), ("image", "plate_prob"))
        self.assertEqual(i.type.tensor_type.elem_type, onnx.TensorProto.FLOAT)
        self.assertEqual(o.type.tensor_type.elem_type, onnx.TensorProto.FLOAT)
        di = [d.dim_value or d.dim_param for d in i.type.tensor_type.shape.dim]
        do = [d.dim_value or d.dim_param for d in o.type.tensor_type.shape.dim]
        self.assertEqual(di[:2], [1, 3])
        self.assertEqual(do[:2], [1, 1])
        self.assertTrue(all(isinstance(d, str) for d in di[2:] + do[2:]), "H and W must be dynamic")

    def test_pinned_in_own_models(self):
        rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(ROOT, "models", "own-models.tsv"))
                if l.startswith("plate-det-s4\t")]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][1], "models/plates/plate_det.onnx")
        self.assertEqual(rows[0][2], hashlib.sha256(open(ONNX_PATH, "rb").read()).hexdigest())


class Network(unittest.TestCase):
    def test_shape_and_size(self):
        import torch
        from net import PlateNet, n_params
        m = PlateNet().eval()
        self.assertTrue(30_000 <= n_params(m) <= 150_000)
        with torch.no_grad():
            y = m(torch.zeros(1, 3, 64, 96))
        self.assertEqual(tuple(y.shape), (1, 1, 16, 24))


class Rasteriser(unittest.TestCase):
    def setUp(self):
        try:
            import cv2  # noqa: F401
            import PIL  # noqa: F401
        except ImportError:
            self.skipTest("python3-opencv / python3-pil not installed")

    def test_cell_centres(self):
        import numpy as np
        from synth import rasterise_quad
        m = np.zeros((8, 8), np.uint8)
        rasterise_quad(m, [[4, 4], [13, 4], [13, 9], [4, 9]])   # centres x=6,10  y=6
        self.assertEqual(sorted(zip(*np.nonzero(m))), [(1, 1), (1, 2)])

    def test_tiny_plate_gets_one_cell(self):
        import numpy as np
        from synth import rasterise_quad
        m = np.zeros((8, 8), np.uint8)
        rasterise_quad(m, [[9, 9], [11, 9], [11, 10], [9, 10]])
        self.assertEqual(sorted(zip(*np.nonzero(m))), [(2, 2)])


if __name__ == "__main__":
    unittest.main()
