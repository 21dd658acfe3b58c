"""Tests of the degraded small-face parts of models/eval/build_devset.py: the paste geometry
(the ground-truth box is where the pixels go), the per-image determinism, and the documented
parameter ranges of the degradations. Needs python3-opencv and python3-numpy only (no media)."""
import math
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import build_devset as bd  # noqa: E402


def rect_source(h=150, w=120, box=(30.0, 40.0, 60.0, 70.0)):
    """A premultiplied BGRA crop, transparent except an opaque white rectangle = the face box."""
    bgra = np.zeros((h, w, 4), np.float32)
    x, y, bw, bh = box
    bgra[int(y):int(y + bh), int(x):int(x + bw)] = (255, 255, 255, 1)
    return bgra, box


def mass(canvas):
    m = canvas[:, :, 0].astype(np.float64) / 255.0
    yy, xx = np.mgrid[0:m.shape[0], 0:m.shape[1]]
    tot = m.sum()
    return tot, (m * (xx + 0.5)).sum() / tot, (m * (yy + 0.5)).sum() / tot


class PasteGeometry(unittest.TestCase):
    def test_upright_box_matches_pixels(self):
        bgra, box = rect_source()
        canvas = np.zeros((300, 400, 3), np.uint8)
        got = bd.paste_small(canvas, bgra, box, (201.3, 147.6), 0.0)
        self.assertAlmostEqual(got[0], 201.3 - 30.0, places=6)
        self.assertAlmostEqual(got[1], 147.6 - 35.0, places=6)
        self.assertAlmostEqual(got[2], 60.0, places=6)
        self.assertAlmostEqual(got[3], 70.0, places=6)
        tot, cx, cy = mass(canvas)
        self.assertAlmostEqual(tot, 60 * 70, delta=60 * 70 * 0.01)   # uint8 rounding only
        self.assertAlmostEqual(cx, 201.3, delta=0.05)                 # no half-pixel shift
        self.assertAlmostEqual(cy, 147.6, delta=0.05)

    def test_rotated_box_is_aabb_of_rotated_corners(self):
        bgra, box = rect_source()
        for angle in (-35.0, 20.0):
            canvas = np.zeros((300, 400, 3), np.uint8)
            got = bd.paste_small(canvas, bgra, box, (190.5, 160.25), angle)
            aw, ah = bd.rotated_box_size(60.0, 70.0, angle)
            self.assertAlmostEqual(got[2], aw, places=6)
            self.assertAlmostEqual(got[3], ah, places=6)
            self.assertAlmostEqual(got[0] + got[2] / 2, 190.5, places=6)
            tot, cx, cy = mass(canvas)
            self.assertAlmostEqual(cx, 190.5, delta=0.1)
            self.assertAlmostEqual(cy, 160.25, delta=0.1)
            ys, xs = np.nonzero(canvas[:, :, 0] > 127)                # pixels inside the box
            self.assertGreaterEqual(xs.min() + 0.5, got[0] - 0.5)
            self.assertLessEqual(xs.max() + 0.5, got[0] + got[2] + 0.5)
            self.assertGreaterEqual(ys.min() + 0.5, got[1] - 0.5)
            self.assertLessEqual(ys.max() + 0.5, got[1] + got[3] + 0.5)

    def test_positive_angle_turns_counter_clockwise_on_screen(self):
        bgra, box = rect_source()
        bgra[:] = 0
        bgra[70:80, 80:90] = (255, 255, 255, 1)          # a marker right of the box centre (60, 75)
        canvas = np.zeros((300, 400, 3), np.uint8)
        bd.paste_small(canvas, bgra, box, (200.0, 150.0), 30.0)
        _, cx, cy = mass(canvas)
        r = 25.0                                          # marker centre (85, 75) is 25 px right
        self.assertAlmostEqual(cx, 200 + r * math.cos(math.radians(30)), delta=0.2)
        self.assertAlmostEqual(cy, 150 - r * math.sin(math.radians(30)), delta=0.2)

    def test_resize_maps_edges_by_the_exact_scale(self):
        # place_small_face relies on cv2.resize mapping pixel-edge coordinate u to u * (new/old)
        import cv2
        bgra, box = rect_source(h=151, w=123)
        for s in (0.09, 0.23, 0.4):
            nw, nh = int(round(123 * s)), int(round(151 * s))
            small = cv2.resize(bgra, (nw, nh), interpolation=cv2.INTER_AREA)
            sx, sy = nw / 123, nh / 151
            m = small[:, :, 3].astype(np.float64)
            yy, xx = np.mgrid[0:nh, 0:nw]
            self.assertAlmostEqual((m * (xx + 0.5)).sum() / m.sum(), (30 + 30) * sx, delta=0.03)
            self.assertAlmostEqual((m * (yy + 0.5)).sum() / m.sum(), (40 + 35) * sy, delta=0.03)
            self.assertAlmostEqual(m.sum(), 60 * 70 * sx * sy, delta=60 * 70 * sx * sy * 0.01)


