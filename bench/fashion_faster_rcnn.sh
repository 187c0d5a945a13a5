#!/usr/bin/env bash
# Faster R-CNN on the `fashion` benchmark (issue 3): synthesise 2000 train / 500 test images,
# pre-train the CPU backbone on Fashion-MNIST items, train end to end (approximate joint), then
# evaluate (voc07 + COCO) and time inference by stage.
# Usage: [SCHEDULE=joint|alternating] [BACKBONE=...] bench/fashion_faster_rcnn.sh WORKDIR [ITERATIONS]
# Data and pre-trained weights already in WORKDIR (or linked there) are reused.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; ITERS=${2:-4000}; BACKBONE=${BACKBONE:-resnet18-w0.5}; SCHEDULE=${SCHEDULE:-joint}
mkdir -p "$W"
[[ -d $W/train ]] || ./rcnn4j synth --kind fashion --split train --images 2000 --seed 1 --backgrounds classic --out "$W/train"
[[ -d $W/test ]] || ./rcnn4j synth --kind fashion --split test --images 500 --seed 1 --backgrounds classic --out "$W/test"
[[ -f $W/$BACKBONE.weights ]] || ./rcnn4j pretrain --backbone "$BACKBONE" --data fashion --iterations 1500 --out "$W/$BACKBONE.weights"
start=$(date +%s)
./rcnn4j train --schedule "$SCHEDULE" --backbone "$BACKBONE" --backbone-weights "$W/$BACKBONE.weights" \
  --data "$W/train/annotations.json" --out "$W/model" --iterations "$ITERS"
echo "train seconds: $(( $(date +%s) - start ))"
./rcnn4j eval --model "$W/model" --data "$W/test/annotations.json" --metric voc07 --json > "$W/voc07.json"
./rcnn4j eval --model "$W/model" --data "$W/test/annotations.json" --metric coco --json > "$W/coco.json"
./rcnn4j bench speed --model "$W/model" --data "$W/test/annotations.json" --images 100 --json "$W/speed.json"
cat "$W/voc07.json" "$W/coco.json"
