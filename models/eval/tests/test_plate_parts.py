"""Tests of the plate parts of models/eval/build_devset.py (plate_motion, plate_far, plate_signs):
the centred blur kernel and the exact warp (the ground-truth box is where the plate's pixels
go, before and after blur), the documented parameter ranges, per-image determinism, the
negatives of plate_signs (never on a plate), and that synthetic_plate's place_plate still draws
exactly what it drew before. Needs python3-opencv, python3-numpy and python3-pil; the tests that
render text also need the Debian fonts the builder uses (skipped without them). No media."""
import math
import os
import sys
import unittest
from unittest import mock

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import build_devset as bd  # noqa: E402

FONTS = bd.find_fonts()
needs_fonts = unittest.skipUnless(len(FONTS) >= 3, "fonts-dejavu-core / fonts-liberation2 / fonts-freefont-ttf missing")


class StubPool:
    """A BackgroundPool stand-in: a fixed textured canvas, nothing carried, no rng draws."""

    def sample(self, rng, W, H):
        tex = np.random.default_rng(0).integers(60, 140, (H, W, 1), dtype=np.uint8)
        return np.repeat(tex, 3, axis=2), [], "stub"


def alpha_moments(m):
    """Mass and centroid (pixel-edge coordinates) of a 2-D coverage map."""
    yy, xx = np.mgrid[0:m.shape[0], 0:m.shape[1]]
    tot = m.sum()
    return tot, (m * (xx + 0.5)).sum() / tot, (m * (yy + 0.5)).sum() / tot


class BlurKernel(unittest.TestCase):
    def test_line_kernel_is_centred_normalised_and_as_long_as_asked(self):
        for length in (2.0, 4.0, 7.3, 15.0, 24.0):
            for angle in (0.0, 12.5, -40.0, 90.0):
                k = bd.line_kernel(length, angle).astype(np.float64)
                c = k.shape[0] // 2
                self.assertEqual(k.shape[0] % 2, 1)
                self.assertAlmostEqual(k.sum(), 1.0, places=5)
                tot, cx, cy = alpha_moments(k)
                self.assertAlmostEqual(cx - 0.5, c, delta=1e-4)   # centroid on the anchor: no shift
                self.assertAlmostEqual(cy - 0.5, c, delta=1e-4)
                # second moment along the direction = that of a uniform segment (L^2/12), plus
                # the bilinear splat's (f(1 - f) <= 1/4 per axis); across it only the splat's
                a = math.radians(angle)
                yy, xx = np.mgrid[0:k.shape[0], 0:k.shape[1]]
                along = (xx - c) * math.cos(a) - (yy - c) * math.sin(a)
                across = (xx - c) * math.sin(a) + (yy - c) * math.cos(a)
                var_along, var_across = (k * along ** 2).sum(), (k * across ** 2).sum()
                self.assertAlmostEqual(var_along, length ** 2 / 12, delta=0.26 + 0.01 * length ** 2 / 12)
                self.assertLess(var_across, 0.26)

    def test_apply_blur_keeps_mass_and_centroid(self):
        patch = np.zeros((80, 120, 4), np.float32)
        patch[30:50, 40:80] = 255
        for blur in ({"len": 20.0, "angle": 0.0, "defocus": 0.0}, {"len": 11.5, "angle": 33.0, "defocus": 1.2},
                     {"len": 0.0, "angle": 0.0, "defocus": 0.8}):
            out = bd.apply_blur(patch.copy(), blur)
            m0, x0, y0 = alpha_moments(patch[:, :, 3].astype(np.float64))
            m1, x1, y1 = alpha_moments(out[:, :, 3].astype(np.float64))
            self.assertAlmostEqual(m1 / m0, 1.0, delta=1e-4)
            self.assertAlmostEqual(x1, x0, delta=0.01)
            self.assertAlmostEqual(y1, y0, delta=0.01)
            # the spread stays within blur_reach (the patch's padding is sized by it)
            ys, xs = np.nonzero(out[:, :, 3] > 1e-3)
            r = bd.blur_reach(blur)
            self.assertGreaterEqual(xs.min(), 40 - r - 1e-6)
            self.assertLessEqual(xs.max() + 1, 80 + r + 1e-6)


