#!/usr/bin/env python3
"""torchvision's Faster R-CNN R50-FPN as the reference for rcnn4j's import (issue 18).

Usage: reference.py OUT_DIR [SEED]
Writes to OUT_DIR:
  model.pth, model-legacy.pth  the state dict of a seeded, randomly initialised
                               fasterrcnn_resnet50_fpn (91 classes) in torch.save's zip format and
                               in the format of torch < 1.6
  image-K.png                  test images: 1500 x 600 (its longer side beyond the 1333 cap) and
                               640 x 480 (not square), seeded shapes on a gradient
  batch-K.f32                  image K as the network sees it: normalised, resized and padded,
                               3 x H x W little-endian float32 (H, W: "padded" below)
  reference.json               per image: the resized size, the padded batch size, a sample of every
                               pyramid level (the values at fixed positions, and the mean and
                               standard deviation), the RPN's proposals, and the detections
The weights are made to behave like trained ones where it matters to the comparison: the BatchNorm
running statistics, scales and shifts are perturbed (a fresh BatchNorm is the identity), and the
output layers of the RPN and the box predictor are rescaled, measured on the first image, so that
their logits have a standard deviation of LOGIT_STD (scores spread over (0, 1), and no near-tie
decides which box NMS keeps) and their box deltas one of DELTA_STD (in the coder's units: boxes move,
but stay boxes). Run with Debian's python3-torchvision (/usr/bin/python3).
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision
from torchvision.io import write_png

SIZES = [(600, 1500), (480, 640)]  # (height, width)
SAMPLES = 64  # values read per pyramid level
LOGIT_STD = 3.0
DELTA_STD = 1.0


def model_of(seed):
    torch.manual_seed(seed)
    model = torchvision.models.detection.fasterrcnn_resnet50_fpn(
        weights=None, weights_backbone=None, num_classes=91).eval()
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                n = m.num_features
                m.running_mean.copy_(0.2 * torch.randn(n, generator=g))
                m.running_var.copy_(0.5 + torch.rand(n, generator=g) * 1.5)
                m.weight.copy_(0.6 + 0.8 * torch.rand(n, generator=g))
                m.bias.copy_(0.1 * torch.randn(n, generator=g))
    return model


def rescale_outputs(model, image):
    """Scales the four output layers so that, on image, their outputs have the standard deviations above."""
    layers = [(model.rpn.head.cls_logits, LOGIT_STD), (model.rpn.head.bbox_pred, DELTA_STD),
              (model.roi_heads.box_predictor.cls_score, LOGIT_STD), (model.roi_heads.box_predictor.bbox_pred, DELTA_STD)]
    for layer, target in layers:  # one at a time: the RPN's scaling changes which boxes the head sees
        seen = []
        handle = layer.register_forward_hook(lambda m, i, o: seen.append(o))
        with torch.no_grad():
            model([image])
        handle.remove()
        std = torch.cat([o.flatten() for o in seen]).std().item()
        with torch.no_grad():
            layer.weight.mul_(target / std)
            layer.bias.mul_(target / std)


def image_of(height, width, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    img = np.stack([x * 255.0 / width, y * 255.0 / height, np.full((height, width), 96.0)], axis=0)
    for _ in range(12):
        h, w = rng.integers(height // 10, height // 2), rng.integers(width // 10, width // 2)
        y0, x0 = rng.integers(0, height - h), rng.integers(0, width - w)
        img[:, y0:y0 + h, x0:x0 + w] = rng.integers(0, 256, size=(3, 1, 1))
    img += rng.normal(0, 8, size=img.shape)
    return torch.from_numpy(np.clip(img, 0, 255).astype(np.uint8))


def level_sample(feature, seed):
    c, h, w = feature.shape
    g = torch.Generator().manual_seed(seed)
    idx = [(int(torch.randint(c, (1,), generator=g)), int(torch.randint(h, (1,), generator=g)),
            int(torch.randint(w, (1,), generator=g))) for _ in range(SAMPLES)]
    return {"shape": [c, h, w], "mean": feature.mean().item(), "std": feature.std().item(),
            "positions": idx, "values": [feature[i].item() for i in idx]}


def main():
    out = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    model = model_of(seed)
    rescale_outputs(model, image_of(*SIZES[-1], seed + 10 + len(SIZES) - 1).float() / 255)
    state = model.state_dict()
    torch.save(state, os.path.join(out, "model.pth"))
    torch.save(state, os.path.join(out, "model-legacy.pth"), _use_new_zipfile_serialization=False)
    captured = {}
    model.backbone.register_forward_hook(lambda m, i, o: captured.__setitem__("pyramid", o))
    model.rpn.register_forward_hook(lambda m, i, o: captured.__setitem__("proposals", o[0]))
    results = []
    with torch.no_grad():
        for k, (h, w) in enumerate(SIZES):
            image = image_of(h, w, seed + 10 + k)
            name = "image-%d.png" % k
            write_png(image, os.path.join(out, name))
            x = image.float() / 255
            resized, _ = model.transform([x])
            resized.tensors[0].contiguous().numpy().astype("<f4").tofile(os.path.join(out, "batch-%d.f32" % k))
            det = model([x])[0]
            levels = {key: level_sample(v[0], seed + 100 + j)
                      for j, (key, v) in enumerate(captured["pyramid"].items())}
            results.append({
                "file": name, "height": h, "width": w,
                "resized": list(resized.image_sizes[0]), "padded": list(resized.tensors.shape[-2:]),
                "pyramid": levels,
                "proposals": captured["proposals"][0].tolist(),
                "boxes": det["boxes"].tolist(), "labels": det["labels"].tolist(), "scores": det["scores"].tolist(),
            })
    meta = {"torch": torch.__version__, "torchvision": torchvision.__version__, "seed": seed, "images": results}
    with open(os.path.join(out, "reference.json.tmp"), "w") as f:
        json.dump(meta, f)
    os.replace(os.path.join(out, "reference.json.tmp"), os.path.join(out, "reference.json"))


if __name__ == "__main__":
    main()
