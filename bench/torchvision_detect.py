#!/usr/bin/env python3
"""torchvision's Faster R-CNN R50-FPN on a folder of images, for bench/detect_memory.sh.

Usage: torchvision_detect.py IMAGES_DIR THREADS WARMUP OUT_JSON
       torchvision_detect.py --state-dict FILE   (writes the same model's weights, for rcnn4j import)
Builds fasterrcnn_resnet50_fpn with random weights (91 classes, as torchvision's COCO model; the
speed and memory of a forward pass do not depend on the weights' values), runs it in eval mode
under torch.no_grad() on every PNG/JPEG of IMAGES_DIR (after WARMUP images), and writes seconds per
image, peak resident memory (ru_maxrss) and the versions to OUT_JSON.
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


def main():
    if sys.argv[1] == "--state-dict":
        torch.save(model_of_seed_0().state_dict(), sys.argv[2])
        return
    folder, threads, warmup, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    torch.set_num_threads(threads)
    model = model_of_seed_0()
    files = sorted(glob.glob(os.path.join(folder, "*.png")) + glob.glob(os.path.join(folder, "*.jpg")))
    images = [read_image(f).float() / 255 for f in files]
    timed, seconds = 0, 0.0
    with torch.no_grad():
        for i, image in enumerate(images):
            start = time.perf_counter()
            model([image])
            if i >= warmup:
                seconds += time.perf_counter() - start
                timed += 1
    result = {
        "images": timed,
        "seconds_per_image": seconds / max(timed, 1),
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
