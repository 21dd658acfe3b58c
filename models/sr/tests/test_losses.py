"""FlowSR.losses with the NLL over part of the batch (train.py --nll-batch)."""
import os
import sys
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from srmodels import FlowSR  # noqa: E402


class LossesTest(unittest.TestCase):
    def test_nll_over_the_first_samples_and_mse_over_the_whole_batch(self):
        torch.manual_seed(0)
        m = FlowSR().double().eval()
        hr = torch.rand(4, 3, 16, 16, dtype=torch.float64)
        lr = torch.nn.functional.avg_pool2d(hr, 2)
        with torch.no_grad():
            nll_all, mse_all, out_all = m.losses(hr, lr, dequant=False)
            nll_two, mse_two, out_two = m.losses(hr, lr, dequant=False, nll_samples=2)
            nll_first, _, _ = m.losses(hr[:2], lr[:2], dequant=False)
        self.assertAlmostEqual(float(nll_two), float(nll_first), places=10)
        self.assertNotAlmostEqual(float(nll_two), float(nll_all), places=6)
        self.assertAlmostEqual(float(mse_two), float(mse_all), places=12)
        self.assertEqual(out_two.shape[0], 4)
        self.assertTrue(torch.equal(out_two, out_all))


if __name__ == "__main__":
    unittest.main()
