#!/usr/bin/env python3
"""Tabulates bench/fashion_robustness.sh's figures as Markdown (stdout) and JSON (WORKDIR/robustness.json).

For each augmentation setting and each held-out family F: the model trained without F, tested on
F (held out) and on the four families it trained on (in distribution: the mean of the four test
sets), the gap between the two, the model trained on all five families tested on F, and the
held-out figure against that one (what not having seen F costs, apart from F being harder).
"""
import json
import os
import sys

FAMILIES = ["classic", "periodic", "aperiodic", "sharp", "smooth"]


def figures(w, model, family):
    """(voc07 mAP, COCO AP, AR100) of model on test-family, or None when not measured."""
    base = os.path.join(w, f"{model}-on-{family}")
    try:
        with open(base + "-voc07.json") as f:
            voc = json.load(f)["mAP"]
        with open(base + "-coco.json") as f:
            coco = json.load(f)
        return voc, coco["AP"], coco["AR100"]
    except FileNotFoundError:
        return None


def mean(values):
    return sum(values) / len(values)


def main():
    w = sys.argv[1]
    rows = []
    for aug in ["none", "aug"]:
        for held in FAMILIES:
            out = figures(w, f"{aug}-no-{held}", held)
            seen = [figures(w, f"{aug}-no-{held}", f) for f in FAMILIES if f != held]
            ref = figures(w, f"{aug}-all", held)
            if out is None or any(s is None for s in seen):
                continue
            rows.append({
                "augmentation": aug, "held_out": held,
                "held_out_voc07": out[0], "held_out_ap": out[1], "held_out_ar100": out[2],
                "in_distribution_voc07": mean([s[0] for s in seen]),
                "in_distribution_ar100": mean([s[2] for s in seen]),
                "all_families_voc07": ref[0] if ref else None,
                "all_families_ar100": ref[2] if ref else None,
            })
    with open(os.path.join(w, "robustness.json"), "w") as f:
        json.dump(rows, f, indent=1)
    print("| augmentation | held out | held-out voc07 | in-distribution voc07 | gap | held-out AR100 "
          "| in-distribution AR100 | trained on all: voc07 on it | AR100 | held out against seen |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ref = r["all_families_voc07"]
        seen = "–" if ref is None else f"{r['held_out_voc07'] - ref:+.3f}"
        print(f"| {r['augmentation']} | {r['held_out']} | {r['held_out_voc07']:.3f} | {r['in_distribution_voc07']:.3f} "
              f"| {r['held_out_voc07'] - r['in_distribution_voc07']:+.3f} | {r['held_out_ar100']:.3f} "
              f"| {r['in_distribution_ar100']:.3f} | {'–' if ref is None else f'{ref:.3f}'} "
              f"| {'–' if ref is None else format(r['all_families_ar100'], '.3f')} | {seen} |")


if __name__ == "__main__":
    main()
