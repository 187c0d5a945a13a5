#!/usr/bin/env python3
"""Summary of bench/spark_throughput.sh's TSV (one or more, appended): per run, each peer's images/s
over the detection and over the whole process with its ratio to detect's in the same run (the runs
alternate, so a run's peers shared the machine's conditions), peak RSS and CPU seconds; then the
medians over the runs, and the fixed cost of each (the runs on one image).
Usage: spark_throughput_report.py spark-throughput.tsv..."""
import csv
import statistics
import sys

rows = []
for i, name in enumerate(sys.argv[1:]):
    for r in csv.DictReader(open(name), delimiter="\t"):
        r["run"] = f"{i + 1}.{r['run']}" if len(sys.argv) > 2 else r["run"]
        rows.append(r)
runs = sorted({r["run"] for r in rows})
peers = ["detect", "spark-tasks", "spark-1task"]
at = {(r["run"], r["peer"]): r for r in rows}


def value(run, peer, field):
    r = at.get((run, peer))
    return float(r[field]) if r else float("nan")


ratios = {p: ([], []) for p in peers}
print("| run | peer | images/s (detection) | ratio | images/s (process) | ratio | peak RSS MB | CPU s | output |")
print("|---|---|---|---|---|---|---|---|---|")
for run in runs:
    for p in peers:
        if (run, p) not in at:
            continue
        d, pr = value(run, p, "images_per_s"), value(run, p, "process_images_per_s")
        rd, rp = d / value(run, "detect", "images_per_s"), pr / value(run, "detect", "process_images_per_s")
        ratios[p][0].append(rd)
        ratios[p][1].append(rp)
        cpu = value(run, p, "user_s") + value(run, p, "sys_s")
        print(f"| {run} | {p} | {d:.2f} | {rd:.2f} | {pr:.2f} | {rp:.2f} | {value(run, p, 'peak_rss_mb'):.0f} | {cpu:.1f} "
              f"| {at[(run, p)]['same_as_detect']} |")
print()
print("| peer | median ratio, detection | median ratio, process | median peak RSS MB | median CPU s |")
print("|---|---|---|---|---|")
for p in peers:
    mine = [r for r in rows if r["peer"] == p]
    print(f"| {p} | {statistics.median(ratios[p][0]):.2f} | {statistics.median(ratios[p][1]):.2f} "
          f"| {statistics.median(float(r['peak_rss_mb']) for r in mine):.0f} "
          f"| {statistics.median(float(r['user_s']) + float(r['sys_s']) for r in mine):.1f} |")
for p in ("detect-1img", "spark-tasks-1img"):
    mine = [r for r in rows if r["peer"] == p]
    if mine:
        print(f"| {p} (fixed cost) | | | {statistics.median(float(r['peak_rss_mb']) for r in mine):.0f} "
              f"| {statistics.median(float(r['user_s']) + float(r['sys_s']) for r in mine):.1f} "
              f"(wall {statistics.median(float(r['wall_s']) for r in mine):.1f} s) |")