def fake_sources():
    rng = np.random.default_rng(1)
    img = rng.integers(0, 255, (400, 400, 3), dtype=np.uint8)
    return [{"img": img, "bbox": [150, 120, 110, 150], "from": "fake_a"},
            {"img": img, "bbox": [60, 40, 80, 104], "from": "fake_b"}]


class SmallFaces(unittest.TestCase):
    def test_placement_deterministic_in_range_and_inside(self):
        src = fake_sources()
        for rot in (None, (15, 40)):
            runs = []
            for _ in range(2):
                rng = np.random.default_rng([7, 3, 0])
                canvas = np.full((720, 1280, 3), 90, np.uint8)
                taken, out = [], []
                for _ in range(6):
                    res = bd.place_small_face(rng, canvas, src, taken, (10, 40), rot_range=rot)
                    if res is not None:
                        taken.append(res[0])
                        out.append(res)
                runs.append((out, canvas))
            self.assertEqual([r[0] for r in runs[0][0]], [r[0] for r in runs[1][0]])
            self.assertTrue(np.array_equal(runs[0][1], runs[1][1]))
            self.assertGreaterEqual(len(runs[0][0]), 4)
            for box, attrs in runs[0][0]:
                x, y, w, h = box
                self.assertTrue(0 <= x and 0 <= y and x + w <= 1280 and y + h <= 720)
                # +-4% for the integer resize of the crop
                self.assertTrue(10 * 0.96 <= attrs["face_height_px"] <= 40 * 1.04, attrs)
                if rot:
                    self.assertTrue(15 <= abs(attrs["rotation_deg"]) <= 40, attrs)
                    self.assertGreater(h, attrs["face_height_px"])

    def test_crowd_faces_do_not_overlap(self):
        rng = np.random.default_rng([7, 8, 0])
        canvas = np.full((720, 1280, 3), 90, np.uint8)
        taken = []
        for _ in range(15):
            res = bd.place_small_face(rng, canvas, fake_sources(), taken, (12, 48), region=(300, 200, 700, 360),
                                      tight=True)
            if res is not None:
                taken.append(res[0])
        self.assertGreaterEqual(len(taken), 8)
        for i, b in enumerate(taken):
            self.assertFalse(bd.iou_any(b, taken[:i] + taken[i + 1:]))


class Degradations(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(3)
        self.img = np.clip(rng.normal(128, 40, (180, 320, 3)), 0, 255).astype(np.uint8)

    def test_lowlight_cuts_mean_luminance(self):
        lum0 = bd.luminance(self.img).mean()
        for i in range(5):
            out, q, p = bd.degrade_lowlight(np.random.default_rng([1, i]), self.img)
            ratio = bd.luminance(out).mean() / lum0
            self.assertTrue(0.12 <= ratio <= 0.40, (ratio, p))       # 15-35% plus noise/clipping
            self.assertAlmostEqual(ratio, p["lum_ratio"], delta=0.05)
            self.assertTrue(55 <= q <= 85)

    def test_jpeg_and_motion_ranges(self):
        for i in range(10):
            _, q, p = bd.degrade_jpeg(np.random.default_rng([2, i]), self.img)
            self.assertTrue(20 <= q <= 35)
            self.assertTrue(p["resample"] == 1.0 or 0.5 <= p["resample"] <= 0.8)
            out, q, p = bd.degrade_motion(np.random.default_rng([3, i]), self.img)
            self.assertTrue(5 <= p["blur_len"] <= 15 and 0 <= p["blur_angle"] <= 180)
            self.assertLess(out.astype(np.float32).std(), self.img.astype(np.float32).std())

    def test_parts_registered(self):
        self.assertEqual(set(bd.SMALL_FACE_PARTS), set(bd.SMALL_FACE_PART_NAMES))
        self.assertEqual(bd.ALL_PARTS[:3], ["real", "synthetic_plate", "synthetic_face"])
        # the original parts' seeds and counts must never move
        self.assertEqual((bd.PART_ID["synthetic_plate"], bd.PART_ID["synthetic_face"]), (1, 2))
        self.assertEqual((bd.N_FULL["synthetic_plate"], bd.N_FULL["synthetic_face"]), (150, 80))
        self.assertEqual(len(set(bd.PART_ID.values())), len(bd.PART_ID))


if __name__ == "__main__":
    unittest.main()
