"""Tests of models/eval/build_devclips.py, the development video clips: the --small build is
deterministic (a serial and a parallel build give identical gt.txt, clip.json and manifest),
its files agree with each other (seqinfo.ini, frames, manifest hashes), every gt row is inside
the image, visibility and conf follow the documented rule, rows exist exactly where the box
overlaps the image, the speeds in clip.json are the gt box centre's motion, edge entries start
partial, and the gt box is where the pasted pixels are (faces and plates, within 1 px).
Needs python3-opencv, python3-numpy, python3-pil, the Debian fonts, and the media and
background photographs in .cache (tests/media/fetch-media.sh, models/eval/fetch-backgrounds.sh);
the tests that need them are skipped, with the reason, when they are missing."""
import configparser
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.abspath(os.path.join(HERE, ".."))
ROOT = os.path.abspath(os.path.join(EVAL, "..", ".."))
sys.path.insert(0, EVAL)
import build_devclips as bc  # noqa: E402
import build_devset as bd  # noqa: E402

MEDIA = os.path.join(ROOT, ".cache", "media")
BGROOT = os.path.join(ROOT, ".cache", "devset-bg", "root")
ANN = os.path.join(EVAL, "real_annotations.json")
W, H = bc.W, bc.H


def missing_inputs():
    for name in ("Megamind.avi", "messi5.jpg", "vtest.avi"):
        if not os.path.exists(os.path.join(MEDIA, name)):
            return f"{MEDIA}/{name} missing: run tests/media/fetch-media.sh"
    for row in bd.read_tsv(os.path.join(EVAL, "backgrounds.tsv")):
        if not os.path.exists(os.path.join(BGROOT, row[2])):
            return f"background {row[0]} missing: run models/eval/fetch-backgrounds.sh"
    if len(bd.find_fonts()) < 3:
        return "fonts-dejavu-core / fonts-liberation2 / fonts-freefont-ttf missing"
    return None


MISSING = missing_inputs()
needs_inputs = unittest.skipIf(MISSING is not None, MISSING or "")


_RES = {}


def resources():
    """build_devclips.load_resources, loaded once for all the test classes."""
    if not _RES:
        _RES.update(bc.load_resources(MEDIA, BGROOT, ANN))
    return _RES


def read_gt(path):
    rows = []
    with open(path) as f:
        for line in f:
            v = line.strip().split(",")
            rows.append((int(v[0]), int(v[1]), float(v[2]), float(v[3]), float(v[4]), float(v[5]), int(v[6]),
                         int(v[7]), float(v[8])))
    return rows


def read_text(path):
    with open(path) as f:
        return f.read()


def build(out, *extra):
    cmd = ["/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable,
           os.path.join(EVAL, "build_devclips.py"), "--out", out, "--small", *extra]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if res.returncode != 0:
        raise AssertionError(f"build failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")


def pixel_extent(mask):
    """[x0, y0, x1, y1] in pixel-edge coordinates of the pixels set in mask."""
    ys, xs = np.nonzero(mask)
    return [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]