class ExactWarp(unittest.TestCase):
    def test_exact_warp_is_area_sampled_onto_dst(self):
        # (the default mode, kept for synthetic_plate, point-samples a hard outline: its mass
        # and centroid are quantised to about a pixel, and sit ~0.5 (1 - s) px right/below)
        rgba = np.full((220, 1034, 4), 255, np.uint8)
        for target_h, x, y in ((8.0, 300.37, 200.81), (9.0, 41.5, 17.06), (14.0, 700.9, 333.33), (40.0, 12.25, 9.75)):
            s = target_h / 220
            w, h = 1034 * s, 220 * s
            dst = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
            warped, ox, oy, pw, ph, _ = bd.warp_patch(rgba, dst, [x, y, w, h], w, h, s, exact=True)
            a = np.clip(warped[:, :, 3] / 255.0, 0, 1).astype(np.float64)
            m, cx, cy = alpha_moments(a)
            self.assertAlmostEqual(m / (w * h), 1.0, delta=0.01, msg=target_h)
            self.assertAlmostEqual(ox + cx, x + w / 2, delta=0.03, msg=target_h)
            self.assertAlmostEqual(oy + cy, y + h / 2, delta=0.03, msg=target_h)
            # a pixel wholly inside is fully covered, one a pixel outside is empty
            self.assertAlmostEqual(a[int(y + h / 2) - oy, int(x + w / 2) - ox], 1.0, delta=0.01)
            self.assertLess(a[int(y + h / 2) - oy, int(math.floor(x)) - 2 - ox], 0.01)


def white_plate(spec, font_path, H=220):
    """render_plate stand-in: an opaque white rectangle of the same size."""
    return np.full((H, int(round(H * spec["aspect"])), 4), 255, np.uint8)


def flat_projection(w, h, yaw, pitch, roll, f_mult=3.0):
    """project_plate stand-in with no rotation (the angles are still drawn by the caller)."""
    return np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], float)


class PlateGeometry(unittest.TestCase):
    def test_box_is_where_the_plate_pixels_are_with_and_without_blur(self):
        blurs = [{"len": 0.0, "angle": 0.0, "defocus": 0.0}, {"len": 20.0, "angle": 0.0, "defocus": 0.0},
                 {"len": 9.3, "angle": 30.0, "defocus": 1.0}, {"len": 24.0, "angle": -8.0, "defocus": 1.5}]
        with mock.patch.object(bd, "render_plate", white_plate), mock.patch.object(bd, "project_plate", flat_projection):
            for j, blur in enumerate(blurs):
                for seed in range(20):                   # the first plate whose blur halo is inside
                    canvas = np.zeros((720, 1280, 3), np.uint8)
                    res = bd.place_plate(np.random.default_rng([5, j, seed]), canvas, ["unused.ttf"], [],
                                         h_range=(30, 60), blur=blur)
                    x, y, w, h = res[0]
                    r = bd.blur_reach(blur)
                    if x - r > 0 and y - r > 0 and x + w + r < 1280 and y + h + r < 720:
                        break
                col = float(canvas[int(y + h / 2), int(x + w / 2), 1])   # uniform colour, full coverage
                self.assertGreater(col, 50)
                m, cx, cy = alpha_moments(canvas[:, :, 1].astype(np.float64) / col)
                self.assertAlmostEqual(m / (w * h), 1.0, delta=0.01, msg=blur)
                self.assertAlmostEqual(cx, x + w / 2, delta=0.05, msg=blur)
                self.assertAlmostEqual(cy, y + h / 2, delta=0.05, msg=blur)
                self.assertEqual(res[1]["blur_len"], blur["len"])
                self.assertEqual(res[1]["defocus_sigma"], blur["defocus"])
                ys, xs = np.nonzero(canvas[:, :, 1] > 0)
                self.assertGreaterEqual(xs.min(), x - r - 1)
                self.assertLessEqual(xs.max() + 1, x + w + r + 1)

    @needs_fonts
    def test_rendered_rotated_plate_fills_its_box(self):
        for seed in range(4):
            canvas = np.zeros((720, 1280, 3), np.uint8)
            box, attrs = bd.place_plate(np.random.default_rng([6, seed]), canvas, FONTS, [], h_range=(20, 40),
                                        blur={"len": 0.0, "angle": 0.0, "defocus": 0.0})
            x, y, w, h = box
            ys, xs = np.nonzero(canvas.max(axis=2) > 0)
            # every changed pixel touches the box, and the pixels reach all four sides of it
            self.assertGreaterEqual(xs.min(), math.floor(x) - 1)
            self.assertLessEqual(xs.max() + 1, math.ceil(x + w) + 1)
            self.assertGreaterEqual(ys.min(), math.floor(y) - 1)
            self.assertLessEqual(ys.max() + 1, math.ceil(y + h) + 1)
            self.assertLessEqual(xs.min(), x + 2)
            self.assertGreaterEqual(xs.max() + 1, x + w - 2)
            self.assertLessEqual(ys.min(), y + 2)
            self.assertGreaterEqual(ys.max() + 1, y + h - 2)
            self.assertTrue(20 <= attrs["plate_height_px"] <= 40)

    @needs_fonts
    def test_default_place_plate_draws_what_it_drew_before(self):
        # pinned from the builder before the plate_* parts were added: synthetic_plate's boxes
        # (which do not depend on pixel values) and the rng position after three plates
        rng = np.random.default_rng([11, 1, 0])
        canvas = np.full((720, 1280, 3), 100, np.uint8)
        taken, heights = [], []
        for _ in range(3):
            box, attrs = bd.place_plate(rng, canvas, FONTS, taken)
            taken.append(box)
            heights.append(attrs["plate_height_px"])
            self.assertNotIn("blur_len", attrs)
        want = [[294.3638, 539.742, 522.6669, 164.6268], [822.1581, 680.8171, 56.6691, 29.4522],
                [360.1764, 194.0692, 554.3728, 134.465]]
        for got, exp in zip(taken, want):
            for g, e in zip(got, exp):
                self.assertAlmostEqual(g, e, places=3)
        self.assertEqual(heights, [111.5, 28.6, 119.8])
        self.assertAlmostEqual(rng.random(), 0.676295010588043, places=12)


