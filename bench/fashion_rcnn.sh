#!/usr/bin/env bash
# R-CNN against Fast R-CNN on `fashion` (issue 16), with the other detectors' data, pre-trained
# backbone (resnet18-w0.5), selective-search proposals (fast mode, 2000 per image) and seed:
#   train     fast-rcnn (FAST_ITERS iterations, as bench/fashion_detectors.sh), then r-cnn
#             (RCNN_ITERS fine-tuning iterations; features, SVMs and box regressors on the first
#             SVM_IMAGES training images), one after the other on an otherwise idle machine;
#   accuracy  voc07 and COCO on the first TEST_IMAGES test images: r-cnn with SVMs and box
#             regression, SVMs alone, the fine-tuned softmax; fast-rcnn (one detection pass each);
#   speed     inference by stage on the same SPEED_IMAGES test images (proposals from the file):
#             r-cnn with and without its regressors, fast-rcnn; r-cnn with its warp at the paper's
#             227×227 on 3 of them.
# Usage: [RCNN_ITERS=1200] [SVM_IMAGES=150] [TEST_IMAGES=50] [SPEED_IMAGES=10] [FAST_ITERS=1200] \
#        bench/fashion_rcnn.sh WORKDIR [STEP...]   (STEPs: train, accuracy, speed; default all)
# Figures go to WORKDIR/<model>-*.json and WORKDIR/<model>-train.seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; shift
STEPS=${*:-train accuracy speed}
RCNN_ITERS=${RCNN_ITERS:-1200}; SVM_IMAGES=${SVM_IMAGES:-150}; TEST_IMAGES=${TEST_IMAGES:-50}
SPEED_IMAGES=${SPEED_IMAGES:-10}; FAST_ITERS=${FAST_ITERS:-1200}
BACKBONE=resnet18-w0.5
bench/fashion_data.sh "$W"
# shellcheck source=bench/fashion_lib.sh
source bench/fashion_lib.sh

# The first TEST_IMAGES test images as a data set of their own (R-CNN runs the CNN once per
# region: about 2000 per image).
SUBSET=$W/test-$TEST_IMAGES/annotations.json
if [[ ! -f $SUBSET ]]; then
  mkdir -p "$(dirname "$SUBSET")"
  ln -sfn "$W/test/images" "$(dirname "$SUBSET")/images"
  python3 - "$TEST" "$SUBSET" "$TEST_IMAGES" <<'EOF'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(src))
d["images"] = d["images"][:n]
ids = {im["id"] for im in d["images"]}
d["annotations"] = [a for a in d["annotations"] if a["image_id"] in ids]
json.dump(d, open(dst + ".tmp", "w"))
EOF
  mv "$SUBSET.tmp" "$SUBSET"
fi
# Their selective-search proposals (a proposals file names only images of the data it goes with).
SS=$W/test-$TEST_IMAGES/ss.json
if [[ ! -f $SS ]]; then
  python3 - "$W/ss-test.json" "$SS" "$SUBSET" <<'EOF'
import json, sys
src, dst, subset = sys.argv[1:4]
ids = {im["id"] for im in json.load(open(subset))["images"]}
d = json.load(open(src))
d["images"] = [e for e in d["images"] if e["image_id"] in ids]
json.dump(d, open(dst + ".tmp", "w"))
EOF
  mv "$SS.tmp" "$SS"
fi

if [[ $STEPS == *train* ]]; then
  ITERS=$FAST_ITERS train fast-rcnn --detector fast-rcnn --proposals "$W/ss-train.json"
  ITERS=$RCNN_ITERS train r-cnn --detector r-cnn --proposals "$W/ss-train.json" --svm-images "$SVM_IMAGES"
fi
# Detections of model $2 (extra options follow) on the subset's images as a COCO results JSON,
# every score kept (the model's own threshold applies), then both metrics from that one pass.
detections() {
  local name=$1 model=$2; shift 2
  local files
  files=$(python3 -c "import json,sys; print(' '.join(sys.argv[2] + '/' + i['file_name'] for i in json.load(open(sys.argv[1]))['images']))" \
    "$SUBSET" "$W/test/images")
  # shellcheck disable=SC2086
  [[ -s $W/$name-dets.json ]] || ./rcnn4j detect --model "$W/$model" --proposals "$SS" --score-threshold -1000 \
    --json "$W/$name-dets.json" "$@" $files > "$W/$name-detect.log" 2>&1
  for metric in voc07 coco; do
    keep "$W/$name-$metric.json" ./rcnn4j eval --gt "$SUBSET" --dt "$W/$name-dets.json" --metric $metric --json
  done
}
if [[ $STEPS == *accuracy* ]]; then
  detections r-cnn-svm-bb r-cnn
  detections r-cnn-svm r-cnn --no-box-regression
  detections r-cnn-softmax r-cnn --classifier softmax
  detections fast-rcnn fast-rcnn
fi
if [[ $STEPS == *speed* ]]; then
  # One model after another on the same images: R-CNN with its SVMs and regressors, its SVMs alone
  # (the difference in the predictor stage is the regressors' cost), Fast R-CNN.
  for run in "r-cnn:r-cnn:" "r-cnn-svm:r-cnn:--no-box-regression" "fast-rcnn:fast-rcnn:"; do
    IFS=: read -r name model extra <<< "$run"
    # shellcheck disable=SC2086
    ./rcnn4j bench speed --model "$W/$model" --data "$SUBSET" --images "$SPEED_IMAGES" --warmup 2 \
      --proposals "$SS" --json "$W/$name-speed.json" $extra
  done
  # The same network with the paper's 227×227 warp (and 16 pixels of context): a copy of the model
  # directory whose config says so; the weights fit any warp size, pool5 being pooled to 7×7.
  mkdir -p "$W/r-cnn-227"
  cp "$W/r-cnn/weights.bin" "$W/r-cnn-227/"
  python3 - "$W/r-cnn/model.json" "$W/r-cnn-227/model.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["config"]["warp"].update(size=227, context=16)
json.dump(d, open(sys.argv[2], "w"), indent=2)
EOF
  ./rcnn4j bench speed --model "$W/r-cnn-227" --data "$SUBSET" --images 3 --warmup 1 \
    --proposals "$SS" --json "$W/r-cnn-227-speed.json"
fi
