#!/usr/bin/env python3
"""Writes the COCO bbox evaluation fixtures that CocoEvaluatorReferenceTest compares against.

Usage: coco_reference_fixtures.py PYCOCOTOOLS_DIR OUT_DIR

PYCOCOTOOLS_DIR is a folder holding a built `pycocotools` package (the COCO API's PythonAPI
folder after `setup.py build_ext --inplace`); it is not part of rcnn4j. For every case this
writes OUT_DIR/<case>/{gt.json, results.json, expected.json}: the ground truth and detections
it generated, and COCOeval's 12 `stats`, its per-category AP (IoU .50:.95, area all, 100 dets)
and its per-category precision at IoU 0.5 (101 recall points, area all, 100 dets).

Coordinates are multiples of 1/4 and scores are float32 values so that Java's float records
hold exactly the numbers COCOeval sees.
"""
import json
import os
import random
import sys
import types


def load_cocoeval(path):
    sys.path.insert(0, path)
    import numpy as np
    if not hasattr(np, "float"):  # COCOeval.accumulate uses the alias numpy 1.24 removed
        np.float = float
    try:
        import matplotlib  # noqa: F401  (coco.py imports it for display only)
    except ImportError:
        mpl = types.ModuleType("matplotlib")
        for sub in ("pyplot", "collections", "patches"):
            m = types.ModuleType("matplotlib." + sub)
            m.PatchCollection = m.Polygon = object
            sys.modules["matplotlib." + sub] = m
            setattr(mpl, sub, m)
        sys.modules["matplotlib"] = mpl
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    return np, COCO, COCOeval


def q(v):
    """Rounds to a quarter pixel: exact in float32 and float64 alike."""
    return round(v * 4) / 4


def score(rng):
    import numpy as np
    return float(np.float32(round(rng.random(), 3)))


class Case:
    def __init__(self, name, categories):
        self.name = name
        self.categories = [{"id": cid, "name": nm} for cid, nm in categories]
        self.images, self.anns, self.dets = [], [], []

    def image(self, image_id, w=640, h=480):
        self.images.append({"id": image_id, "file_name": "img%d.png" % image_id, "width": w, "height": h})

    def gt(self, image_id, cat, box, area=None, crowd=0):
        x, y, w, h = [q(v) for v in box]
        self.anns.append({"id": len(self.anns) + 1, "image_id": image_id, "category_id": cat,
                          "bbox": [x, y, w, h], "area": w * h if area is None else area, "iscrowd": crowd})

    def det(self, image_id, cat, box, s):
        x, y, w, h = [q(v) for v in box]
        self.dets.append({"image_id": image_id, "category_id": cat, "bbox": [x, y, w, h], "score": s})


def jitter(rng, box, amount):
    x, y, w, h = box
    return [x + rng.gauss(0, amount * w), y + rng.gauss(0, amount * h),
            max(1.0, w * (1 + rng.gauss(0, amount))), max(1.0, h * (1 + rng.gauss(0, amount)))]


def random_box(rng, lo=6, hi=300):
    side = lo * (hi / lo) ** rng.random()
    aspect = 2 ** rng.uniform(-1, 1)
    w, h = side * aspect ** 0.5, side / aspect ** 0.5
    return [rng.uniform(0, 640 - min(w, 600)), rng.uniform(0, 480 - min(h, 440)), w, h]


def case_random():
    """~50 images, non-contiguous ids, a category without GT (12), one without detections (44)."""
    rng = random.Random(7)
    c = Case("random", [(1, "person"), (3, "car"), (7, "train"), (12, "ghost"), (44, "bottle"), (90, "toothbrush")])
    for i in range(50):
        img = 1000 + 3 * i
        c.image(img)
        if i % 9 == 4:  # images without objects, some with false detections
            for _ in range(rng.randint(0, 4)):
                c.det(img, rng.choice([1, 3, 7, 12, 90]), random_box(rng), score(rng))
            continue
        for _ in range(rng.randint(1, 8)):
            cat = rng.choice([1, 1, 3, 7, 44, 90])
            box = random_box(rng)
            seg = box[2] * box[3] * rng.uniform(0.55, 1.0)  # a segment's area, below the box's
            c.gt(img, cat, box, area=round(seg, 2))
            if cat != 44 and rng.random() < 0.85:
                c.det(img, cat, jitter(rng, box, 0.08), score(rng))
                if rng.random() < 0.3:  # duplicates, some with equal score
                    c.det(img, cat, jitter(rng, box, 0.05), score(rng) if rng.random() < 0.5 else c.dets[-1]["score"])
        for _ in range(rng.randint(0, 6)):
            c.det(img, rng.choice([1, 3, 7, 12, 90]), random_box(rng), score(rng))
    return c


