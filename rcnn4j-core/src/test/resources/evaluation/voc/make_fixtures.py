#!/usr/bin/python3
"""Builds the VOC evaluation fixtures under this folder and records the reference APs.

Usage: /usr/bin/python3 make_fixtures.py PATH/TO/voc_eval.py [OUT_DIR]

PATH/TO/voc_eval.py is py-faster-rcnn's lib/datasets/voc_eval.py (a Python 2 file, fetched
separately and never committed here). It is loaded with three in-memory shims so that it runs
unchanged under Python 3: its print statements become calls (lib2to3's print fixer), its cPickle
import gets a stand-in that pickles into the text-mode cache file, and numpy's removed np.bool
alias is restored.

Each case is a small VOC directory:
  <case>/Annotations/<image>.xml, <case>/ImageSets/Main/test.txt,
  <case>/results/comp4_det_test_<class>.txt   (VOC 1-based boxes, as py-faster-rcnn writes them)
  <case>/reference.json                       (classes, npos, per-class AP, recall, precision)
All data are generated here (random cases from fixed seeds); the numbers are the reference's.
"""
import base64
import io
import json
import math
import os
import pickle
import random
import shutil
import sys
import tempfile
import types
import warnings

import numpy as np

SPLIT = 'test'


# ---------------------------------------------------------------- loading the reference

def load_reference(path):
    """Imports voc_eval.py from PATH under Python 3 without editing the file on disk."""
    with open(path) as f:
        source = f.read()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from lib2to3.refactor import RefactoringTool
        tool = RefactoringTool(['lib2to3.fixes.fix_print'])
        source = str(tool.refactor_string(source, path))

    def dump(obj, f):
        f.write(base64.b64encode(pickle.dumps(obj)).decode('ascii'))

    def load(f):
        return pickle.loads(base64.b64decode(f.read()))

    sys.modules['cPickle'] = types.SimpleNamespace(dump=dump, load=load)
    if 'bool' not in np.__dict__:
        np.bool = bool  # the alias voc_eval uses; numpy 1.24 removed it
    module = types.ModuleType('voc_eval')
    exec(compile(source, path, 'exec'), module.__dict__)
    return module


# ---------------------------------------------------------------- writing a case

def write_xml(path, name, width, height, objects):
    """objects: (class, xmin, ymin, xmax, ymax, difficult), VOC 1-based inclusive integers."""
    out = io.StringIO()
    out.write('<annotation>\n  <filename>%s.jpg</filename>\n' % name)
    out.write('  <size><width>%d</width><height>%d</height><depth>3</depth></size>\n' % (width, height))
    for cls, x0, y0, x1, y1, diff in objects:
        out.write('  <object>\n    <name>%s</name>\n    <pose>Unspecified</pose>\n' % cls)
        out.write('    <truncated>0</truncated>\n    <difficult>%d</difficult>\n' % diff)
        out.write('    <bndbox><xmin>%d</xmin><ymin>%d</ymin><xmax>%d</xmax><ymax>%d</ymax></bndbox>\n'
                  % (x0, y0, x1, y1))
        out.write('  </object>\n')
    out.write('</annotation>\n')
    with open(path, 'w') as f:
        f.write(out.getvalue())


def fmt(v):
    return ('%.6f' % v).rstrip('0').rstrip('.')


def write_case(out_dir, case, classes, images, dets):
    """images: name -> (width, height, objects); dets: class -> [(image, score, x0, y0, x1, y1)]."""
    root = os.path.join(out_dir, case)
    shutil.rmtree(root, ignore_errors=True)
    for sub in ('Annotations', 'ImageSets/Main', 'results'):
        os.makedirs(os.path.join(root, sub))
    for name, (w, h, objs) in images.items():
        write_xml(os.path.join(root, 'Annotations', name + '.xml'), name, w, h, objs)
    with open(os.path.join(root, 'ImageSets', 'Main', SPLIT + '.txt'), 'w') as f:
        f.write(''.join(n + '\n' for n in images))
    for cls in classes:
        with open(os.path.join(root, 'results', 'comp4_det_%s_%s.txt' % (SPLIT, cls)), 'w') as f:
            for im, score, x0, y0, x1, y1 in dets.get(cls, []):
                f.write('%s %s %s %s %s %s\n' % (im, fmt(score), fmt(x0), fmt(y0), fmt(x1), fmt(y1)))
    return root


def number(v):
    v = float(v)
    return None if math.isnan(v) or math.isinf(v) else round(v, 10)


