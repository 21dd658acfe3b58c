"""Write the 12 held-out test photos as the HR images eval.py scores (long side 1024, even size,
PIL LANCZOS; srdata.make_pair), as PNG, for the Java side: `bin/edge-agent eval-sr --dataset DIR`.

  /usr/bin/python3 models/sr/write_test_hr.py /tmp/sr_test_hr
"""
import os
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from srdata import load_set  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/sr_test_hr"
os.makedirs(out, exist_ok=True)
for name, _, hr, _ in load_set("test", (1024,)):
    Image.fromarray(hr).save(os.path.join(out, os.path.splitext(name)[0] + ".png"))
print(f"{len(os.listdir(out))} HR images in {out}")