@needs_inputs
class SmallBuild(unittest.TestCase):
    """One serial and one parallel --small build into a temporary folder."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="devclips-test-")
        cls.a, cls.b = os.path.join(cls.tmp, "a"), os.path.join(cls.tmp, "b")
        build(cls.a, "--jobs", "1")
        build(cls.b, "--jobs", "2")
        cls.names = sorted(d for d in os.listdir(cls.a) if os.path.exists(os.path.join(cls.a, d, "seqinfo.ini")))
        cls.meta = {n: json.load(open(os.path.join(cls.a, n, "clip.json"))) for n in cls.names}
        cls.gt = {n: read_gt(os.path.join(cls.a, n, "gt", "gt.txt")) for n in cls.names}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_small_is_the_first_clips_truncated(self):
        self.assertEqual(self.names, [bc.clip_name(i) for i in range(bc.SMALL_CLIPS)])
        for n in self.names:
            self.assertEqual(self.meta[n]["frames"], bc.SMALL_FRAMES)
            self.assertTrue(self.meta[n]["truncated"])

    def test_two_builds_are_identical(self):
        for f in ("manifest.tsv", "clips.tsv"):
            self.assertEqual(read_text(os.path.join(self.a, f)), read_text(os.path.join(self.b, f)), f)
        for n in self.names:
            for f in ("gt/gt.txt", "clip.json", "seqinfo.ini"):
                self.assertEqual(read_text(os.path.join(self.a, n, f)), read_text(os.path.join(self.b, n, f)),
                                 f"{n}/{f}")

    def test_manifest_lists_every_frame_and_gt_with_its_hash(self):
        listed = dict(line.rstrip("\n").split("\t") for line in open(os.path.join(self.a, "manifest.tsv")))
        files = (glob.glob(os.path.join(self.a, "*", "img1", "*.jpg")) + glob.glob(os.path.join(self.a, "*", "gt", "gt.txt"))
                 + glob.glob(os.path.join(self.a, "*", "gt", "visible", "*.png")))
        on_disk = sorted(os.path.relpath(p, self.a) for p in files)
        self.assertEqual(sorted(listed), on_disk)
        for rel, h in listed.items():
            self.assertEqual(bd.sha256(os.path.join(self.a, rel)), h, rel)

    def test_seqinfo_matches_the_frames_written(self):
        for n in self.names:
            ini = configparser.ConfigParser()
            ini.read(os.path.join(self.a, n, "seqinfo.ini"))
            s = ini["Sequence"]
            self.assertEqual(s["name"], n)
            self.assertEqual(s["imDir"], "img1")
            self.assertEqual(int(s["frameRate"]), 25)
            self.assertEqual(s["imExt"], ".jpg")
            N = int(s["seqLength"])
            files = sorted(os.listdir(os.path.join(self.a, n, "img1")))
            self.assertEqual(files, [f"{i:06d}.jpg" for i in range(1, N + 1)])
            for f in (files[0], files[-1]):
                img = cv2.imread(os.path.join(self.a, n, "img1", f))
                self.assertEqual(img.shape, (int(s["imHeight"]), int(s["imWidth"]), 3))
            self.assertEqual((int(s["imWidth"]), int(s["imHeight"])), (1280, 720))
            self.assertEqual(self.meta[n]["frames"], N)
            self.assertLessEqual(max(r[0] for r in self.gt[n]), N)
        tsv = [line.rstrip("\n").split("\t") for line in open(os.path.join(self.a, "clips.tsv"))
               if not line.startswith("#")]
        self.assertEqual([r[0] for r in tsv], self.names)
        for r in tsv:
            self.assertEqual(int(r[1]), self.meta[r[0]]["frames"])
            self.assertEqual(int(r[2]), len(self.meta[r[0]]["tracks"]))

    def test_rows_are_inside_the_image_sorted_and_classed(self):
        for n in self.names:
            cls_of = {t["id"]: t["class_id"] for t in self.meta[n]["tracks"]}
            rows = self.gt[n]
            self.assertEqual(rows, sorted(rows, key=lambda r: (r[0], r[1])))
            self.assertEqual(len({(r[0], r[1]) for r in rows}), len(rows))
            for fr, tid, x, y, w, h, conf, cls, vis in rows:
                self.assertTrue(1 <= fr <= self.meta[n]["frames"])
                self.assertIn(tid, cls_of)
                self.assertEqual(cls, cls_of[tid])
                self.assertIn(cls, (1, 2))
                self.assertTrue(0 <= x and 0 <= y and w > 0 and h > 0, (n, fr, tid))
                self.assertLessEqual(x + w, W + 1e-6)
                self.assertLessEqual(y + h, H + 1e-6)

    def test_visibility_and_conf_rule(self):
        n_ignored = n_partial = 0
        for n in self.names:
            boxes = {t["id"]: t["per_frame"]["box"] for t in self.meta[n]["tracks"]}
            for fr, tid, x, y, w, h, conf, cls, vis in self.gt[n]:
                self.assertTrue(0.0 <= vis <= 1.0)
                self.assertEqual(conf, 1 if vis >= 0.2 else 0, (n, fr, tid, vis))
                fx, fy, fw, fh = boxes[tid][fr - 1]
                inside = w * h / (fw * fh)            # the in-image part of the full box
                self.assertLessEqual(vis, inside + 0.011, (n, fr, tid))
                n_ignored += conf == 0
                n_partial += inside < 0.99
        self.assertGreater(n_ignored, 0)
        self.assertGreater(n_partial, 0)

    def test_visible_masks_exist_exactly_for_counted_rows_with_something_in_front(self):
        masks = 0
        for n in self.names:
            for fr, tid, x, y, w, h, conf, cls, vis in self.gt[n]:
                path = os.path.join(self.a, n, "gt", "visible", f"{fr:06d}_{tid}.png")
                if not os.path.exists(path):
                    continue
                masks += 1
                self.assertEqual(conf, 1, path)
                m = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
                # One mask pixel per image pixel the clipped box touches, from floor(x), floor(y).
                self.assertEqual(m.shape, (math.ceil(y + h) - math.floor(y), math.ceil(x + w) - math.floor(x)), path)
                self.assertTrue(set(np.unique(m)) <= {0, 255}, path)
                self.assertTrue((m == 0).any(), path)
                # The visible share of the clipped box agrees with the row's visibility (full box) within
                # the rounding of the box's edge pixels and of partly transparent layers.
                self.assertLessEqual((m == 255).mean(), 1.0)
            for fr, tid, x, y, w, h, conf, cls, vis in self.gt[n]:
                if conf == 1 and vis < 0.5 and x > 1 and y > 1 and x + w < bc.W - 1 and y + h < bc.H - 1:
                    self.assertTrue(os.path.exists(os.path.join(self.a, n, "gt", "visible", f"{fr:06d}_{tid}.png")),
                                    f"{n} frame {fr} track {tid}: half hidden inside the image, but no mask")
        self.assertGreater(masks, 0)

    def test_a_row_exactly_where_the_full_box_overlaps_the_image(self):
        for n in self.names:
            have = {(r[0], r[1]): r for r in self.gt[n]}
            for t in self.meta[n]["tracks"]:
                for i, (x, y, w, h) in enumerate(t["per_frame"]["box"]):
                    ox = min(W, x + w) - max(0, x)
                    oy = min(H, y + h) - max(0, y)
                    row = have.get((i + 1, t["id"]))
                    if ox > 0.02 and oy > 0.02:
                        self.assertIsNotNone(row, (n, i + 1, t["id"]))
                        self.assertAlmostEqual(row[2], max(0.0, x), delta=0.011)
                        self.assertAlmostEqual(row[3], max(0.0, y), delta=0.011)
                        self.assertAlmostEqual(row[4], ox, delta=0.021)
                        self.assertAlmostEqual(row[5], oy, delta=0.021)
                        self.assertEqual(row[8], t["per_frame"]["visibility"][i])
                    elif ox <= 0 or oy <= 0:
                        self.assertIsNone(row, (n, i + 1, t["id"]))

    def test_speed_is_the_gt_centre_motion_for_constant_velocity(self):
        pairs = 0
        for n in self.names:
            for t in self.meta[n]["tracks"]:
                if t["path"] != "constant":
                    continue
                v = t["speed_px_per_frame"]["nominal"][0]
                rows = {r[0]: r for r in self.gt[n] if r[1] == t["id"]}
                for fr in sorted(rows):
                    a, b = rows[fr], rows.get(fr + 1)
                    if b is None or a[8] < 1.0 or b[8] < 1.0:
                        continue                          # occluded or clipped by the image edge
                    ca = (a[2] + a[4] / 2, a[3] + a[5] / 2)
                    cb = (b[2] + b[4] / 2, b[3] + b[5] / 2)
                    self.assertAlmostEqual(math.hypot(cb[0] - ca[0], cb[1] - ca[1]), v, delta=0.03,
                                           msg=(n, t["id"], fr))
                    pairs += 1
                self.assertEqual(t["speed_px_per_frame"]["min"], t["speed_px_per_frame"]["max"])
        self.assertGreaterEqual(pairs, 20)

    def test_edge_entries_start_outside_then_partial(self):
        n_edge = 0
        for n in self.names:
            for t in self.meta[n]["tracks"]:
                if not t["enters_from_edge"]:
                    continue
                n_edge += 1
                self.assertGreater(t["first_frame"], 1)
                first = next(r for r in self.gt[n] if r[1] == t["id"])
                fx, fy, fw, fh = t["per_frame"]["box"][first[0] - 1]
                self.assertLess(first[4] * first[5], 0.99 * fw * fh)
                edge = t["entry_edge"]
                touch = {"left": first[2] == 0, "top": first[3] == 0, "right": abs(first[2] + first[4] - W) < 0.011,
                         "bottom": abs(first[3] + first[5] - H) < 0.011}[edge]
                self.assertTrue(touch, (n, t["id"], edge, first))
                self.assertIn(first[0], t["partial_frames"])
        self.assertGreater(n_edge, 0)

    def test_clip_json_frame_lists_agree_with_gt(self):
        blurred = occluded = 0
        for n in self.names:
            ex = self.meta[n]["motion_blur"]["exposure"]
            for t in self.meta[n]["tracks"]:
                rows = {r[0]: r for r in self.gt[n] if r[1] == t["id"]}
                self.assertEqual(t["rows"], len(rows))
                self.assertEqual(t["hidden_frames"], sorted(f for f, r in rows.items() if r[6] == 0))
                for f in t["occluded_frames"]:
                    self.assertIn(f, rows)
                occluded += len(t["occluded_frames"])
                bl = t["per_frame"]["blur_len"]
                self.assertEqual(t["blurred_frames"], [f for f in sorted(rows) if bl[f - 1] > 0])
                if t["motion_blur"] and t["path"] == "constant":
                    for f in t["blurred_frames"]:
                        self.assertAlmostEqual(bl[f - 1], ex * t["speed_px_per_frame"]["nominal"][0], delta=0.02)
                if not t["motion_blur"]:
                    self.assertEqual(t["blurred_frames"], [])
                blurred += len(t["blurred_frames"])
            for o in self.meta[n]["occluders"]:
                self.assertIn(o["kind"], ("pole", "cutout", "vehicle"))
            cam = self.meta[n]["background"]["camera"]
            self.assertLessEqual(cam["max_drift_px_per_frame"], 3.05)
            self.assertEqual(cam["max_drift_px_per_frame"] == 0, cam["kind"] == "static")
        self.assertGreater(blurred, 0)
        self.assertGreater(occluded, 0)

    def test_in_process_render_matches_the_written_frames(self):
        clip = bc.Clip(0, bc.DEFAULT_SEED, resources())
        self.assertEqual(clip.N, bc.CLIPS[0]["frames"])      # planned for the full length
        for t in (0, bc.SMALL_FRAMES - 1):
            img, info, _ = clip.render(t)
            ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, bc.JPEG_QUALITY])
            with open(os.path.join(self.a, clip.name, "img1", f"{t + 1:06d}.jpg"), "rb") as f:
                self.assertEqual(enc.tobytes(), f.read())


def rect_face_source(h=160, w=130, box=(33.0, 41.0, 64.0, 78.0)):
    """Premultiplied BGRA: opaque white exactly on the face box, transparent elsewhere."""
    src = np.zeros((h, w, 4), np.float32)
    x, y, bw, bh = box
    src[int(y):int(y + bh), int(x):int(x + bw)] = (255, 255, 255, 1)
    return src, box


NO_BLUR = {"len": 0.0, "angle": 0.0, "defocus": 0.0}


class Geometry(unittest.TestCase):
    """The builder's paste, blur, visibility and rounding, on synthetic inputs (no media)."""

    def paste(self, patch, x0, y0):
        canvas = np.zeros((H, W, 3), np.float32)
        bc.composite_premult(canvas, patch, x0, y0)
        return canvas

    def test_face_patch_box_is_where_the_pixels_go(self):
        src, face = rect_face_source()
        rng = np.random.default_rng(3)
        for _ in range(12):
            centre = (rng.uniform(200, 1000), rng.uniform(150, 550))
            patch, x0, y0, box = bc.render_face_patch(src, face, centre, 0.0, NO_BLUR)
            self.assertAlmostEqual(box[0] + box[2] / 2, centre[0], places=9)
            self.assertAlmostEqual(box[1] + box[3] / 2, centre[1], places=9)
            # bilinear: a pixel is over half covered iff its centre is inside the edge; OpenCV
            # resolves the warp's source coordinates to 1/32 px
            ext = pixel_extent(self.paste(patch, x0, y0)[:, :, 0] > 127.5)
            for got, want in zip(ext, [box[0], box[1], box[0] + box[2], box[1] + box[3]]):
                self.assertLessEqual(abs(got - want), 0.5 + 1 / 32 + 1e-6)
            m = patch[:, :, 3].astype(np.float64)
            yy, xx = np.mgrid[0:m.shape[0], 0:m.shape[1]]
            self.assertAlmostEqual((m * (xx + 0.5)).sum() / m.sum() + x0, centre[0], delta=0.02)
            self.assertAlmostEqual((m * (yy + 0.5)).sum() / m.sum() + y0, centre[1], delta=0.02)

    def test_tilted_face_box_is_the_rotated_corners_box(self):
        src, face = rect_face_source()
        for angle in (-12.0, 7.5):
            patch, x0, y0, box = bc.render_face_patch(src, face, (640.3, 360.7), angle, NO_BLUR)
            aw, ah = bd.rotated_box_size(face[2], face[3], angle)
            self.assertAlmostEqual(box[2], aw, places=6)
            self.assertAlmostEqual(box[3], ah, places=6)
            ext = pixel_extent(self.paste(patch, x0, y0)[:, :, 0] > 60)
            for got, want in zip(ext, [box[0], box[1], box[0] + box[2], box[1] + box[3]]):
                self.assertLessEqual(abs(got - want), 1.0)

    def test_face_patch_matches_build_devset_paste_small(self):
        src, face = rect_face_source()
        yy, xx = np.mgrid[0:src.shape[0], 0:src.shape[1]].astype(np.float32)
        tex = 128 + 100 * np.sin(xx / 7)[:, :, None] * np.cos(yy / 9)[:, :, None] * np.float32([1, 0.5, -0.8])
        src[:, :, :3] = tex * src[:, :, 3:4]             # smooth: OpenCV's 1/32 px steps change little
        for angle in (0.0, 20.0):
            canvas = np.full((H, W, 3), 90, np.uint8)
            want = bd.paste_small(canvas, src, face, (500.37, 300.81), angle)
            a = math.radians(angle)
            R = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
            trans = np.array([500.37, 300.81]) - R @ [face[0] + face[2] / 2, face[1] + face[3] / 2]
            # with paste_small's margin (pad 0) the warp is the same, so the pixels are too
            # (paste_small truncates to uint8 where this rounds)
            patch, x0, y0 = bc.warp_affine_patch(src, R, trans, pad=0)
            mine = np.full((H, W, 3), 90, np.float32)
            bc.composite_premult(mine, patch, x0, y0)
            self.assertLessEqual(np.abs(np.rint(mine) - canvas.astype(np.float32)).max(), 1.0)
            # render_face_patch: the same box; its wider margin moves OpenCV's 1/32 px
            # coordinate steps, which shows at the rectangle's sharp edges only
            patch, x0, y0, box = bc.render_face_patch(src, face, (500.37, 300.81), angle, NO_BLUR)
            np.testing.assert_allclose(box, want, atol=1e-9)
            mine = np.full((H, W, 3), 90, np.float32)
            bc.composite_premult(mine, patch, x0, y0)
            d = np.abs(np.rint(mine) - canvas.astype(np.float32))
            self.assertLessEqual(d.max(), 255 / 32 + 1)
            self.assertLess(d.mean(), 0.01)

    def test_motion_blur_keeps_the_centroid_and_has_the_asked_length(self):
        src, face = rect_face_source()
        for length, ang in ((12.0, 0.0), (25.0, -30.0)):
            blur = {"len": length, "angle": ang, "defocus": 0.0}
            sharp, sx0, sy0, box = bc.render_face_patch(src, face, (640.25, 360.5), 0.0, NO_BLUR)
            patch, x0, y0, box2 = bc.render_face_patch(src, face, (640.25, 360.5), 0.0, blur)
            self.assertEqual(box, box2)                       # the box is the sharp object's
            for p, ox, oy in ((sharp, sx0, sy0), (patch, x0, y0)):
                m = p[:, :, 3].astype(np.float64)
                yy, xx = np.mgrid[0:m.shape[0], 0:m.shape[1]]
                self.assertAlmostEqual((m * (xx + 0.5)).sum() / m.sum() + ox, 640.25, delta=0.03)
                self.assertAlmostEqual((m * (yy + 0.5)).sum() / m.sum() + oy, 360.5, delta=0.03)
            if ang == 0.0:
                ext = pixel_extent(patch[:, :, 3] > 1e-3)
                self.assertAlmostEqual((ext[2] - ext[0]) - face[2], length, delta=2.5)

    def test_visibility_is_the_uncovered_fraction(self):
        occ = np.zeros((40, 21, 4), np.float32)
        occ[:, :, 3] = 1.0                                   # opaque, columns 100..120, rows 40..79
        self.assertAlmostEqual(bc.visibility((100.0, 50.0, 40.0, 20.0), [(occ, 100, 40)]), 19 / 40)
        self.assertAlmostEqual(bc.visibility((100.5, 50.25, 40.0, 20.0), [(occ, 100, 40)]), 19.5 / 40)
        half = occ.copy()
        half[:, :, 3] = 0.5
        self.assertAlmostEqual(bc.visibility((100.0, 50.0, 21.0, 20.0), [(half, 100, 40)]), 0.5)
        self.assertAlmostEqual(bc.visibility((100.0, 50.0, 21.0, 20.0), [(half, 100, 40), (half, 100, 40)]), 0.25)
        self.assertAlmostEqual(bc.visibility((-10.0, 0.0, 20.0, 10.0), []), 0.5)      # half outside
        self.assertAlmostEqual(bc.visibility((1275.5, 715.0, 9.0, 10.0), []), 4.5 * 5 / 90)
        self.assertEqual(bc.visibility((-30.0, 0.0, 20.0, 10.0), []), 0.0)

    def test_clip_box_rounding_stays_inside(self):
        self.assertEqual(bc.clip_box((-3.2, 10.004, 20.0, 5.0)), [0.0, 10.0, 16.8, 5.0])
        x, y, w, h = bc.clip_box((1270.006, 700.0, 9.999, 30.0))
        self.assertLessEqual(x + w, 1280.0)
        self.assertLessEqual(y + h, 720.0)
        self.assertIsNone(bc.clip_box((1279.996, 10.0, 5.0, 5.0)))
        self.assertIsNone(bc.clip_box((-5.0, 10.0, 5.0, 5.0)))

    def test_blur_follows_the_motion(self):
        b = bc.blur_for((10.0, 0.0), 0.5)
        self.assertEqual((b["len"], b["angle"]), (5.0, 0.0))
        b = bc.blur_for((0.0, -8.0), 1.0)                    # moving up the screen
        self.assertEqual((b["len"], b["angle"]), (8.0, 90.0))
        self.assertEqual(bc.blur_for((0.3, 0.2), 1.0)["len"], 0.0)
        self.assertEqual(bc.blur_for((30.0, 0.0), 0.0)["len"], 0.0)

    def test_speed_bins_and_clip_table(self):
        total = sum(c["frames"] for c in bc.CLIPS)
        self.assertTrue(20 <= len(bc.CLIPS) <= 24)
        self.assertLessEqual(total, 1500)
        bins, paths = set(), set()
        for c in bc.CLIPS:
            self.assertTrue(50 <= c["frames"] <= 80)
            self.assertTrue(1 <= len(c["tracks"]) <= 4)
            for t in c["tracks"]:
                sp = t["speed"] if isinstance(t["speed"], tuple) else (t["speed"],)
                bins.update(sp)
                paths.add(t["path"])
        self.assertEqual(bins, set(bc.BINS))
        self.assertEqual(paths, {"static", "constant", "accelerate", "decelerate", "curve", "stop_go", "reverse"})


