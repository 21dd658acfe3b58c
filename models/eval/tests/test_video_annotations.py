"""Runs models/eval/video-annotations/check.py on both annotated videos (Megamind, vtest) and
checks that the checker itself catches broken rows. Fast; needs no media."""
import importlib.util
import os
import shutil
import tempfile
import unittest

ANN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "video-annotations")
spec = importlib.util.spec_from_file_location("video_annotations_check", os.path.join(ANN, "check.py"))
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


class VideoAnnotations(unittest.TestCase):
    def test_both_sequences_are_well_formed(self):
        for name, min_frames in (("Megamind", 30), ("vtest", 30)):
            with self.subTest(name=name):
                problems, summary = check.check_sequence(os.path.join(ANN, name))
                self.assertEqual(problems, [])
                self.assertGreaterEqual(summary["frames"], min_frames)
                self.assertGreater(summary["rows"], 0)

    def test_checker_rejects_bad_rows(self):
        tmp = tempfile.mkdtemp()
        try:
            seq = os.path.join(tmp, "seq")
            shutil.copytree(os.path.join(ANN, "Megamind"), seq)
            with open(os.path.join(seq, "gt.txt"), "a") as fh:
                fh.write("2,1,10,10,5,5,1,1,1\n")        # frame 2 is not annotated
                fh.write("6,1,10,10,5,5,1,1,1\n")        # id 1 twice in frame 6
                fh.write("11,9,700,500,40,40,1,1,1\n")   # outside the 720x528 image
                fh.write("16,9,1,1,5\n")                 # too few fields
            problems, _ = check.check_sequence(seq)
            text = "\n".join(problems)
            self.assertIn("not in frames.txt", text)
            self.assertIn("appears twice", text)
            self.assertIn("outside the 720x528 image", text)
            self.assertIn("expected 9", text)
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main()
