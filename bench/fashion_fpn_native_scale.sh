#!/usr/bin/env bash
# FPN against single-scale (C4) Faster R-CNN on `fashion` at the images' own scale (s = 320), where
# a small object (< 32² px) spans at most 2×2 cells of the stride-16 map, as in the FPN paper's
# COCO setting (s = 800); fashion_detectors.sh compares the two at the C4 plan's 2× upscale
# (s = 640), where small objects already span up to 4×4 cells. Same data, pre-trained backbone,
# seed and iterations as there; anchors and FPN's canonical RoI size halved with the scale
# (bench/configs/*-fashion-320.json). Trains both side by side, then accuracy, the RPNs' average
# recall and inference time by stage (one model after the other).
# Usage: bench/fashion_fpn_native_scale.sh WORKDIR [ITERATIONS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; ITERS=${2:-4000}; BACKBONE=resnet18-w0.5
bench/fashion_data.sh "$W"
# shellcheck source=bench/fashion_lib.sh
source bench/fashion_lib.sh
train c4-320 --detector faster-rcnn --config bench/configs/c4-fashion-320.json & c4=$!
train fpn-320 --detector fpn --config bench/configs/fpn-fashion-320.json & fpn=$!
wait "$c4"; wait "$fpn"
for m in c4-320 fpn-320; do accuracy $m; rpn_recall $m; done
for m in c4-320 fpn-320; do speed $m; done
