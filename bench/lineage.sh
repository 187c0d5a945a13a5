#!/usr/bin/env bash
# The lineage measured side by side (issue 17): R-CNN, SPP-net (1 and 5 scales), Fast R-CNN (with and
# without truncated SVD), Faster R-CNN (C4) and FPN on the same data, backbone, proposals and seed,
# then bench/lineage_report.py writes the comparison with the papers' claims beside each figure.
#   DATA=shapes   (default) TRAIN_IMAGES=400 train and TEST_IMAGES=100 test `shapes` images (seeds 4242,
#                 4243), the shipped tiny
#   DATA=fashion  TRAIN_IMAGES (default 2000) train and TEST_IMAGES (default 500) test `fashion` images
#                 (seed 1) of BACKGROUNDS (synth --backgrounds; default varied, all families), and
#                 resnet18-w0.5 pre-trained on Fashion-MNIST items as bench/fashion_data.sh does
#                 (PRETRAIN_ITERS; an existing WORKDIR/resnet18-w0.5.weights is reused)
# Steps (default all; each keeps what it finished, so rerunning continues):
#   data      the images and their selective-search proposals (fast mode, 2000 per image)
#   train     each detector with train's defaults for its kind (ITERS iterations each, default train's
#             own), one at a time; fast-rcnn-svd compresses fast-rcnn (fc6, fc7 to a quarter of their width)
#   accuracy  voc07 and COCO on the test images (R-CNN and SPP-net with SVMs and box regressors), from one
#             detection pass per model (eval --save-detections)
#   speed     inference by stage on SPEED_IMAGES test images (R-CNN on RCNN_SPEED_IMAGES: its CNN runs
#             once per region), proposals from the file; fast-rcnn-ss again with selective search run
#             on each image, timed as the proposal stage
#   report    bench/lineage_report.py: WORKDIR/lineage.md, lineage.json, lineage.svg
# SVM_IMAGES limits R-CNN's and SPP-net's SVMs, regressors (and SPP-net's fine-tuning) to the first N
# training images (their feature caches hold every region of those images).
# Usage: [DATA=shapes|fashion] [TRAIN_IMAGES=N] [TEST_IMAGES=N] [BACKGROUNDS=varied] [ITERS=N] [SVM_IMAGES=N] [SPEED_IMAGES=20] [RCNN_SPEED_IMAGES=3] bench/lineage.sh WORKDIR [STEP...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; shift
STEPS=${*:-data train accuracy speed report}
DATA=${DATA:-shapes}; SPEED_IMAGES=${SPEED_IMAGES:-20}; RCNN_SPEED_IMAGES=${RCNN_SPEED_IMAGES:-3}
mkdir -p "$W"
if [[ $DATA == fashion ]]; then
  [[ $STEPS == *data* ]] && TRAIN_IMAGES=${TRAIN_IMAGES:-2000} TEST_IMAGES=${TEST_IMAGES:-500} \
    BACKGROUNDS=${BACKGROUNDS:-varied} bench/fashion_data.sh "$W"
  BACKBONE=(--backbone-weights "$W/resnet18-w0.5.weights")
else
  TRAIN_IMAGES=${TRAIN_IMAGES:-400}; TEST_IMAGES=${TEST_IMAGES:-100}
  if [[ $STEPS == *data* ]]; then
    [[ -d $W/train ]] || ./rcnn4j synth --kind shapes --split train --images "$TRAIN_IMAGES" --seed 4242 --out "$W/train" > /dev/null
    [[ -d $W/test ]] || ./rcnn4j synth --kind shapes --split test --images "$TEST_IMAGES" --seed 4243 --out "$W/test" > /dev/null
    for split in train test; do
      [[ -f $W/ss-$split.json ]] || ./rcnn4j proposals --method selective-search --data "$W/$split/annotations.json" \
        --out "$W/ss-$split.json"
    done
  fi
  BACKBONE=(--backbone tiny)
fi
TRAIN=$W/train/annotations.json; TEST=$W/test/annotations.json
MODELS="r-cnn spp-net-1 spp-net fast-rcnn fast-rcnn-svd faster-rcnn fpn"
takes_proposals() { [[ $1 == r-cnn* || $1 == spp-net* || $1 == fast-rcnn* ]]; }
proposals_of() { takes_proposals "$1" && echo "--proposals $W/ss-test.json"; }
keep() { local f=$1; shift; [[ -s $f ]] || { "$@" > "$f.tmp" && mv "$f.tmp" "$f"; }; }

