#!/usr/bin/env bash
# The `fashion` benchmark's inputs, made once in WORKDIR and reused by the fashion_*.sh scripts:
# 2000 train and 500 test images (320 px, seed 1), the CPU backbone pre-trained on Fashion-MNIST
# items, and selective-search proposals (fast mode, 2000 per image) of both splits.
# CLASSIFIER is pretrain's --classifier: global (the default) or box (fc6 and fc7 start the
# detector's head; worse on fashion, see results/fashion_c4_budget.md). Pre-training uses both cores
# (2 libtorch threads: 1.8x the images per second of one on an idle 2-core machine).
# BACKGROUNDS is synth's --backgrounds: classic (the default here, the backgrounds every fashion
# figure in bench/results measured before 2026-12-03 was made on) or varied (all families).
# TRAIN_IMAGES and TEST_IMAGES change the split sizes (the benchmark's 2000 and 500 by default).
# PRETRAIN_THREADS is pre-training's libtorch threads; PROPOSALS=0 skips the selective-search files
# (only the fast-rcnn models read them).
# Usage: [BACKBONE=resnet18-w0.5] [PRETRAIN_ITERS=6000] [PRETRAIN_THREADS=2] [CLASSIFIER=global]
#        [BACKGROUNDS=classic] [TRAIN_IMAGES=2000] [TEST_IMAGES=500] [PROPOSALS=1] bench/fashion_data.sh WORKDIR
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; BACKBONE=${BACKBONE:-resnet18-w0.5}; PRETRAIN_ITERS=${PRETRAIN_ITERS:-6000}
CLASSIFIER=${CLASSIFIER:-global}; BACKGROUNDS=${BACKGROUNDS:-classic}
TRAIN_IMAGES=${TRAIN_IMAGES:-2000}; TEST_IMAGES=${TEST_IMAGES:-500}
PRETRAIN_THREADS=${PRETRAIN_THREADS:-2}; PROPOSALS=${PROPOSALS:-1}
mkdir -p "$W"
[[ -d $W/train ]] || ./rcnn4j synth --kind fashion --split train --images "$TRAIN_IMAGES" --seed 1 --backgrounds "$BACKGROUNDS" --out "$W/train"
[[ -d $W/test ]] || ./rcnn4j synth --kind fashion --split test --images "$TEST_IMAGES" --seed 1 --backgrounds "$BACKGROUNDS" --out "$W/test"
[[ -f $W/$BACKBONE.weights ]] || RCNN4J_THREADS=$PRETRAIN_THREADS ./rcnn4j pretrain --backbone "$BACKBONE" --data fashion --iterations "$PRETRAIN_ITERS" \
  --classifier "$CLASSIFIER" --out "$W/$BACKBONE.weights"
for split in train test; do
  [[ $PROPOSALS == 0 || -f $W/ss-$split.json ]] || ./rcnn4j proposals --method selective-search --data "$W/$split/annotations.json" \
    --out "$W/ss-$split.json"
done
