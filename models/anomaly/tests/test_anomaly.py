"""Tests of the crop-anomaly model code, the committed ONNX file and the committed defect set.
None of them needs the fetched photos or a trained checkpoint."""
import hashlib
import json
import os
import sys
import unittest

import cv2
import numpy as np
import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ANOMALY = os.path.dirname(HERE)
sys.path.insert(0, ANOMALY)

from baseline import MIN_PATCHES, GaussianBaseline, features, image_referenced_distance  # noqa: E402
from evaluate import apply_rule, auroc, precision_at_recall  # noqa: E402
from model import PatchFlow, fl  # noqa: E402


class MetricsTest(unittest.TestCase):
    def test_auroc_perfect_chance_and_ties(self):
        self.assertEqual(auroc(np.array([3.0, 4.0]), np.array([1.0, 2.0])), 1.0)
        self.assertEqual(auroc(np.array([1.0, 2.0]), np.array([3.0, 4.0])), 0.0)
        self.assertEqual(auroc(np.array([1.0]), np.array([1.0])), 0.5)
        self.assertAlmostEqual(auroc(np.array([2.0, 0.0]), np.array([1.0, 1.0])), 0.5)

    def test_precision_at_recall(self):
        pos = np.array([10.0, 9.0, 8.0, 1.0, 0.0])
        neg = np.array([8.5, 0.5])
        # recall 0.8 needs the 4th best positive (1.0): 4 tp, 1 fp (8.5)
        self.assertAlmostEqual(precision_at_recall(pos, neg, 0.8), 4 / 5)
        self.assertAlmostEqual(precision_at_recall(pos, neg, 0.6), 3 / 4)

    def test_score_rule_matches_the_java_semantics(self):
        v = np.zeros(9)
        v[4] = 9.0
        s = apply_rule(v, (3, 3), ("nll", "global", "one", "smooth3"), 0.0, 1.0)
        self.assertAlmostEqual(s[4], 1.0)
        self.assertAlmostEqual(s[0], 9.0 / 4)
        self.assertAlmostEqual(s[1], 9.0 / 6)
        img = apply_rule(np.array([10.0, 10, 10, 10, 14]), (1, 5), ("llr", "image", "two", "none"), 0.0, 2.0)
        np.testing.assert_allclose(img, [0, 0, 0, 0, 4])


class ImageReferencedDistanceTest(unittest.TestCase):
    def test_a_minority_unlike_its_image_is_farthest_and_tiny_images_get_zeros(self):
        rng = np.random.default_rng(3)
        f = 0.5 + 0.05 * rng.standard_normal((200, 13))
        f[:49, 0] += 0.5   # just under a quarter of the image: the 75% reference leaves them out
        d = image_referenced_distance(f)
        self.assertGreater(d[:49].min(), d[49:].max())
        self.assertTrue(np.all(image_referenced_distance(f[:MIN_PATCHES - 1]) == 0))
        self.assertTrue(np.all(np.isfinite(image_referenced_distance(np.zeros((100, 13))))))


class FlowTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.flow = PatchFlow().double()
        with torch.no_grad():   # non-trivial couplings and ActNorm, as after training
            for p in self.flow.parameters():
                p.add_(0.05 * torch.randn_like(p))
        self.flow.eval()

    def test_the_flow_uses_the_project_layers_and_keeps_the_invertibility_condition(self):
        kinds = {type(m) for m in self.flow.layers}
        self.assertTrue({fl.Squeeze, fl.ActNorm, fl.CInCConv3x3, fl.QuadCoupling} <= kinds)
        self.assertTrue(self.flow.check_invertible())

    def test_the_wavefront_inverse_recovers_the_patch(self):
        x = torch.rand(3, 3, 16, 16, dtype=torch.float64)
        with torch.no_grad():
            z, _ = self.flow(x)
            back = self.flow.inverse(z)   # CInC layers use the parallel wavefront solve
        self.assertLess((back - x).abs().max().item(), 1e-8)

    def test_nll_is_the_change_of_variables_in_bits_per_dim(self):
        x = torch.rand(2, 3, 16, 16, dtype=torch.float64)
        with torch.no_grad():
            z, logdet = self.flow(x)
            d = 768
            log_pz = -0.5 * (z.flatten(1) ** 2).sum(1) - 0.5 * d * np.log(2 * np.pi)
            expected = (-(log_pz + logdet) + d * np.log(256.0)) / (d * np.log(2.0))
            np.testing.assert_allclose(self.flow.nll_bpd(x).numpy(), expected.numpy(), rtol=1e-12)