# Trains model NAME (detector DET, extra options after) unless it is there; wall time to NAME-train.seconds.
train() {
  local name=$1 det=$2; shift 2
  [[ -f $W/$name/model.json ]] && return
  rm -rf "${W:?}/$name"
  local start; start=$(date +%s)
  local extra=(); takes_proposals "$name" && extra=(--proposals "$W/ss-train.json")
  [[ -n ${ITERS:-} ]] && extra+=(--iterations "$ITERS")
  [[ -n ${SVM_IMAGES:-} && ($det == r-cnn || $det == spp-net) ]] && extra+=(--svm-images "$SVM_IMAGES")
  ./rcnn4j train --detector "$det" "${BACKBONE[@]}" --data "$TRAIN" --out "$W/$name" --seed 0 "${extra[@]}" "$@" \
    > "$W/$name-train.log" 2>&1
  echo "$(( $(date +%s) - start ))" > "$W/$name-train.seconds"
}

if [[ $STEPS == *train* ]]; then
  train r-cnn r-cnn
  train spp-net spp-net
  # The paper's 1-scale SPP-net: the five-scale plan's middle scale alone.
  if [[ ! -f $W/spp-net-1.json ]]; then
    python3 - "$W/spp-net/model.json" "$W/spp-net-1.json" <<'PY'
import json, math, sys
c = json.load(open(sys.argv[1]))["config"]
s = c["pyramid"]["testScales"][len(c["pyramid"]["testScales"]) // 2]
c["input"].update(shortSide=s, maxSize=max(s, math.ceil(s * 5 / 3)), trainScales=[s])
c["pyramid"]["testScales"] = [s]
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
  fi
  train spp-net-1 spp-net --config "$W/spp-net-1.json"
  train fast-rcnn fast-rcnn
  if [[ ! -f $W/fast-rcnn-svd/model.json ]]; then
    units=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['config']['roi']; print(r['fc6']//4, r['fc7']//4)" "$W/fast-rcnn/model.json")
    read -r t6 t7 <<< "$units"
    ./rcnn4j compress --model "$W/fast-rcnn" --svd "fc6=$t6,fc7=$t7" --out "$W/fast-rcnn-svd" > "$W/fast-rcnn-svd-compress.log"
  fi
  train faster-rcnn faster-rcnn
  train fpn fpn
fi
if [[ $STEPS == *accuracy* ]]; then
  for m in $MODELS; do
    # One detection pass (R-CNN's is the slow one), both metrics from its detections.
    if [[ ! -s $W/$m-dets.json ]]; then
      rm -f "$W/$m-voc07.json" "$W/$m-coco.json"
      # shellcheck disable=SC2046
      keep "$W/$m-voc07.json" ./rcnn4j eval --model "$W/$m" --data "$TEST" --metric voc07 --json \
        --save-detections "$W/$m-dets.json" $(proposals_of "$m")
    fi
    keep "$W/$m-voc07.json" ./rcnn4j eval --dt "$W/$m-dets.json" --data "$TEST" --metric voc07 --json
    keep "$W/$m-coco.json" ./rcnn4j eval --dt "$W/$m-dets.json" --data "$TEST" --metric coco --json
  done
fi
if [[ $STEPS == *speed* ]]; then
  for m in $MODELS; do
    n=$SPEED_IMAGES; [[ $m == r-cnn ]] && n=$RCNN_SPEED_IMAGES
    # shellcheck disable=SC2046
    [[ -s $W/$m-speed.json ]] || ./rcnn4j bench speed --model "$W/$m" --data "$TEST" --images "$n" --json "$W/$m-speed.json" \
      $(proposals_of "$m") > /dev/null
  done
  [[ -s $W/fast-rcnn-ss-speed.json ]] || ./rcnn4j bench speed --model "$W/fast-rcnn" --data "$TEST" --images "$SPEED_IMAGES" \
    --json "$W/fast-rcnn-ss-speed.json" > /dev/null
fi
if [[ $STEPS == *report* ]]; then
  python3 bench/lineage_report.py "$W" "$DATA"
fi
