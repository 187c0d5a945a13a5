#!/usr/bin/env python3
"""Plots and summarises bench/long_run_memory.sh: WORKDIR/{train,detect}-rss.png and long_run_memory.md.

Usage: long_run_memory_report.py WORKDIR
Reads WORKDIR/<run>-rss.tsv (seconds, VmRSS in kB, sampled while the command ran). Warm-up is the
first 10 % of a run's time; growth after it is the highest RSS of the last 10 % against the highest
of the 10 % that follow the warm-up (issue 19 asks for under 5 %).
Needs Debian's python3-matplotlib.
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RUNS = [("train", "train: Faster R-CNN, tiny backbone"), ("detect", "detect: the trained model")]


def read(path):
    with open(path) as f:
        next(f)
        rows = [line.split("\t") for line in f if line.strip()]
    return [float(r[0]) for r in rows], [int(r[1]) / 1024 / 1024 for r in rows]


def window_max(t, rss, lo, hi):
    values = [r for s, r in zip(t, rss) if lo <= s < hi]
    return max(values) if values else float("nan")


def main():
    w = sys.argv[1]
    lines = ["| run | duration | samples | peak RSS | RSS after warm-up (10-20 %) | RSS at the end (last 10 %) | growth |",
             "|---|---|---|---|---|---|---|"]
    for name, title in RUNS:
        path = os.path.join(w, name + "-rss.tsv")
        if not os.path.exists(path):
            continue
        t, rss = read(path)
        end = t[-1]
        after = window_max(t, rss, 0.1 * end, 0.2 * end)
        last = window_max(t, rss, 0.9 * end, end + 1)
        growth = last / after - 1
        lines.append(f"| {name} | {end / 60:.1f} min | {len(t)} | {max(rss):.2f} GB | {after:.2f} GB | {last:.2f} GB | {100 * growth:+.1f} % |")
        fig, ax = plt.subplots(figsize=(7, 3.2))
        ax.plot([s / 60 for s in t], rss, lw=1)
        ax.axvspan(0, 0.1 * end / 60, color="0.9", label="warm-up (first 10 %)")
        ax.set_xlabel("minutes")
        ax.set_ylabel("resident memory (GB)")
        ax.set_ylim(0, max(rss) * 1.15)
        ax.set_title(f"{title}: growth after warm-up {100 * growth:+.1f} %", fontsize=10)
        ax.legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(w, name + "-rss.png"), dpi=110)
        plt.close(fig)
    with open(os.path.join(w, "long_run_memory.md.tmp"), "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(os.path.join(w, "long_run_memory.md.tmp"), os.path.join(w, "long_run_memory.md"))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
