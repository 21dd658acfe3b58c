"""The sampler is the pinned flow with z as an input, and the uncertainty statistics are right."""
import json
import os
import sys
import unittest

import numpy as np
import torch
from PIL import Image

SR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, SR)
from flow_from_onnx import load_flow_from_onnx  # noqa: E402
from srmodels import FlowSRSampleExport  # noqa: E402
from uncertainty_eval import rankdata, spearman, box  # noqa: E402


class RebuiltFlowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        cls.wrap = FlowSRSampleExport(load_flow_from_onnx()).eval()
        lr = np.asarray(Image.open(os.path.join(SR, "ref_lr.png")).convert("RGB")).transpose(2, 0, 1)[None]
        cls.lr = torch.from_numpy(lr.astype(np.float32) / 255.0)

    def test_z0_reproduces_the_shipped_reference(self):
        ref = json.load(open(os.path.join(SR, "reference_x2.json")))["models"]["affine_stablesr_x2.onnx"]
        with torch.no_grad():
            y = self.wrap(self.lr, torch.zeros(1, 12, 32, 32))
        for p in ref["pixels"]:
            c, i, j = p["index"]
            self.assertAlmostEqual(float(y[0, c, i, j]), p["value"], delta=1e-5)

    def test_fixed_z_reproduces_the_sampler_reference(self):
        ref = json.load(open(os.path.join(SR, "reference_sampler_x2.json")))["fixed_z"]
        c, yy, xx = np.meshgrid(np.arange(12), np.arange(32), np.arange(32), indexing="ij")
        z = torch.from_numpy(np.sin(1.0 + 0.7 * c + 0.31 * yy + 0.17 * xx).astype(np.float32)[None])
        with torch.no_grad():
            y = self.wrap(self.lr, z)
        for p in ref["pixels"]:
            ch, i, j = p["index"]
            self.assertAlmostEqual(float(y[0, ch, i, j]), p["value"], delta=1e-5)

    def test_a_batch_of_latents_equals_the_samples_one_by_one(self):
        z = torch.randn(3, 12, 32, 32, generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            batch = self.wrap(self.lr, z)
            single = torch.cat([self.wrap(self.lr, z[k:k + 1]) for k in range(3)])
        self.assertEqual(tuple(batch.shape), (3, 3, 64, 64))
        self.assertLess(float((batch - single).abs().max()), 1e-6)

    def test_samples_spread_more_at_a_higher_temperature(self):
        g = torch.Generator().manual_seed(0)
        z = torch.randn(4, 12, 32, 32, generator=g)
        with torch.no_grad():
            lo = torch.stack([self.wrap(self.lr, 0.3 * z[k:k + 1]) for k in range(4)]).std(0).mean()
            hi = torch.stack([self.wrap(self.lr, 1.0 * z[k:k + 1]) for k in range(4)]).std(0).mean()
        self.assertGreater(float(hi), 2 * float(lo))


class StatisticsTest(unittest.TestCase):
    def test_ties_share_their_average_rank(self):
        np.testing.assert_array_equal(rankdata(np.array([5.0, 1, 5, 2])), [3.5, 1, 3.5, 2])

    def test_spearman_by_hand(self):
        self.assertAlmostEqual(spearman(np.array([1.0, 2, 3, 4, 5]), np.array([2.0, 1, 4, 3, 3])),
                               5.5 / np.sqrt(95), places=12)
        self.assertAlmostEqual(spearman(np.arange(10.0), np.arange(10.0) ** 3), 1.0, places=12)

    def test_box_keeps_a_constant_and_averages_a_spike(self):
        m = np.zeros((7, 7))
        m[3, 3] = 25.0
        out = box(m, 5)
        self.assertAlmostEqual(float(out[3, 3]), 1.0)
        self.assertAlmostEqual(float(out.sum()), 25.0)
        np.testing.assert_allclose(box(np.full((6, 6), 2.0), 3), 2.0)


if __name__ == "__main__":
    unittest.main()