class BaselineTest(unittest.TestCase):
    def test_a_red_patch_is_far_from_green_texture(self):
        rng = np.random.default_rng(0)
        green = np.clip(rng.normal([0.2, 0.6, 0.2], 0.08, (500, 16, 16, 3)), 0, 1).transpose(0, 3, 1, 2)
        self.assertEqual(features(green).shape, (500, 13))
        b = GaussianBaseline().fit(green.astype(np.float32))
        red = np.clip(rng.normal([0.8, 0.1, 0.1], 0.08, (5, 16, 16, 3)), 0, 1).transpose(0, 3, 1, 2)
        self.assertGreater(b.score(red).min(), b.score(green).max())


class CommittedFilesTest(unittest.TestCase):
    def test_onnx_contract_and_pin(self):
        path = os.path.join(ANOMALY, "crop_flow.onnx")
        m = onnx.load(path)
        onnx.checker.check_model(m)
        self.assertEqual([i.name for i in m.graph.input], ["patches"])
        self.assertEqual([o.name for o in m.graph.output], ["nll_bpd", "llr_bpd"])
        ops = {n.op_type for n in m.graph.node}
        self.assertFalse(ops & {"Inverse", "Det", "Loop", "If"}, ops)
        meta = {p.key: p.value for p in m.metadata_props}
        for k in ("patch", "stride", "analysis_long_side", "score_rule", "threshold", "nll_median_bpd",
                  "nll_scale_bpd", "llr_median_bpd", "llr_scale_bpd", "gen_median_bpd", "gen_scale_bpd",
                  "self_median", "self_scale"):
            self.assertIn(k, meta)
        cal = json.load(open(os.path.join(ANOMALY, "calibration.json")))
        self.assertEqual(meta["score_rule"], cal["score_rule"])
        self.assertAlmostEqual(float(meta["threshold"]), cal["threshold"])
        sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
        rows = [ln.split("\t") for ln in open(os.path.join(ANOMALY, "..", "own-models.tsv")) if ln.startswith("crop-flow\t")]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][1], "models/anomaly/crop_flow.onnx")
        self.assertEqual(rows[0][2], sha)

    def test_defect_set_is_complete_and_its_boxes_match_the_masks(self):
        folder = os.path.join(ANOMALY, "defects")
        meta = json.load(open(os.path.join(folder, "defects.json")))
        counts = {}
        digest = hashlib.sha256()
        for it in meta["items"]:
            counts[it["type"]] = counts.get(it["type"], 0) + 1
            img = cv2.imread(os.path.join(folder, it["file"]))
            self.assertEqual(img.shape, (192, 192, 3), it["file"])
            digest.update(open(os.path.join(folder, it["file"]), "rb").read())
            if it["type"] == "clean":
                self.assertNotIn("mask", it)
                continue
            digest.update(open(os.path.join(folder, it["mask"]), "rb").read())
            mask = cv2.imread(os.path.join(folder, it["mask"]), cv2.IMREAD_GRAYSCALE) > 127
            ys, xs = np.nonzero(mask)
            self.assertEqual(it["bbox_xywh"], [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1),
                                               int(ys.max() - ys.min() + 1)])
        self.assertEqual(counts, {"hole": 12, "dry": 12, "foreign": 12, "missing_row": 12, "clean": 16})
        self.assertEqual(digest.hexdigest(), meta["sha256_of_files"])


if __name__ == "__main__":
    unittest.main()
