#!/usr/bin/env python3
"""Summary of bench/spark_throughput.sh's TSV: per peer the median over the runs of images/s (the
detection itself and the whole process), images/s per further image once started (from the runs on
one image), peak RSS and CPU seconds, and each rate as a ratio to detect's.
Usage: spark_throughput_report.py spark-throughput.tsv IMAGES"""
import csv
import statistics
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
images = int(sys.argv[2])


def median(peer, field):
    values = [float(r[field]) for r in rows if r["peer"] == peer and r[field] not in ("", "reference")]
    return statistics.median(values) if values else float("nan")


def marginal(peer):
    base = "spark-tasks" if peer.startswith("spark") else "detect"
    one = median(base + "-1img", "wall_s")
    return (images - 1) / (median(peer, "wall_s") - one)


peers = ["detect", "spark-tasks", "spark-1task"]
stats = {p: (median(p, "images_per_s"), median(p, "process_images_per_s"), marginal(p)) for p in peers}
print("| | images/s (detection) | images/s (process) | images/s per further image | peak RSS MB | CPU s (user + sys) | output |")
print("|---|---|---|---|---|---|---|")
for p in peers:
    d, pr, m = stats[p]
    base = stats["detect"]
    cpu = median(p, "user_s") + median(p, "sys_s")
    same = {r["same_as_detect"] for r in rows if r["peer"] == p}
    print(f"| {p} | {d:.2f} ({d / base[0]:.2f}×) | {pr:.2f} ({pr / base[1]:.2f}×) | {m:.2f} ({m / base[2]:.2f}×) "
          f"| {median(p, 'peak_rss_mb'):.0f} | {cpu:.1f} | {'/'.join(sorted(same))} |")
for p in ("detect-1img", "spark-tasks-1img"):
    print(f"| {p} (fixed cost) | | | | {median(p, 'peak_rss_mb'):.0f} | {median(p, 'user_s') + median(p, 'sys_s'):.1f} "
          f"(wall {median(p, 'wall_s'):.1f} s) | |")