def run_reference(ref, root, classes):
    """Runs voc_eval for every class under both metrics; returns the reference.json content."""
    annopath = os.path.join(root, 'Annotations', '{:s}.xml')
    imageset = os.path.join(root, 'ImageSets', 'Main', SPLIT + '.txt')
    detpath = os.path.join(root, 'results', 'comp4_det_' + SPLIT + '_{:s}.txt')
    result = {'classes': classes, 'npos': {}}
    for metric, use07 in (('voc07', True), ('voc', False)):
        cache = tempfile.mkdtemp()
        aps, curves = {}, {}
        for cls in classes:
            if os.path.getsize(detpath.format(cls)) == 0:
                # voc_eval cannot index an empty detection array; with no detections its curve is
                # empty, so the AP is what its own voc_ap gives for an empty curve.
                rec, prec = np.zeros(0), np.zeros(0)
                ap = ref.voc_ap(rec, prec, use07)
            else:
                with warnings.catch_warnings(), np.errstate(all='ignore'), \
                        open(os.devnull, 'w') as null:
                    warnings.simplefilter('ignore')
                    saved, sys.stdout = sys.stdout, null
                    try:
                        rec, prec, ap = ref.voc_eval(detpath, annopath, imageset, cls, cache,
                                                     ovthresh=0.5, use_07_metric=use07)
                    finally:
                        sys.stdout = saved
            aps[cls] = number(ap)
            curves[cls] = {'recall': [number(x) for x in rec], 'precision': [number(x) for x in prec]}
        shutil.rmtree(cache)
        result[metric] = {'ap': aps, 'mAP_all_classes': number(np.mean([float(a) if a is not None
                                                                          else float('nan')
                                                                          for a in aps.values()])),
                          'curves': curves}
    for cls in classes:
        n = 0
        for name in open(imageset).read().split():
            n += sum(1 for o in ref.parse_rec(annopath.format(name)) if o['name'] == cls and not o['difficult'])
        result['npos'][cls] = n
    with open(os.path.join(root, 'reference.json'), 'w') as f:
        json.dump(result, f, indent=1)
    return result


# ---------------------------------------------------------------- the cases

def case_difficult():
    classes = ['cat', 'dog']
    images = {
        '000001': (100, 100, [('cat', 11, 11, 50, 50, 0), ('cat', 61, 61, 90, 90, 1), ('dog', 5, 60, 40, 95, 1)]),
        '000002': (120, 80, [('cat', 1, 1, 30, 30, 1), ('cat', 40, 10, 100, 70, 0), ('dog', 50, 5, 110, 75, 0)]),
        '000003': (64, 64, [('dog', 10, 10, 40, 40, 0)]),
    }
    dets = {
        # the best detection hits a difficult object: neither TP nor FP (precision floor eps)
        'cat': [('000002', 0.99, 1, 1, 30, 30), ('000001', 0.9, 12, 10, 50, 51),
                ('000001', 0.8, 60, 62, 91, 90), ('000002', 0.7, 42, 12, 99, 69),
                ('000003', 0.85, 5, 5, 20, 20), ('000001', 0.5, 70, 5, 99, 30)],
        'dog': [('000001', 0.95, 5, 61, 41, 95), ('000003', 0.4, 12, 11, 41, 40),
                ('000003', 0.35, 50, 50, 60, 60), ('000001', 0.97, 1, 1, 9, 9),
                ('000002', 0.3, 45, 5, 110, 75)],
    }
    return classes, images, dets


def case_duplicates():
    classes = ['car', 'person']
    images = {
        '000010': (200, 100, [('car', 11, 11, 110, 60, 0), ('car', 51, 11, 150, 60, 0),
                              ('person', 160, 10, 190, 90, 0)]),
        '000011': (200, 100, [('person', 20, 10, 50, 90, 0), ('person', 30, 12, 60, 92, 0)]),
    }
    dets = {
        # a second detection of a matched object is FP, even when another object overlaps it > 0.5
        'car': [('000010', 0.9, 11, 11, 110, 60), ('000010', 0.85, 13, 11, 112, 60),
                ('000010', 0.8, 31, 11, 130, 60), ('000010', 0.6, 51, 11, 150, 60),
                ('000010', 0.55, 52, 12, 150, 61)],
        'person': [('000011', 0.91, 20, 10, 50, 90), ('000011', 0.9, 21, 11, 51, 91),
                   ('000011', 0.7, 30, 12, 60, 92), ('000010', 0.65, 160, 10, 190, 90),
                   ('000010', 0.64, 161, 10, 190, 90)],
    }
    return classes, images, dets


def case_empty_images():
    # images without objects, a class with no ground truth ('ghost', detections only) and a class
    # whose only object is difficult ('rare')
    classes = ['bird', 'ghost', 'rare']
    images = {
        '000020': (50, 50, []),
        '000021': (50, 50, [('bird', 5, 5, 30, 30, 0)]),
        '000022': (50, 50, []),
        '000023': (50, 50, [('rare', 10, 10, 20, 20, 1)]),
    }
    dets = {
        'bird': [('000020', 0.8, 5, 5, 30, 30), ('000021', 0.7, 6, 5, 30, 31), ('000022', 0.9, 1, 1, 50, 50)],
        'ghost': [('000020', 0.5, 1, 1, 10, 10), ('000021', 0.4, 5, 5, 30, 30)],
        'rare': [('000023', 0.6, 10, 10, 20, 20), ('000022', 0.3, 10, 10, 20, 20)],
    }
    return classes, images, dets


