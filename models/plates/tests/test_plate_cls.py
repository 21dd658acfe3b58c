"""Fast checks of the plate-or-not crop classifier: ONNX contract, crop rule, a forward pass."""
import os
import sys
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PLATES = os.path.dirname(HERE)
sys.path.insert(0, PLATES)
ONNX_PATH = os.path.join(PLATES, "plate_cls.onnx")


class ClsOnnxContract(unittest.TestCase):
    def test_contract(self):
        import onnx
        m = onnx.load(ONNX_PATH)
        onnx.checker.check_model(m)
        self.assertEqual(m.opset_import[0].version, 17)
        self.assertLess(os.path.getsize(ONNX_PATH), 1024 * 1024)
        (i,), (o,) = m.graph.input, m.graph.output
        self.assertEqual((i.name, o.name), ("crop", "plate_score"))
        self.assertEqual(i.type.tensor_type.elem_type, onnx.TensorProto.FLOAT)
        self.assertEqual(o.type.tensor_type.elem_type, onnx.TensorProto.FLOAT)
        di = [d.dim_value or d.dim_param for d in i.type.tensor_type.shape.dim]
        do = [d.dim_value or d.dim_param for d in o.type.tensor_type.shape.dim]
        self.assertIsInstance(di[0], str, "batch must be dynamic")
        self.assertEqual(di[1:], [3, 32, 96])
        self.assertIsInstance(do[0], str)
        self.assertEqual(do[1:], [1])
        self.assertNotIn("BatchNormalization", {n.op_type for n in m.graph.node})

    def test_forward_batches(self):
        import cv2
        net = cv2.dnn.readNetFromONNX(ONNX_PATH)
        for n in (1, 3):
            net.setInput(np.random.default_rng(n).random((n, 3, 32, 96), dtype=np.float32))
            y = net.forward()
            self.assertEqual(y.shape, (n, 1))
            self.assertTrue(np.all((y >= 0) & (y <= 1)))


class CropRule(unittest.TestCase):
    def test_rect(self):
        import cls_data as cd
        # grown by h/2 on every side, floor / ceil, clipped to the frame
        self.assertEqual(cd.crop_rect((100.5, 50.2, 40, 10.4), 640, 480), (95, 45, 146, 66))
        self.assertEqual(cd.crop_rect((2, 3, 40, 10), 640, 480), (0, 0, 47, 18))
        self.assertEqual(cd.crop_rect((630, 470, 40, 10), 640, 480), (625, 465, 640, 480))
        self.assertIsNone(cd.crop_rect((700, 10, 40, 10), 640, 480))

    def test_crop(self):
        import cls_data as cd
        img = np.zeros((100, 200, 3), np.uint8)
        img[:, :, 0] = 255  # blue in BGR
        c = cd.make_crop(img, (50, 40, 60, 20))
        self.assertEqual(c.shape, (32, 96, 3))
        self.assertTrue(np.all(c[:, :, 2] == 255) and np.all(c[:, :, 0] == 0), "must be RGB")


if __name__ == "__main__":
    unittest.main()
