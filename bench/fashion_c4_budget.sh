#!/usr/bin/env bash
# Issue 3's fashion goal: Faster R-CNN (C4, the default plan) trained within 60 minutes on the
# 2-core machine, from a backbone pre-trained longer than fashion_detectors.sh's (PRETRAIN_ITERS,
# default 14000 iterations of 32 items: 30 minutes on one core, about 20 on both at the two-thread
# rate of 2026-11-24, recorded in bb1a6ed; CLASSIFIER=box, whose fc6 and fc7 start the detector's
# head, takes about a quarter longer). Pre-training is not part of the budget. The run of 2026-11-24
# at build e056c03: PRETRAIN_ITERS=35000 (48 minutes), 12000 iterations (60m37s; about 305 ms each,
# so 60 minutes hold about 11,400). The one at build fd8df7e (2026-11-24), which met the goal
# (0.802): PRETRAIN_ITERS=70000 (93 minutes), 11400 iterations (51m03s).
# ROI_HEAD=c5 trains the C5 head (train --roi-head c5) instead, as model c4-c5head. THREADS is the
# joint run's libtorch threads (the 0.769 run of 2026-11-24 used one). AUGMENT=1 also trains
# c4-aug, the joint run with fashion_robustness.sh's augmentation (crop 0.5, colour jitter
# 0.4,0.4,0.4,0.05, grayscale 0.1), beside c4 on the other core (one libtorch thread each). The
# fashion_data.sh variables (BACKGROUNDS, PRETRAIN_THREADS, ...) pass through; no selective search
# is computed.
# Usage: [PRETRAIN_ITERS=14000] [CLASSIFIER=global] [ALTERNATING=0] [AUGMENT=0] [ROI_HEAD=fc]
#        [THREADS=2] bench/fashion_c4_budget.sh WORKDIR [ITERATIONS] [STEP...]
# STEPs (default all):
#   train     c4 (joint, ITERATIONS, default 7500) on both cores (2 libtorch threads), the machine
#             otherwise idle; with ALTERNATING=1, c4 on one core and c4-alternating (the 4-step
#             schedule, same budget) on the other
#   accuracy  voc07 and COCO on test, the RPN's average recall
#   speed     inference by stage and the training step against the backbone's, nothing else running
# Figures go to WORKDIR/<model>-*.json; training wall times to WORKDIR/<model>-train.seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; ITERS=${2:-7500}; shift $(( $# < 2 ? $# : 2 ))
STEPS=${*:-train accuracy speed}
BACKBONE=resnet18-w0.5
PRETRAIN_ITERS=${PRETRAIN_ITERS:-14000} PROPOSALS=0 bench/fashion_data.sh "$W"
# shellcheck source=bench/fashion_lib.sh
source bench/fashion_lib.sh
ALTERNATING=${ALTERNATING:-0}; AUGMENT=${AUGMENT:-0}
ROI_HEAD=${ROI_HEAD:-fc}
joint=c4; [[ $ROI_HEAD != fc ]] && joint=c4-${ROI_HEAD}head
models=$joint; [[ $ALTERNATING == 1 ]] && models+=" c4-alternating"
[[ $AUGMENT == 1 ]] && models+=" $joint-aug"

if [[ $STEPS == *train* ]]; then
  if [[ $ALTERNATING == 1 ]]; then
    # Two runs side by side: one libtorch thread each (two each would spin against one another).
    RCNN4J_THREADS=1 train "$joint" --detector faster-rcnn --roi-head "$ROI_HEAD" & pid=$!
    RCNN4J_THREADS=1 train c4-alternating --detector faster-rcnn --schedule alternating --roi-head "$ROI_HEAD"
    wait "$pid"
  elif [[ $AUGMENT == 1 ]]; then
    RCNN4J_THREADS=1 train "$joint" --detector faster-rcnn --roi-head "$ROI_HEAD" & pid=$!
    RCNN4J_THREADS=1 train "$joint-aug" --detector faster-rcnn --roi-head "$ROI_HEAD" \
      --crop 0.5 --color-jitter 0.4,0.4,0.4,0.05 --grayscale 0.1
    wait "$pid"
  else
    RCNN4J_THREADS=${THREADS:-2} train "$joint" --detector faster-rcnn --roi-head "$ROI_HEAD"
  fi
fi
if [[ $STEPS == *accuracy* ]]; then
  for m in $models; do accuracy "$m"; rpn_recall "$m"; done
fi
if [[ $STEPS == *speed* ]]; then
  speed "$joint"
  ./rcnn4j bench train --model "$W/$joint" --data "$TRAIN" --iterations 20 --json "$W/$joint-train-speed.json"
fi