class BlurRanges(unittest.TestCase):
    def test_motion_blur_ranges(self):
        bl = [bd.blur_motion(np.random.default_rng([4, i])) for i in range(400)]
        self.assertTrue(all(4 <= b["len"] <= 24 for b in bl))
        self.assertTrue(all(-90 <= b["angle"] <= 90 for b in bl))
        self.assertTrue(all(b["defocus"] == 0 or 0.4 <= b["defocus"] <= 1.5 for b in bl))
        near = sum(abs(b["angle"]) <= 15 for b in bl) / len(bl)
        self.assertTrue(0.75 <= near <= 0.92, near)       # 80% near-horizontal + the uniform ones that fall there
        defocused = sum(b["defocus"] > 0 for b in bl) / len(bl)
        self.assertTrue(0.2 <= defocused <= 0.4, defocused)
        lens = [b["len"] for b in bl]
        self.assertLess(min(lens), 6)
        self.assertGreater(max(lens), 22)

    def test_slight_blur_ranges(self):
        bl = [bd.blur_slight(np.random.default_rng([5, i])) for i in range(400)]
        for b in bl:
            self.assertTrue(b["len"] == 0 or 2 <= b["len"] <= 4, b)
            self.assertTrue(b["defocus"] == 0 or 0.3 <= b["defocus"] <= 0.8, b)
            self.assertFalse(b["len"] > 0 and b["defocus"] > 0, b)
        none = sum(b["len"] == 0 and b["defocus"] == 0 for b in bl) / len(bl)
        self.assertTrue(0.45 <= none <= 0.65, none)


