#!/usr/bin/env python3
"""torchvision's Faster R-CNN R50-FPN on a folder of images, for bench/detect_memory.sh.

Usage: torchvision_detect.py IMAGES_DIR THREADS WARMUP OUT_JSON
       torchvision_detect.py --state-dict FILE   (writes the same model's weights, for rcnn4j import)
       torchvision_detect.py --peak THREADS      (prints the float32 matrix-product rate, GFLOP/s)
Builds fasterrcnn_resnet50_fpn with random weights (91 classes, as torchvision's COCO model; the
speed and memory of a forward pass do not depend on the weights' values), runs it in eval mode
under torch.no_grad() on every PNG/JPEG of IMAGES_DIR (after WARMUP images), and writes seconds per
image, peak resident memory (ru_maxrss) and the versions to OUT_JSON. Also each stage's time per
image, named as `rcnn4j bench speed` names them (forward hooks: preprocess = the transform,
backbone = body + FPN, rpn_head, proposals = the rest of the RPN (anchors, decoding, NMS),
region_features = MultiScaleRoIAlign, head = TwoMLPHead, predictor, postprocess = the rest), and
the network's multiply-adds per image (every Conv2d and Linear, counted from their output shapes).
Needs Debian's python3-torchvision (run it with /usr/bin/python3).
"""
import glob
import json
import os
import resource
import sys
import time

import torch
import torchvision
from torchvision.io import read_image


def model_of_seed_0():
    torch.manual_seed(0)
    return torchvision.models.detection.fasterrcnn_resnet50_fpn(
        weights=None, weights_backbone=None, num_classes=91).eval()


class StageClock:
    """Wall time of the model's parts per image, through forward pre- and post-hooks."""

    PARTS = {"preprocess": "transform", "backbone": "backbone", "rpn_head": "rpn.head", "rpn": "rpn",
             "region_features": "roi_heads.box_roi_pool", "head": "roi_heads.box_head",
             "predictor": "roi_heads.box_predictor"}

    def __init__(self, model):
        self.totals = {k: 0.0 for k in ["preprocess", "backbone", "rpn_head", "proposals", "region_features",
                                        "head", "predictor", "postprocess"]}
        self.macs = 0
        self.image = {}
        self.counting = False
        for stage, name in self.PARTS.items():
            module = model.get_submodule(name)
            module.register_forward_pre_hook(self._start(stage))
            module.register_forward_hook(self._stop(stage))
        for module in model.modules():
            if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
                module.register_forward_hook(self._count)

    def _start(self, stage):
        def hook(module, inputs):
            self.image[stage + ".start"] = time.perf_counter()
        return hook

    def _stop(self, stage):
        def hook(module, inputs, output):
            self.image[stage] = self.image.get(stage, 0.0) + time.perf_counter() - self.image[stage + ".start"]
        return hook

    def _count(self, module, inputs, output):
        if isinstance(module, torch.nn.Conv2d):
            per_output = module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
        else:
            per_output = module.in_features
        self.image["macs"] = self.image.get("macs", 0) + output.numel() * per_output

    def reset(self):
        self.image = {}

    def add(self, total):
        t = {k: v for k, v in self.image.items() if not k.endswith(".start") and k != "macs"}
        parts = {
            "preprocess": t.get("preprocess", 0.0),
            "backbone": t.get("backbone", 0.0),
            "rpn_head": t.get("rpn_head", 0.0),
            "proposals": t.get("rpn", 0.0) - t.get("rpn_head", 0.0),
            "region_features": t.get("region_features", 0.0),
            "head": t.get("head", 0.0),
            "predictor": t.get("predictor", 0.0),
        }
        parts["postprocess"] = total - sum(parts.values())
        for k, v in parts.items():
            self.totals[k] += v
        self.macs += self.image.get("macs", 0)


def peak_gflops(threads):
    """float32 matrix products of 2048 x 2048 on THREADS threads: the rate libtorch reaches on this CPU."""
    torch.set_num_threads(threads)
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    for _ in range(3):
        a @ b
    best = 0.0
    for _ in range(10):
        start = time.perf_counter()
        a @ b
        best = max(best, 2 * 2048 ** 3 / (time.perf_counter() - start) / 1e9)
    return best


def main():
    if sys.argv[1] == "--state-dict":
        torch.save(model_of_seed_0().state_dict(), sys.argv[2])
        return
    if sys.argv[1] == "--peak":
        print(f"{peak_gflops(int(sys.argv[2])):.1f}")
        return
    folder, threads, warmup, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    torch.set_num_threads(threads)
    model = model_of_seed_0()
    files = sorted(glob.glob(os.path.join(folder, "*.png")) + glob.glob(os.path.join(folder, "*.jpg")))
    images = [read_image(f).float() / 255 for f in files]
    stages = StageClock(model)
    timed, seconds = 0, 0.0
    with torch.no_grad():
        for i, image in enumerate(images):
            stages.reset()
            start = time.perf_counter()
            model([image])
            elapsed = time.perf_counter() - start
            if i >= warmup:
                seconds += elapsed
                timed += 1
                stages.add(elapsed)
    n = max(timed, 1)
    result = {
        "images": timed,
        "seconds_per_image": seconds / n,
        "ms_per_image": {k: 1000 * v / n for k, v in stages.totals.items()},
        "gmac_per_image": stages.macs / n / 1e9,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "threads": threads,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
    }
    with open(out + ".tmp", "w") as f:
        json.dump(result, f, indent=1)
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