def case_crowd():
    """Crowd regions: many detections inside one, crowd-only images, crowd among ordinary objects."""
    rng = random.Random(11)
    c = Case("crowd", [(1, "person"), (2, "bicycle")])
    for i in range(12):
        img = i + 1
        c.image(img)
        crowd = [rng.uniform(0, 300), rng.uniform(0, 200), rng.uniform(80, 300), rng.uniform(60, 250)]
        c.gt(img, 1, crowd, area=round(crowd[2] * crowd[3] * 0.7, 2), crowd=1)
        for _ in range(rng.randint(2, 9)):  # detections inside the crowd region
            w, h = rng.uniform(10, 60), rng.uniform(20, 90)
            c.det(img, 1, [crowd[0] + rng.uniform(0, crowd[2] - 5), crowd[1] + rng.uniform(0, crowd[3] - 5), w, h], score(rng))
        if i % 3 == 0:
            continue  # crowd-only image
        for _ in range(rng.randint(1, 4)):
            cat = rng.choice([1, 2])
            box = random_box(rng, 10, 200)
            c.gt(img, cat, box)
            c.det(img, cat, jitter(rng, box, 0.06), score(rng))
            if rng.random() < 0.4:
                c.det(img, cat, jitter(rng, box, 0.1), score(rng))
    return c


def case_many():
    """More than 100 detections on one image and per category; tied scores across images."""
    rng = random.Random(23)
    c = Case("many", [(5, "airplane"), (6, "bus")])
    for img in (1, 2, 3):
        c.image(img)
    for _ in range(60):
        c.gt(1, 5, random_box(rng, 8, 120))
    for _ in range(10):
        c.gt(2, 5, random_box(rng, 8, 120))
        c.gt(3, 6, random_box(rng, 20, 200))
    anns = list(c.anns)
    for a in anns:
        for _ in range(3 if a["image_id"] == 1 else 1):
            c.det(a["image_id"], a["category_id"], jitter(rng, a["bbox"], 0.07), float(rng.choice([0.25, 0.5, 0.75])))
    for _ in range(40):
        c.det(1, 5, random_box(rng, 8, 120), score(rng))
    for _ in range(30):
        c.det(3, 6, random_box(rng, 8, 120), float(rng.choice([0.25, 0.5])))
    rng.shuffle(c.dets)
    return c


def case_boundary():
    """Areas exactly 32² and 96², IoU exactly 0.5 / 0.75, identical duplicates, GT area unlike box."""
    c = Case("boundary", [(2, "cat"), (4, "dog")])
    for img in (10, 20, 30, 40):
        c.image(img)
    c.gt(10, 2, [0, 0, 32, 32])                  # area 1024: both small and medium
    c.det(10, 2, [0, 0, 32, 32], 0.9)
    c.gt(10, 2, [100, 100, 96, 96])              # area 9216: both medium and large
    c.det(10, 2, [100, 100, 96, 48], 0.8)        # IoU exactly 0.5
    c.det(10, 2, [100, 100, 96, 96], 0.8)        # identical duplicates, same score
    c.det(10, 2, [100, 100, 96, 96], 0.8)
    c.gt(20, 4, [10, 10, 40, 40])
    c.det(20, 4, [10, 10, 40, 30], 0.7)          # IoU exactly 0.75
    c.gt(20, 4, [200, 200, 100, 50], area=900.0)  # a small segment in a large box
    c.det(20, 4, [200, 200, 100, 50], 0.6)
    c.det(20, 4, [300, 300, 20, 20], 0.95)       # small false positive
    c.gt(30, 2, [50, 50, 20, 20], crowd=1)
    c.det(30, 2, [50, 50, 10, 10], 0.5)          # inside a crowd: IoU 1 by its own area
    c.det(30, 2, [55, 55, 40, 40], 0.4)          # half over the crowd: IoU 15*15/1600
    c.gt(40, 4, [0, 0, 10, 10])
    c.gt(40, 4, [5, 0, 10, 10])                  # a detection equally close to two GTs
    c.det(40, 4, [2.5, 0, 10, 10], 0.3)
    return c


def lines(items):
    """A JSON array with one item per line, so that fixtures read and diff well."""
    return "[\n" + ",\n".join(json.dumps(v) for v in items) + "\n]"


def evaluate(np, COCO, COCOeval, case, out):
    d = os.path.join(out, case.name)
    os.makedirs(d, exist_ok=True)
    gt_path, dt_path = os.path.join(d, "gt.json"), os.path.join(d, "results.json")
    with open(gt_path, "w") as f:
        f.write('{"images": %s,\n"annotations": %s,\n"categories": %s}\n'
                % (lines(case.images), lines(case.anns), lines(case.categories)))
    with open(dt_path, "w") as f:
        f.write(lines(case.dets) + "\n")
    gt = COCO(gt_path)
    ev = COCOeval(gt, gt.loadRes(dt_path), "bbox")
    ev.evaluate()
    ev.accumulate()
    ev.summarize()
    prec = ev.eval["precision"]  # T x R x K x A x M
    names = {c["id"]: c["name"] for c in case.categories}
    per_ap, per_pr = {}, {}
    for k, cid in enumerate(ev.params.catIds):
        s = prec[:, :, k, 0, 2]
        per_ap[names[cid]] = float(np.mean(s[s > -1])) if (s > -1).any() else -1.0
        per_pr[names[cid]] = [float(v) for v in prec[0, :, k, 0, 2]]
    expected = {"stats": [float(v) for v in ev.stats], "iouThrs": [float(v) for v in ev.params.iouThrs],
                "perClassAp": per_ap, "precisionAt50": per_pr}
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


def main():
    np, COCO, COCOeval = load_cocoeval(sys.argv[1])
    for case in (case_random(), case_crowd(), case_many(), case_boundary()):
        evaluate(np, COCO, COCOeval, case, sys.argv[2])


if __name__ == "__main__":
    main()