@needs_fonts
class PlateParts(unittest.TestCase):
    def build(self, part, i, seed=20261123):
        rng = np.random.default_rng([seed, bd.PART_ID[part], i])
        return bd.build_plate_image(rng, part, StubPool(), FONTS)

    def plates(self, boxes):
        return [(b, a) for c, b, a in boxes if c == "plate"]

    def test_registered_after_the_older_parts(self):
        self.assertEqual(bd.ALL_PARTS[:9], ["real", "synthetic_plate", "synthetic_face"] + bd.SMALL_FACE_PART_NAMES)
        self.assertEqual(bd.ALL_PARTS[9:], ["plate_motion", "plate_far", "plate_signs"])
        self.assertEqual([bd.PART_ID[p] for p in bd.PLATE_PART_NAMES], [9, 10, 11])
        self.assertEqual([bd.PART_ID[p] for p in bd.SMALL_FACE_PART_NAMES], list(range(3, 9)))
        self.assertEqual(set(bd.PLATE_PARTS), set(bd.PLATE_PART_NAMES))
        self.assertTrue(all(bd.N_FULL[p] == 40 for p in bd.PLATE_PART_NAMES))

    def test_deterministic_per_image(self):
        for part in bd.PLATE_PART_NAMES:
            a, b = self.build(part, 3), self.build(part, 3)
            self.assertTrue(np.array_equal(a[0], b[0]), part)
            self.assertEqual(a[1:], b[1:], part)
            c = self.build(part, 4)
            self.assertNotEqual(a[1], c[1], part)

    def test_plate_motion_ranges(self):
        for i in range(4):
            canvas, boxes, extra, q = self.build("plate_motion", i)
            pl = self.plates(boxes)
            self.assertTrue(1 <= len(pl) <= 3)
            self.assertIn((canvas.shape[1], canvas.shape[0]), bd.OUT_SIZES)
            for box, at in pl:
                self.assertTrue(14 <= at["plate_height_px"] <= 60, at)
                self.assertTrue(4 <= at["blur_len"] <= 24, at)
                self.assertTrue(-90 <= at["blur_angle"] <= 90, at)
                self.assertTrue(at["defocus_sigma"] == 0 or 0.4 <= at["defocus_sigma"] <= 1.5, at)
            self.assertEqual(extra["variant"], "motion")
            self.assertTrue(60 <= q <= 92)

    def test_plate_far_ranges(self):
        for i in range(4):
            canvas, boxes, extra, q = self.build("plate_far", i)
            pl = self.plates(boxes)
            self.assertEqual(canvas.shape[:2], (720, 1280))
            self.assertTrue(2 <= len(pl) <= 4)
            for box, at in pl:
                self.assertTrue(8 <= at["plate_height_px"] <= 16, at)
                self.assertTrue(at["blur_len"] == 0 or 2 <= at["blur_len"] <= 4, at)
                self.assertTrue(at["defocus_sigma"] == 0 or 0.3 <= at["defocus_sigma"] <= 0.8, at)
                x, y, w, h = box
                self.assertTrue(0 <= x and 0 <= y and x + w <= 1280 and y + h <= 720)
            self.assertEqual(extra["variant"], "far")
            self.assertNotIn("negatives", extra)

    def test_plate_signs_negatives_stay_off_the_plates(self):
        kinds = set()
        for i in range(5):
            canvas, boxes, extra, q = self.build("plate_signs", i)
            H, W = canvas.shape[:2]
            pl = [b for b, _ in self.plates(boxes)]
            negs = extra["negatives"]
            self.assertTrue(1 <= len(pl) <= 2)
            self.assertTrue(3 <= len(negs) <= 6, negs)
            self.assertLessEqual(sum(n["kind"] == "timestamp" for n in negs), 1)
            nb = [n["bbox"] for n in negs]
            for j, n in enumerate(negs):
                kinds.add(n["kind"])
                self.assertIn(n["kind"], bd.NEGATIVE_GEOMETRY)
                self.assertTrue(n["text"])
                lo, hi = bd.NEGATIVE_GEOMETRY[n["kind"]][0]
                self.assertTrue(lo <= n["height_px"] <= hi, n)
                x, y, w, h = n["bbox"]
                self.assertTrue(0 <= x and 0 <= y and x + w <= W and y + h <= H, n)
                # off every plate by 8 px, and off the other negatives
                self.assertFalse(bd.iou_any(n["bbox"], pl, margin=8), (n, pl))
                self.assertFalse(bd.iou_any(n["bbox"], nb[:j] + nb[j + 1:]), n)
                if n["kind"] == "timestamp":             # upright, near a corner of the frame
                    self.assertTrue(min(x, W - x - w) <= 31 and min(y, H - y - h) <= 31, n)
            for box, at in self.plates(boxes):
                self.assertTrue(14 <= at["plate_height_px"] <= 80, at)
            # the negatives are not annotations
            self.assertEqual(len(boxes), len(pl))
        self.assertGreaterEqual(len(kinds), 4, kinds)

    def test_negative_renderings(self):
        rng = np.random.default_rng(9)
        for kind in ["timestamp"] + bd.NEGATIVE_KINDS:
            for _ in range(3):
                rgba, text = bd.render_negative(rng, FONTS, kind)
                self.assertEqual(rgba.dtype, np.uint8)
                self.assertEqual(rgba.shape[2], 4)
                self.assertGreater((rgba[:, :, 3] > 0).mean(), 0.05, kind)
                if kind == "timestamp":
                    self.assertRegex(text, r"\d\d:\d\d:\d\d")
                    self.assertLess((rgba[:, :, 3] > 0).mean(), 0.6)   # bare text, no panel
                if kind == "house_number":
                    self.assertRegex(text, r"^[1-9]\d{0,3}$")
        # the word lists are the dev set's own, not the training generator's
        with open(os.path.join(os.path.dirname(bd.__file__), "build_devset.py")) as f:
            self.assertNotIn("synth", "".join(l for l in f if l.startswith(("import", "from"))))


if __name__ == "__main__":
    unittest.main()
