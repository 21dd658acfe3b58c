"""layer_variants.py's --minutes / --steps modes parse as documented (no training here)."""
import os
import sys
import unittest

SR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, SR)
from layer_variants import parse_args  # noqa: E402


class LayerVariantsArgsTest(unittest.TestCase):
    def test_default_is_six_minutes_each(self):
        a = parse_args([])
        self.assertEqual(a.minutes, 6.0)
        self.assertIsNone(a.steps)
        self.assertTrue(a.out.endswith("layer_variants.json"))

    def test_steps_mode(self):
        a = parse_args(["--steps", "600"])
        self.assertEqual(a.steps, 600)
        self.assertIsNone(a.minutes)
        self.assertTrue(a.out.endswith("layer_variants_steps.json"))

    def test_minutes_still_works(self):
        a = parse_args(["--minutes", "8", "--out", "/tmp/x.json"])
        self.assertEqual((a.minutes, a.steps, a.out), (8.0, None, "/tmp/x.json"))

    def test_steps_and_minutes_exclusive_and_steps_positive(self):
        with open(os.devnull, "w") as null:
            old, sys.stderr = sys.stderr, null
            try:
                with self.assertRaises(SystemExit):
                    parse_args(["--steps", "10", "--minutes", "2"])
                with self.assertRaises(SystemExit):
                    parse_args(["--steps", "0"])
            finally:
                sys.stderr = old


if __name__ == "__main__":
    unittest.main()
