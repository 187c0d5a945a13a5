#!/usr/bin/env python3
"""Prints the figures of bench/fashion_rcnn.sh WORKDIR as markdown tables: accuracy of R-CNN's
variants and Fast R-CNN on the test subset, training time by stage, inference by stage, and the
R-CNN / Fast R-CNN ratios. Usage: bench/fashion_rcnn_report.py WORKDIR"""
import json
import os
import sys

W = sys.argv[1]


def load(name):
    path = os.path.join(W, name)
    return json.load(open(path)) if os.path.exists(path) else None


def fmt(seconds):
    m, s = divmod(round(seconds), 60)
    return f"{m}m{s:02d}s"


print("## Accuracy on the test subset\n")
print("| model | voc07 mAP | AP | AP50 | AP75 | APs | APm | APl |")
print("|---|---|---|---|---|---|---|---|")
for name, label in [("r-cnn-svm-bb", "R-CNN, SVMs + box regression"), ("r-cnn-svm", "R-CNN, SVMs"),
                    ("r-cnn-softmax", "R-CNN, fine-tuned softmax"), ("fast-rcnn", "Fast R-CNN")]:
    voc, coco = load(f"{name}-voc07.json"), load(f"{name}-coco.json")
    if voc is None or coco is None:
        continue
    cells = [f"{voc['mAP']:.3f}"] + [f"{coco[k]:.3f}" for k in ("AP", "AP50", "AP75", "APs", "APm", "APl")]
    print(f"| {label} | " + " | ".join(cells) + " |")

print("\n## Training\n")
rcnn = load("r-cnn/model.json")
fast = load("fast-rcnn/model.json")
if rcnn and fast:
    t = rcnn["training"]
    stages = dict(zip(t["stages"], t["stage_seconds"]))
    wall = {m: float(open(os.path.join(W, f"{m}-train.seconds")).read()) for m in ("r-cnn", "fast-rcnn")}
    print("| | R-CNN | Fast R-CNN |")
    print("|---|---|---|")
    print(f"| fine-tuning iterations | {t['iterations']} | {fast['training']['iterations']} |")
    for s in t["stages"]:
        print(f"| {s} | {fmt(stages[s])} | |")
    print(f"| training (the library's clock) | {fmt(t['seconds'])} | {fmt(fast['training']['seconds'])} |")
    print(f"| `train` command, wall | {fmt(wall['r-cnn'])} | {fmt(wall['fast-rcnn'])} |")
    print(f"\nTraining-time ratio R-CNN / Fast R-CNN (the commands' wall time): {wall['r-cnn'] / wall['fast-rcnn']:.2f}x; "
          f"feature cache {t['feature_cache_bytes'] / 1e6:.0f} MB for {t['svm_images']} images "
          f"(fc7 scale {t['feature_scale_fc7']:.4f}, pool5 scale {t['feature_scale_pool5']:.4f}).")

print("\n## Inference by stage (ms per image)\n")
runs = [("r-cnn", "R-CNN, SVMs + box regression"), ("r-cnn-svm", "R-CNN, SVMs"), ("fast-rcnn", "Fast R-CNN"),
        ("r-cnn-227", "R-CNN, 227×227 warp")]
speeds = {n: load(f"{n}-speed.json") for n, _ in runs}
stages = []
for n, _ in runs:
    if speeds[n]:
        for s in speeds[n]["ms_per_image"]:
            if s not in stages:
                stages.append(s)
present = [(n, label) for n, label in runs if speeds[n]]
if not present:
    sys.exit(0)
print("| stage | " + " | ".join(label for _, label in present) + " |")
print("|---|" + "---|" * len(present))
for s in stages:
    print(f"| {s} | " + " | ".join(f"{speeds[n]['ms_per_image'].get(s, 0):.1f}" for n, _ in present) + " |")
print("| total | " + " | ".join(f"**{speeds[n]['total_ms_per_image']:.1f}**" for n, _ in present) + " |")
print("| images | " + " | ".join(str(speeds[n]["images"]) for n, _ in present) + " |")
if speeds["r-cnn"] and speeds["fast-rcnn"]:
    print(f"\nTest-time ratio R-CNN / Fast R-CNN: {speeds['r-cnn']['total_ms_per_image'] / speeds['fast-rcnn']['total_ms_per_image']:.1f}x")
if speeds["r-cnn-227"] and speeds["fast-rcnn"]:
    print(f"At the paper's 227×227 warp: {speeds['r-cnn-227']['total_ms_per_image'] / speeds['fast-rcnn']['total_ms_per_image']:.1f}x")