def case_many_dets(rng):
    # 150 detections on one image, plus a class ('horse') with objects and no detections at all
    classes = ['boat', 'horse']
    objects = [('boat', 20 * i + 1, 10, 20 * i + 15, 40, 0) for i in range(8)] + [('horse', 5, 50, 80, 95, 0)]
    images = {'000030': (170, 100, objects)}
    scores = rng.sample(range(1, 1000000), 150)
    boats = []
    for k in range(150):
        i = rng.randrange(8)
        jx, jy = rng.uniform(-4, 4), rng.uniform(-4, 4)
        boats.append(('000030', scores[k] / 1e6, round(20 * i + 1 + jx, 1), round(10 + jy, 1),
                      round(20 * i + 15 + jx + rng.uniform(-3, 3), 1), round(40 + jy, 1)))
    return classes, images, {'boat': boats}


def case_boundaries():
    # non-integer and overlapping boxes; IoU exactly 0.5 (not > 0.5: FP); 10 objects so that
    # recall hits 0.3 exactly, which the 11-point thresholds (0.1 * 3 = 0.30000000000000004) skip
    classes = ['sign', 'tree']
    images = {
        '000040': (100, 100, [('sign', 1, 1, 10, 10, 0), ('sign', 21, 1, 40, 20, 0)]),
        'img_b': (300, 40, [('tree', 30 * i + 1, 1, 30 * i + 20, 30, 0) for i in range(10)]),
    }
    dets = {
        'sign': [('000040', 0.9, 1, 1, 5, 10),             # IoU exactly 0.5: FP
                 ('000040', 0.8, 22.5, 2.5, 40.2, 20.7),   # non-integer, TP
                 ('000040', 0.7, 1, 1, 5.1, 10),           # IoU just above 0.5: TP
                 ('000040', 0.6, 15.3, 0.4, 35.8, 19.9)],  # overlaps a matched object: FP
        'tree': ([('img_b', 0.99 - 0.01 * i, 30 * i + 1.5, 1.2, 30 * i + 20.4, 30.3) for i in range(3)]
                 + [('img_b', 0.9 - 0.01 * i, 5 + 40 * i, 10, 15 + 40 * i, 20) for i in range(5)]
                 + [('img_b', 0.8 - 0.01 * i, 30 * i + 2, 2, 30 * i + 19, 29) for i in range(3, 7)]),
    }
    return classes, images, dets


def case_random(rng):
    classes = ['aero', 'bike', 'cow', 'sofa']
    images, dets = {}, {c: [] for c in classes}
    for n in range(30):
        name = '%06d' % (100 + n)
        w, h = rng.randrange(120, 400), rng.randrange(120, 400)
        objs = []
        for _ in range(rng.randrange(0, 6)):
            cls = rng.choice(classes)
            bw, bh = rng.randrange(8, w // 2), rng.randrange(8, h // 2)
            x0, y0 = rng.randrange(1, w - bw), rng.randrange(1, h - bh)
            objs.append((cls, x0, y0, x0 + bw - 1, y0 + bh - 1, 1 if rng.random() < 0.15 else 0))
        images[name] = (w, h, objs)
        for cls, x0, y0, x1, y1, _ in objs:  # jittered hits, some twice
            for _ in range(rng.choice([0, 1, 1, 1, 2])):
                s = 0.15 * (x1 - x0)
                dets[cls].append([name, None] + [round(v + rng.gauss(0, s), 1) for v in (x0, y0, x1, y1)])
        for _ in range(rng.randrange(0, 8)):  # background clutter, some outside the image
            x0, y0 = rng.uniform(-10, w), rng.uniform(-10, h)
            box = [round(x0, 1), round(y0, 1), round(x0 + rng.uniform(5, 80), 1), round(y0 + rng.uniform(5, 80), 1)]
            dets[rng.choice(classes)].append([name, None] + box)
    for cls in classes:
        rng.shuffle(dets[cls])
        for d, s in zip(dets[cls], rng.sample(range(1, 1000000), len(dets[cls]))):
            d[1] = s / 1e6
            d[4], d[5] = max(d[4], d[2]), max(d[5], d[3])
        dets[cls] = [tuple(d) for d in dets[cls]]
    return classes, images, dets


def main():
    ref = load_reference(sys.argv[1])
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    cases = {
        'difficult': case_difficult(),
        'duplicates': case_duplicates(),
        'empty_images': case_empty_images(),
        'many_dets': case_many_dets(random.Random(7)),
        'boundaries': case_boundaries(),
        'random': case_random(random.Random(2015)),
    }
    for case, (classes, images, dets) in cases.items():
        root = write_case(out_dir, case, classes, images, dets)
        result = run_reference(ref, root, classes)
        print(case, {m: result[m]['ap'] for m in ('voc07', 'voc')})


if __name__ == '__main__':
    main()
