#!/usr/bin/env python3
"""Issue 18's benchmark table from bench/detect_memory.sh's files: per stage, rcnn4j's and
torchvision's milliseconds per image (the mean over the runs of each), their ratio, and the FLOP
rate each reaches against the machine's float32 matrix-product rate.

Usage: stage_table.py WORKDIR [PREFIX]   (PREFIX: '' for the 800 x 800 images, 'small-' for 640 x 480)
"""
import glob
import json
import os
import sys

STAGES = ["preprocess", "backbone", "rpn_head", "proposals", "region_features", "head", "predictor", "postprocess"]


def runs(workdir, prefix, peer):
    files = sorted(glob.glob(os.path.join(workdir, f"{prefix}{peer}-[0-9]*.json")))
    return [json.load(open(f)) for f in files]


def mean(values):
    return sum(values) / len(values) if values else float("nan")


def main():
    workdir, prefix = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    ours, theirs = runs(workdir, prefix, "rcnn4j"), runs(workdir, prefix, "torchvision")
    if not ours or not theirs:
        sys.exit(f"no {prefix}rcnn4j-N.json and {prefix}torchvision-N.json in {workdir}")
    print(f"| stage | rcnn4j ms/image | torchvision ms/image | ratio |")
    print("|---|---|---|---|")
    for stage in STAGES + ["total"]:
        if stage == "total":
            a = mean([r["total_ms_per_image"] for r in ours])
            b = mean([1000 * r["seconds_per_image"] for r in theirs])
        else:
            a = mean([r["ms_per_image"][stage] for r in ours])
            b = mean([r["ms_per_image"][stage] for r in theirs])
        print(f"| {stage} | {a:.1f} | {b:.1f} | {a / b:.2f} |" if b > 0 else f"| {stage} | {a:.1f} | {b:.1f} | |")
    gmac = mean([r["gmac_per_image"] for r in theirs])
    peak_file = os.path.join(workdir, "peak-gflops.txt")
    peak = float(open(peak_file).read()) if os.path.exists(peak_file) else float("nan")
    ours_s = mean([r["total_ms_per_image"] for r in ours]) / 1000
    theirs_s = mean([r["seconds_per_image"] for r in theirs])
    print()
    print(f"Network: {gmac:.1f} GMAC ({2 * gmac:.1f} GFLOP) per image, counted by torchvision's hooks over every "
          f"Conv2d and Linear; machine: {peak:.1f} GFLOP/s (float32 2048^2 matrix products, same threads).")
    for name, seconds in (("rcnn4j", ours_s), ("torchvision", theirs_s)):
        rate = 2 * gmac / seconds
        print(f"- {name}: {rate:.1f} GFLOP/s, {100 * rate / peak:.0f} % of that rate")


if __name__ == "__main__":
    main()
