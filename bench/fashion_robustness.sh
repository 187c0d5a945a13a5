#!/usr/bin/env bash
# Issue 22's robustness benchmark: leave one background family out. For each family F held out,
# a detector is trained on `fashion` scenes drawn from the other four families and tested on
# scenes of F (never seen) and of each family it trained on; a detector trained on all five is
# the reference. Each with and without training augmentation.
#
# Data (seed 1): train-no-F and train-all, TRAIN_IMAGES each (synth --backgrounds), and test-F,
# TEST_IMAGES test-split scenes of family F alone. The backbone is pre-trained on Fashion-MNIST
# items as in fashion_data.sh (PRETRAIN_ITERS; an existing WORKDIR/$BACKBONE.weights is reused).
# Models: <aug>-no-F and <aug>-all, aug in AUGMENT ("none": --no-augmentation; "aug": AUG_OPTIONS).
# Figures: WORKDIR/<model>-on-<family>-{voc07,coco}.json (one detection pass per test set, every
# score kept, both metrics from it); bench/fashion_robustness_report.py tabulates them.
# Every step keeps what it finished: rerun the script to continue an interrupted run.
# Usage: [ITERS=1500] [TRAIN_IMAGES=1600] [TEST_IMAGES=100] [HOLD_OUT="classic periodic aperiodic sharp smooth"]
#        [AUGMENT="none aug"] [AUG_OPTIONS="--crop 0.5 --color-jitter 0.4,0.4,0.4,0.05 --grayscale 0.1"]
#        [PRETRAIN_ITERS=2000] [DETECTOR=faster-rcnn] [REFERENCE=1] bench/fashion_robustness.sh WORKDIR
# REFERENCE=0 skips the all-families models (two instances with other AUGMENT or HOLD_OUT values
# can run side by side: they write different models).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}
ITERS=${ITERS:-1500}; TRAIN_IMAGES=${TRAIN_IMAGES:-1600}; TEST_IMAGES=${TEST_IMAGES:-100}
FAMILIES="classic periodic aperiodic sharp smooth"
HOLD_OUT=${HOLD_OUT:-$FAMILIES}; AUGMENT=${AUGMENT:-none aug}
AUG_OPTIONS=${AUG_OPTIONS:---crop 0.5 --color-jitter 0.4,0.4,0.4,0.05 --grayscale 0.1}
PRETRAIN_ITERS=${PRETRAIN_ITERS:-2000}; DETECTOR=${DETECTOR:-faster-rcnn}; BACKBONE=resnet18-w0.5
REFERENCE=${REFERENCE:-1}
mkdir -p "$W"

others() { local f out=""; for f in $FAMILIES; do [[ $f != "$1" ]] && out+="${out:+,}$f"; done; echo "$out"; }
synth() { [[ -d $W/$1 ]] || ./rcnn4j synth --kind fashion --seed 1 --out "$W/$1" "${@:2}" > /dev/null; }

for f in $FAMILIES; do synth "test-$f" --split test --images "$TEST_IMAGES" --backgrounds "$f"; done
synth train-all --split train --images "$TRAIN_IMAGES" --backgrounds varied
for f in $HOLD_OUT; do synth "train-no-$f" --split train --images "$TRAIN_IMAGES" --backgrounds "$(others "$f")"; done
[[ -f $W/$BACKBONE.weights ]] || RCNN4J_THREADS=2 ./rcnn4j pretrain --backbone "$BACKBONE" --data fashion \
  --iterations "$PRETRAIN_ITERS" --out "$W/$BACKBONE.weights"

# Trains model $1 on data $2 (augmentation $3) unless it is there; wall time and RSS to $W/$1-train.time.
train() {
  local model=$1 data=$2 aug=$3 options
  [[ -f $W/$model/model.json ]] && return
  if [[ $aug == none ]]; then options="--no-augmentation"; else options=$AUG_OPTIONS; fi
  rm -rf "${W:?}/$model"
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e s, peak RSS %M KB" -o "$W/$model-train.time" ./rcnn4j train --detector "$DETECTOR" \
    --backbone-weights "$W/$BACKBONE.weights" --data "$W/$data/annotations.json" --out "$W/$model" \
    --iterations "$ITERS" --seed 0 $options > "$W/$model-train.log" 2>&1
}
# Detections of model $1 on test-$2 (one pass, every score kept), then voc07 and COCO from them.
test_on() {
  local model=$1 family=$2 out=$W/$1-on-$2 metric
  [[ -s $out-dets.json ]] || { ./rcnn4j detect --model "$W/$model" --score-threshold 0 --json "$out-dets.json.tmp" \
    "$W/test-$family/images" > "$out-detect.log" 2>&1 && mv "$out-dets.json.tmp" "$out-dets.json"; }
  for metric in voc07 coco; do
    [[ -s $out-$metric.json ]] || { ./rcnn4j eval --gt "$W/test-$family/annotations.json" --dt "$out-dets.json" \
      --metric $metric --json > "$out-$metric.json.tmp" && mv "$out-$metric.json.tmp" "$out-$metric.json"; }
  done
}

for aug in $AUGMENT; do
  for held in $HOLD_OUT; do
    train "$aug-no-$held" "train-no-$held" "$aug"
    for f in $FAMILIES; do test_on "$aug-no-$held" "$f"; done
  done
  if [[ $REFERENCE == 1 ]]; then
    train "$aug-all" train-all "$aug"
    for f in $FAMILIES; do test_on "$aug-all" "$f"; done
  fi
done
python3 bench/fashion_robustness_report.py "$W" > "$W/report.md"
echo "report: $W/report.md"