@needs_inputs
class RealTracks(unittest.TestCase):
    """The clips' own face and plate tracks, with their appearance swapped for an opaque
    rectangle on the object box: the pasted pixels cover the gt box, within 1 px."""

    @classmethod
    def setUpClass(cls):
        cls.clips = [bc.Clip(i, bc.DEFAULT_SEED, resources()) for i in range(bc.SMALL_CLIPS)]

    def check(self, patch, x0, y0, box, thr=0.5):
        if box[0] < 1 or box[1] < 1 or box[0] + box[2] > W - 1 or box[1] + box[3] > H - 1:
            return 0                                      # cut by the image edge: not comparable
        canvas = np.zeros((H, W, 3), np.float32)
        bc.composite_premult(canvas, patch, x0, y0)
        mask = canvas[:, :, 0] > 255 * thr
        if not mask.any():
            return 0
        ext = pixel_extent(mask)
        want = [box[0], box[1], box[0] + box[2], box[1] + box[3]]
        for got, w in zip(ext, want):
            self.assertLessEqual(abs(got - w), 1.0, (ext, box))
        return 1

    def test_face_tracks(self):
        n = 0
        for clip in self.clips:
            for tr in clip.tracks:
                if tr["cls"] != "face":
                    continue
                obj = tr["obj"]
                h, w = obj.src.shape[:2]
                fx, fy, fw, fh = obj.face
                yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
                cov = (np.clip(np.minimum(xx + 1, fx + fw) - np.maximum(xx, fx), 0, 1) *
                       np.clip(np.minimum(yy + 1, fy + fh) - np.maximum(yy, fy), 0, 1)).astype(np.float32)
                saved = obj.src
                obj.src = np.dstack([cov * 255] * 3 + [cov]).astype(np.float32)
                try:
                    for t in range(0, bc.SMALL_FRAMES, 5):
                        patch, x0, y0, box = obj.render(t, tr["pos"][t], NO_BLUR)
                        n += self.check(patch, x0, y0, box, thr=0.5 if obj.angle(t) == 0 else 0.25)
                finally:
                    obj.src = saved
        self.assertGreater(n, 5)

    def test_plate_tracks(self):
        n = 0
        for clip in self.clips:
            for tr in clip.tracks:
                if tr["cls"] != "plate":
                    continue
                obj = tr["obj"]
                saved = obj.rgba, obj.plate_rect, obj.gain, obj.contrast
                rgba = np.zeros_like(obj.rgba)
                px, py = 7, 9
                pw, ph = rgba.shape[1] - 20, rgba.shape[0] - 25
                rgba[py:py + ph, px:px + pw] = 255
                obj.rgba, obj.plate_rect, obj.gain, obj.contrast = rgba, (px, py, pw, ph), 1.0, 1.0
                try:
                    for t in range(0, bc.SMALL_FRAMES, 5):
                        patch, x0, y0, box = obj.render(t, tr["pos"][t], NO_BLUR)
                        n += self.check(patch, x0, y0, box)
                finally:
                    obj.rgba, obj.plate_rect, obj.gain, obj.contrast = saved
        self.assertGreater(n, 3)


if __name__ == "__main__":
    unittest.main()
