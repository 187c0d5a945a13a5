#!/usr/bin/env bash
# Issue 18, item 4: what `train --from` gives a user who adapts a trained detector to their own
# classes. The source is any model directory (one rcnn4j trained, or torchvision's after `rcnn4j
# import`); the target is IMAGES `shapes` images of SIZE pixels (seed 4242; circle, square, triangle:
# classes the source never saw) with 60 validation images of seed 4243. Two runs of the same
# ITERATIONS, seed and config (the source's, written to WORKDIR/config.json), one at a time:
#   from      `train --from SOURCE`: the source's weights, its class predictor re-initialised
#   backbone  `train --config config.json --backbone-weights BACKBONE_WEIGHTS`: only the pre-trained
#             backbone the source itself started from (FROM_SCRATCH=1: --from-scratch instead)
# Each run's validation voc07 and COCO AR100 (model.json's training.val), training time and peak RSS go to
# WORKDIR/<run>.out, .time and a table on stdout. Finished runs are kept; rerun to continue.
# Usage: [IMAGES=200] [SIZE=320] [ITERATIONS=600] bench/fine_tune.sh WORKDIR SOURCE_MODEL_DIR BACKBONE_WEIGHTS
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; SOURCE=${2:?source model directory}; BACKBONE_WEIGHTS=${3:?backbone weights the source started from}
IMAGES=${IMAGES:-200}; SIZE=${SIZE:-320}; ITERATIONS=${ITERATIONS:-600}
mkdir -p "$W"
[[ -d $W/train ]] || ./rcnn4j synth --kind shapes --split train --images "$IMAGES" --size "$SIZE" --seed 4242 --out "$W/train" > /dev/null
[[ -d $W/val ]] || ./rcnn4j synth --kind shapes --split val --images 60 --size "$SIZE" --seed 4243 --out "$W/val" > /dev/null
[[ -f $W/config.json ]] || /usr/bin/python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))["config"], open(sys.argv[2], "w"), indent=1)' \
  "$SOURCE/model.json" "$W/config.json"
run() {  # name, train options...
  local name=$1; shift
  [[ -f $W/$name/model.json ]] && return
  rm -rf "${W:?}/$name"
  /usr/bin/time -f "%e s, peak RSS %M KB" -o "$W/$name.time" ./rcnn4j train --data "$W/train/annotations.json" \
    --val "$W/val/annotations.json" --out "$W/$name" --iterations "$ITERATIONS" --seed 0 "$@" > "$W/$name.out" 2> "$W/$name.log"
}
run from --from "$SOURCE"
run backbone --config "$W/config.json" --backbone-weights "$BACKBONE_WEIGHTS"
printf '| start | val voc07 | val COCO AR100 | training (wall, peak RSS) |\n|---|---|---|---|\n'
for name in from backbone; do
  /usr/bin/python3 - "$W/$name/model.json" "$W/$name.time" "$name" <<'PY'
import json, sys
val = json.load(open(sys.argv[1]))["training"]["val"]
t = open(sys.argv[2]).read().strip().splitlines()[-1]
print("| %s | %.3f | %.3f | %s |" % (sys.argv[3], val["voc07_mAP"], val["AR100"], t))
PY
done
