#!/usr/bin/env python3
"""Writes the lineage report of bench/lineage.sh: WORKDIR/lineage.md, lineage.json and lineage.svg.

Usage: lineage_report.py WORKDIR DATA
Reads each model's <model>-voc07.json, -coco.json, -speed.json and -train.seconds, and
fast-rcnn-ss-speed.json (Fast R-CNN with selective search timed as its proposal stage), and
WORKDIR/lineage-notes.md, when present, as the run's conditions. Figures missing from WORKDIR are
left out of the report, not guessed.
"""
import json
import math
import os
import sys

MODELS = [
    ("r-cnn", "R-CNN"),
    ("spp-net-1", "SPP-net, 1 scale"),
    ("spp-net", "SPP-net, 5 scales"),
    ("fast-rcnn", "Fast R-CNN"),
    ("fast-rcnn-svd", "Fast R-CNN + SVD"),
    ("faster-rcnn", "Faster R-CNN (C4)"),
    ("fpn", "FPN"),
]


def load(w, name):
    path = os.path.join(w, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    return json.loads(text) if name.endswith(".json") else float(text)


def figures(w):
    out = {}
    for key, label in MODELS:
        voc, coco, speed = load(w, key + "-voc07.json"), load(w, key + "-coco.json"), load(w, key + "-speed.json")
        m = {"label": label}
        if voc:
            m["voc07"] = voc["mAP"]
        if coco:
            m.update({k: coco[k] for k in ("AP", "AP50", "APs", "APm") if k in coco})
        if speed:
            stages = speed["ms_per_image"]
            m["test_ms"] = speed["total_ms_per_image"]
            m["test_ms_without_proposals"] = speed["total_ms_per_image"] - stages.get("proposals", 0.0)
            m["stages_ms"] = stages
            m["speed_images"] = speed["images"]
        t = load(w, key + "-train.seconds")
        if t is not None:
            m["train_s"] = t
        out[key] = m
    ss = load(w, "fast-rcnn-ss-speed.json")
    if ss:
        out["fast-rcnn-ss"] = {"label": "Fast R-CNN + selective search", "test_ms": ss["total_ms_per_image"],
                               "stages_ms": ss["ms_per_image"], "speed_images": ss["images"]}
    return out


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(x, digits=3):
    return "–" if x is None else f"{x:.{digits}f}"


def times(x):
    return "–" if x is None else (f"{x:.0f}×" if x >= 10 else f"{x:.1f}×")


def get(f, key, field):
    return f.get(key, {}).get(field)


def claims(f):
    rows = []
    rcnn = get(f, "r-cnn", "test_ms_without_proposals")
    for key, paper in (("spp-net-1", "102× overall (ZF-5, 1 scale)"), ("spp-net", "38× overall (5 scales)")):
        rows.append(("R-CNN → " + f.get(key, {}).get("label", key) + ": test time per image, proposals excluded",
                     times(ratio(rcnn, get(f, key, "test_ms_without_proposals"))), paper))
    conv_rcnn = (get(f, "r-cnn", "stages_ms") or {}).get("head")
    for key, paper in (("spp-net-1", "0.053 s against 14.37 s (271×)"), ("spp-net", "0.293 s against 14.37 s (49×)")):
        conv = (get(f, key, "stages_ms") or {}).get("backbone")
        rows.append(("R-CNN's CNN on every warped region against " + f.get(key, {}).get("label", key) + "'s conv maps",
                     times(ratio(conv_rcnn, conv)), paper))
    rows.append(("R-CNN → Fast R-CNN: test time, proposals excluded",
                 times(ratio(rcnn, get(f, "fast-rcnn", "test_ms_without_proposals"))), "146× (VGG16, 47.0 s → 0.32 s)"))
    rows.append(("R-CNN → Fast R-CNN + SVD: test time, proposals excluded",
                 times(ratio(rcnn, get(f, "fast-rcnn-svd", "test_ms_without_proposals"))), "213× (0.22 s)"))
    rows.append(("R-CNN → Fast R-CNN: training wall time", times(ratio(get(f, "r-cnn", "train_s"), get(f, "fast-rcnn", "train_s"))),
                 "8.8× (84 h → 9.5 h)"))
    head = (get(f, "fast-rcnn", "stages_ms") or {}).get("head")
    head_svd = (get(f, "fast-rcnn-svd", "stages_ms") or {}).get("head")
    rows.append(("Fast R-CNN's fc head without / with SVD", times(ratio(head, head_svd)),
                 "fc layers 45 % of the time, 30 % faster overall at −0.3 mAP"))
    rows.append(("Fast R-CNN's voc07 with SVD minus without",
                 fmt(None if get(f, "fast-rcnn-svd", "voc07") is None or get(f, "fast-rcnn", "voc07") is None
                     else get(f, "fast-rcnn-svd", "voc07") - get(f, "fast-rcnn", "voc07")), "−0.003 (66.9 → 66.6)"))
    ss = (get(f, "fast-rcnn-ss", "stages_ms") or {}).get("proposals")
    rpn = get(f, "faster-rcnn", "stages_ms") or {}
    rpn_ms = (rpn.get("rpn_head") or 0) + (rpn.get("proposals") or 0) if rpn else None
    rows.append(("Proposals: selective search (CPU) against the RPN (its head and filter)", times(ratio(ss, rpn_ms)),
                 "1.5 s (CPU) against 0.01 s (GPU); the paper's 10× puts a GPU network against CPU search"))
    rows.append(("Fast R-CNN + selective search → Faster R-CNN: whole test time", times(ratio(get(f, "fast-rcnn-ss", "test_ms"),
                                                                                              get(f, "faster-rcnn", "test_ms"))),
                 "10× (1.83 s → 0.198 s, VGG16, K40 and CPU selective search)"))
    aps_c4, aps_fpn = get(f, "faster-rcnn", "APs"), get(f, "fpn", "APs")
    rows.append(("FPN against C4 on small objects: COCO APs", "%s against %s" % (fmt(aps_fpn), fmt(aps_c4)),
                 "FPN's largest gains are on small objects (Lin et al. 2017, §5)"))
    return rows


def svg(f, path):
    pts = [(m["label"], m["test_ms"] / 1000.0, m["voc07"]) for k, m in f.items()
           if m.get("test_ms") and m.get("voc07") is not None]
    if not pts:
        return False
    w, h, left, bottom, top, right = 720, 440, 70, 50, 20, 200
    xs = [math.log10(p[1]) for p in pts]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    if x1 == x0:
        x1 = x0 + 1
    y0, y1 = 0.0, 1.0
    px = lambda x: left + (math.log10(x) - x0) / (x1 - x0) * (w - left - right)
    py = lambda y: h - bottom - (y - y0) / (y1 - y0) * (h - bottom - top)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{h - bottom}" stroke="black"/>']
    for e in range(x0, x1 + 1):
        x = left + (e - x0) / (x1 - x0) * (w - left - right)
        out.append(f'<line x1="{x:.1f}" y1="{h - bottom}" x2="{x:.1f}" y2="{h - bottom + 5}" stroke="black"/>')
        out.append(f'<text x="{x:.1f}" y="{h - bottom + 18}" text-anchor="middle">{10.0 ** e:g}</text>')
    for i in range(6):
        y = i / 5
        out.append(f'<line x1="{left - 5}" y1="{py(y):.1f}" x2="{left}" y2="{py(y):.1f}" stroke="black"/>')
        out.append(f'<text x="{left - 8}" y="{py(y) + 4:.1f}" text-anchor="end">{y:.1f}</text>')
    out.append(f'<text x="{(left + w - right) / 2:.0f}" y="{h - 10}" text-anchor="middle">test seconds per image (log scale)</text>')
    out.append(f'<text x="16" y="{(top + h - bottom) / 2:.0f}" text-anchor="middle" '
               f'transform="rotate(-90 16 {(top + h - bottom) / 2:.0f})">voc07 mAP</text>')
    placed = []
    for label, t, m in sorted(pts, key=lambda p: py(p[2])):
        x, y = px(t), py(m)
        ty = y + 4
        # Labels of nearby points would overlap: move this one below the last one it would touch.
        for lx, ly in placed:
            if abs(lx - x) < 120 and abs(ly - ty) < 13:
                ty = ly + 13
        placed.append((x, ty))
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="steelblue"/>')
        out.append(f'<text x="{x + 7:.1f}" y="{ty:.1f}">{label}</text>')
    out.append("</svg>")
    with open(path + ".tmp", "w") as fh:
        fh.write("\n".join(out) + "\n")
    os.replace(path + ".tmp", path)
    return True


def main():
    w, data = sys.argv[1], sys.argv[2]
    f = figures(w)
    rows = claims(f)
    lines = [f"# The lineage side by side ({data})", "",
             "Written by `bench/lineage_report.py` from the figures `bench/lineage.sh` measured; test times are "
             "per image on this machine's CPU, by `rcnn4j bench speed` (proposals from a file unless said).", ""]
    notes = os.path.join(w, "lineage-notes.md")
    if os.path.exists(notes):
        with open(notes) as fh:
            lines += [fh.read().strip(), ""]
    lines += [
             "| detector | voc07 | COCO AP | APs | test s/image (proposals excluded) | training |",
             "|---|---|---|---|---|---|"]
    for key, label in MODELS + [("fast-rcnn-ss", "Fast R-CNN + selective search")]:
        m = f.get(key)
        if not m:
            continue
        t = m.get("test_ms_without_proposals", m.get("test_ms"))
        train = m.get("train_s")
        shown = "–" if t is None else f"{t / 1000:.3f}"
        if key == "fast-rcnn-ss" and t is not None:
            shown += " (selective search included)"
        lines.append("| %s | %s | %s | %s | %s | %s |" % (m["label"], fmt(m.get("voc07")), fmt(m.get("AP")), fmt(m.get("APs")),
                                                     shown, "–" if train is None else f"{train:.0f} s"))
    ranked = sorted((m for k, m in f.items() if m.get("voc07") is not None), key=lambda m: -m["voc07"])
    lines += ["", "## Against the papers' claims", "", "| comparison | measured | the paper |", "|---|---|---|"]
    lines += ["| %s | %s | %s |" % r for r in rows]
    lines += ["", "Accuracy ordering measured: " + " > ".join(m["label"] for m in ranked) + ".",
              "The papers' (VOC 2007 test, VGG16 unless said): Faster R-CNN 69.9 > Fast R-CNN 66.9 > R-CNN 66.0 > "
              "SPPnet 63.1 (Fast R-CNN Table 4; SPP-net with ZF-5: 59.2 at 5 scales, 58.0 at 1, R-CNN 59.2); FPN "
              "reports COCO, above the C4 Faster R-CNN.", ""]
    if svg(f, os.path.join(w, "lineage.svg")):
        lines += ["![voc07 mAP against test seconds per image](lineage.svg)", ""]
    with open(os.path.join(w, "lineage.md.tmp"), "w") as fh:
        fh.write("\n".join(lines))
    os.replace(os.path.join(w, "lineage.md.tmp"), os.path.join(w, "lineage.md"))
    with open(os.path.join(w, "lineage.json.tmp"), "w") as fh:
        json.dump({"data": data, "models": f, "claims": [dict(zip(("comparison", "measured", "paper"), r)) for r in rows]},
                  fh, indent=1)
    os.replace(os.path.join(w, "lineage.json.tmp"), os.path.join(w, "lineage.json"))


if __name__ == "__main__":
    main()
