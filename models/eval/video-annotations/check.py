#!/usr/bin/env python3
"""Checks the sparse face annotations in this folder (no media needed).

For each sequence folder (one per video: gt.txt, frames.txt, seqinfo.ini) it checks that
  - seqinfo.ini has [Sequence] name, frameRate, seqLength, imWidth, imHeight, source, sha256;
  - frames.txt lists strictly increasing frame numbers within 1..seqLength;
  - every gt.txt row is frame,id,x,y,w,h,conf,class,visibility with integer frame/id,
    w, h > 0, conf 0 or 1, class 1 (face), visibility in [0, 1];
  - every row's frame is listed in frames.txt (an annotated frame with no rows holds no face);
  - every box lies inside the image;
  - ids are consistent: an id appears at most once per frame, always with class 1.
Usage: check.py [SEQ_DIR ...]   (default: every sub-folder with a gt.txt). Exit 1 on a problem.
"""
import configparser
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIRED = ("name", "frameRate", "seqLength", "imWidth", "imHeight", "source", "sha256")


def check_sequence(seq_dir):
    """Returns (list of problems, summary dict) for one sequence folder."""
    problems = []
    ini = configparser.ConfigParser()
    ini.optionxform = str
    if not ini.read(os.path.join(seq_dir, "seqinfo.ini")) or "Sequence" not in ini:
        return [f"{seq_dir}: seqinfo.ini missing or without [Sequence]"], {}
    seq = ini["Sequence"]
    for key in REQUIRED:
        if key not in seq:
            problems.append(f"{seq_dir}/seqinfo.ini: missing {key}")
    if problems:
        return problems, {}
    n, width, height = int(seq["seqLength"]), int(seq["imWidth"]), int(seq["imHeight"])
    sha = seq["sha256"]
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        problems.append(f"{seq_dir}/seqinfo.ini: sha256 is not 64 lower-case hex digits")

    frames = []
    with open(os.path.join(seq_dir, "frames.txt")) as fh:
        for k, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                frames.append(int(line))
            except ValueError:
                problems.append(f"{seq_dir}/frames.txt:{k}: not an integer: {line.strip()!r}")
    if frames != sorted(set(frames)):
        problems.append(f"{seq_dir}/frames.txt: frame numbers not strictly increasing")
    if frames and (frames[0] < 1 or frames[-1] > n):
        problems.append(f"{seq_dir}/frames.txt: frames outside 1..{n}")
    annotated = set(frames)

    seen = set()
    rows = 0
    ids = set()
    with open(os.path.join(seq_dir, "gt.txt")) as fh:
        for k, line in enumerate(fh, 1):
            where = f"{seq_dir}/gt.txt:{k}"
            if not line.strip():
                continue
            parts = line.strip().split(",")
            if len(parts) != 9:
                problems.append(f"{where}: {len(parts)} fields, expected 9")
                continue
            try:
                frame, tid = int(parts[0]), int(parts[1])
                x, y, w, h = (float(p) for p in parts[2:6])
                conf, cls, vis = int(parts[6]), int(parts[7]), float(parts[8])
            except ValueError:
                problems.append(f"{where}: malformed row {line.strip()!r}")
                continue
            rows += 1
            ids.add(tid)
            if frame not in annotated:
                problems.append(f"{where}: frame {frame} is not in frames.txt")
            if tid < 1:
                problems.append(f"{where}: id {tid} < 1")
            if w <= 0 or h <= 0:
                problems.append(f"{where}: w and h must be > 0")
            if x < 0 or y < 0 or x + w > width or y + h > height:
                problems.append(f"{where}: box {x},{y},{w},{h} outside the {width}x{height} image")
            if conf not in (0, 1):
                problems.append(f"{where}: conf must be 0 or 1")
            if cls != 1:
                problems.append(f"{where}: class must be 1 (face)")
            if not 0.0 <= vis <= 1.0:
                problems.append(f"{where}: visibility outside [0, 1]")
            if (frame, tid) in seen:
                problems.append(f"{where}: id {tid} appears twice in frame {frame}")
            seen.add((frame, tid))
    return problems, {"frames": len(frames), "rows": rows, "ids": len(ids)}


def main(argv):
    dirs = argv or sorted(os.path.join(HERE, d) for d in os.listdir(HERE)
                          if os.path.isfile(os.path.join(HERE, d, "gt.txt")))
    bad = 0
    for d in dirs:
        problems, summary = check_sequence(d)
        for p in problems:
            print(p)
        bad += len(problems)
        print(f"{os.path.basename(os.path.normpath(d))}: {summary} {'ok' if not problems else 'FAILED'}")
    return 1 if bad or not dirs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
