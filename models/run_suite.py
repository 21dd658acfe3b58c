"""Runs one folder's unittest suite (test_*.py) and prints a final line 'N passed, N failed'.

Usage: python3 models/run_suite.py <tests folder>. Exit 1 on any failure or when nothing ran.
A test method whose subtests fail counts once, as one failed test.
"""
import os
import sys
import unittest

if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    sys.exit("usage: run_suite.py <tests folder>")
here = os.path.abspath(sys.argv[1])
suite = unittest.defaultTestLoader.discover(here, pattern="test_*.py", top_level_dir=here)
res = unittest.TextTestRunner(verbosity=2).run(suite)
failed_ids = set()
for test, _ in res.failures + res.errors:
    failed_ids.add(getattr(test, "test_case", test).id())   # a subtest counts as its test method
failed = len(failed_ids)
passed = res.testsRun - failed - len(res.skipped)
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and res.testsRun > 0 else 1)
