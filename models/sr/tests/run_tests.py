"""Run the SR sampler and uncertainty-evaluation tests; final line "N passed, N failed". Exit 1 on failure."""
import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
suite = unittest.defaultTestLoader.discover(here, pattern="test_*.py", top_level_dir=here)
res = unittest.TextTestRunner(verbosity=2).run(suite)
failed = len(res.failures) + len(res.errors)
passed = res.testsRun - failed - len(res.skipped)
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and res.testsRun > 0 else 1)
