#!/usr/bin/env bash
# Faster R-CNN (single-scale C4), FPN and Fast R-CNN on selective search, on the `fashion`
# benchmark with the same data, pre-trained backbone, seed and iteration budget (issues 3, 4, 5).
#   1. trains fpn on one core, and c4 then fast-rcnn on the other;
#   2. accuracy: voc07 and COCO on test, and the RPNs' average recall at 100/300/1000 proposals;
#   3. speed, one model after another on a machine left otherwise idle: inference by stage on the
#      same 100 test images (fast-rcnn twice: proposals from the file, and selective search on the
#      fly, which is its real per-image cost), and training iteration time against the backbone's.
# FPN runs at the C4 model's planned scale (s = 640; bench/configs/fpn-fashion-640.json), as the
# paper compares both at one scale. Usage: bench/fashion_detectors.sh WORKDIR [ITERATIONS] [STEP...]
#   4. svd: Fast R-CNN's head compressed by truncated SVD at each entry of RANKS, "fc6,fc7" ranks
#      or an fc6 rank alone (default: the paper's proportions, a quarter and a sixteenth of the 512
#      units as it kept 1024 and 256 of 4096; half and an eighth; and fc6 alone at 320 and 288),
#      its accuracy, and its inference by stage beside the uncompressed model's.
# STEPs: train, accuracy, speed, svd (default all). Figures go to WORKDIR/<model>-*.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; ITERS=${2:-4000}; shift $(( $# < 2 ? $# : 2 ))
STEPS=${*:-train accuracy speed svd}
RANKS=${RANKS:-128,32 256,64 320 288}
BACKBONE=resnet18-w0.5
bench/fashion_data.sh "$W"
# shellcheck source=bench/fashion_lib.sh
source bench/fashion_lib.sh

if [[ $STEPS == *train* ]]; then
  train fpn --detector fpn --config bench/configs/fpn-fashion-640.json & fpn=$!
  { train c4 --detector faster-rcnn; train fast-rcnn --detector fast-rcnn --proposals "$W/ss-train.json"; } & others=$!
  wait "$fpn"; wait "$others"
fi
if [[ $STEPS == *accuracy* ]]; then
  for m in c4 fpn fast-rcnn; do accuracy $m; done
  for m in c4 fpn; do rpn_recall $m; done
  keep "$W/selective-search-ar.json" ./rcnn4j eval --proposals "$W/ss-test.json" --data "$TEST" --metric ar --json
fi
if [[ $STEPS == *speed* ]]; then
  for m in c4 fpn fast-rcnn; do speed $m; done
  ./rcnn4j bench speed --model "$W/fast-rcnn" --data "$TEST" --images 100 --json "$W/fast-rcnn-ss-speed.json"
  for m in c4 fpn; do
    ./rcnn4j bench train --model "$W/$m" --data "$TRAIN" --iterations 20 --json "$W/$m-train-speed.json"
  done
  ./rcnn4j bench train --model "$W/fast-rcnn" --data "$TRAIN" --proposals "$W/ss-train.json" --iterations 20 \
    --json "$W/fast-rcnn-train-speed.json"
fi
if [[ $STEPS == *svd* ]]; then
  for r in $RANKS; do
    m=fast-rcnn-svd-${r/,/-}
    svd="fc6=${r%,*}"; [[ $r == *,* ]] && svd+=",fc7=${r#*,}"
    [[ -f $W/$m/model.json ]] || ./rcnn4j compress --model "$W/fast-rcnn" --svd "$svd" --out "$W/$m"
    accuracy "$m"
  done
  # Timing side by side: the uncompressed model, then each compressed one, on the same images.
  for m in fast-rcnn $(for r in $RANKS; do echo "fast-rcnn-svd-${r/,/-}"; done); do
    ./rcnn4j bench speed --model "$W/$m" --data "$TEST" --images 100 --proposals "$W/ss-test.json" --json "$W/$m-svd-speed.json"
  done
fi
