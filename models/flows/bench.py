"""Speed benchmarks for the flow layer library (CPU, float32, torch.no_grad, 1 thread).
Timings are the minimum over repetitions, with the compared variants interleaved, because the
2-core machine this ran on was shared with other jobs.

(a) QuadCoupling vs AffineCoupling: time of one coupling step (forward and inverse) at equal
    channel width C and equal hidden width, for several C and image sizes.
(b) Inverting a masked (causal) k x k conv: parallel anti-diagonal wavefront solve
    (H + W - 1 steps) vs naive sequential per-pixel solve (H * W steps), k = 3, 5.

Usage: /usr/bin/python3 models/flows/bench.py [--json models/flows/bench_result.json] [--threads 1]
"""
import argparse
import json
import os
import platform
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flows as fl  # noqa: E402


STAT = min   # min over repetitions: least affected by other processes on a shared CPU


def timeit(fn, reps, warmup=2):
    return timeall([fn], reps, warmup)[0]


def timeall(fns, reps, warmup=2):
    """Time several functions interleaved (so background load hits all of them alike);
    returns STAT (min) over `reps` repetitions for each, in seconds."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    ts = [[] for _ in fns]
    for _ in range(reps):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            ts[i].append(time.perf_counter() - t)
    return [STAT(t) for t in ts]


def perturb(m, std=0.05):
    with torch.no_grad():
        for p in m.parameters():
            p.add_(torch.randn_like(p) * std)
    return m


def bench_coupling(reps):
    rows = []
    for C in (16, 32, 64):
        for S in (32, 64, 128):
            torch.manual_seed(0)
            x = torch.randn(1, C, S, S)
            aff = perturb(fl.AffineCoupling(C, hidden=64)).eval()
            quad = perturb(fl.QuadCoupling(C, hidden=64)).eval()
            r = {"C": C, "size": S, "hidden": 64}
            with torch.no_grad():
                ya, _ = aff(x)
                yq, _ = quad(x)
                t = timeall([lambda: aff(x), lambda: aff.inverse(ya), lambda: quad(x), lambda: quad.inverse(yq)], reps)
                r["affine_fwd_ms"], r["affine_inv_ms"], r["quad_fwd_ms"], r["quad_inv_ms"] = [1e3 * v for v in t]
            r["affine_params"] = sum(p.numel() for p in aff.parameters())
            r["quad_params"] = sum(p.numel() for p in quad.parameters())
            # time to transform the same number of channels: affine moves C/2, quad 3C/4 per step
            r["affine_fwd_ms_per_transformed_ch"] = r["affine_fwd_ms"] / (C // 2)
            r["quad_fwd_ms_per_transformed_ch"] = r["quad_fwd_ms"] / (3 * C // 4)
            rows.append(r)
    return rows


def bench_inverse(reps, channels=8):
    rows = []
    for k in (3, 5):
        for S in (16, 32, 64):
            torch.manual_seed(0)
            m = perturb(fl.MaskedConv(channels, k, seed=0)).eval()
            K = m.kernel().detach()
            y = torch.randn(1, channels, S, S)
            r = {"k": k, "size": S, "C": channels, "wavefront_steps": 2 * S - 1, "sequential_steps": S * S}
            with torch.no_grad():
                r["conv_fwd_ms"] = 1e3 * timeit(lambda: fl.causal_conv(y, K), max(reps, 5))
                nseq = reps if S <= 32 else max(3, reps // 3)
                r["wavefront_ms"], r["sequential_ms"] = [1e3 * v for v in timeall(
                    [lambda: fl.solve_causal(y, K, method="wavefront"),
                     lambda: fl.solve_causal(y, K, method="sequential")], nseq, warmup=1)]
                a = fl.solve_causal(y, K, method="wavefront")
                b = fl.solve_causal(y, K, method="sequential")
                r["max_abs_diff"] = float((a - b).abs().max())
            r["speedup"] = r["sequential_ms"] / r["wavefront_ms"]
            rows.append(r)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_result.json"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(), "python": platform.python_version(),
            "machine": platform.machine(), "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    print("# environment", json.dumps(info))
    cpl = bench_coupling(args.reps)
    print("\n(a) coupling step, one network evaluation, batch 1, hidden 64, min-of-reps ms")
    print(f"{'C':>4} {'size':>5} | {'affine fwd':>10} {'affine inv':>10} | {'quad fwd':>9} {'quad inv':>9} |"
          f" {'aff ms/tr.ch':>12} {'quad ms/tr.ch':>13} | {'aff params':>10} {'quad params':>11}")
    for r in cpl:
        print(f"{r['C']:>4} {r['size']:>5} | {r['affine_fwd_ms']:>10.3f} {r['affine_inv_ms']:>10.3f} |"
              f" {r['quad_fwd_ms']:>9.3f} {r['quad_inv_ms']:>9.3f} | {r['affine_fwd_ms_per_transformed_ch']:>12.4f}"
              f" {r['quad_fwd_ms_per_transformed_ch']:>13.4f} | {r['affine_params']:>10} {r['quad_params']:>11}")
    inv = bench_inverse(args.reps)
    print("\n(b) inverse of a masked k x k conv, C = 8, batch 1, min-of-reps ms")
    print(f"{'k':>2} {'size':>5} | {'conv fwd':>9} | {'wavefront':>10} ({'steps':>5}) | {'sequential':>11} ({'steps':>5})"
          f" | {'speedup':>7} | {'max|diff|':>9}")
    for r in inv:
        print(f"{r['k']:>2} {r['size']:>5} | {r['conv_fwd_ms']:>9.3f} | {r['wavefront_ms']:>10.2f} ({r['wavefront_steps']:>5})"
              f" | {r['sequential_ms']:>11.2f} ({r['sequential_steps']:>5}) | {r['speedup']:>6.1f}x | {r['max_abs_diff']:>9.2e}")
    with open(args.json, "w") as f:
        json.dump({"env": info, "coupling": cpl, "masked_conv_inverse": inv}, f, indent=1)
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
