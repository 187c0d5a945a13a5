#!/usr/bin/env bash
# Issue 19, item 1: peak resident memory and time of detection with a ResNet-50 FPN (d = 256,
# fc 1024, 800 px; bench/configs/r50-fpn-800.json) against torchvision's fasterrcnn_resnet50_fpn on
# the same images and threads, in one run, alternating the two REPEATS times.
#
# Data: IMAGES `shapes` scenes of SIZE x SIZE pixels (seed 5). MODEL=import (the default) runs the
# very weights torchvision runs: its seeded random model's state dict, brought in by `rcnn4j import`
# (frozen BatchNorm folded; torchvision's transform, anchors and RPN rules), so both do the same
# work. MODEL=gn is the figure of 2026-12-04 at 329b9ea: rcnn4j's own R50-FPN with GroupNorm after
# one training iteration (the cost of a forward pass does not depend on the values). rcnn4j is measured by
# `bench speed` (the Detector.detect path of `detect`), torchvision by bench/torchvision_detect.py;
# both time every image after the first and are run under /usr/bin/time for peak RSS, user and
# system seconds. Results: WORKDIR/detect-memory.tsv and a table on stdout. Issue 18's benchmark
# comes from the same runs: both tools time every stage (bench/stage_table.py WORKDIR prints them side
# by side with the FLOP rate against the matrix-product rate measured here, peak-gflops.txt); SMALL=1
# also runs both, alternating, on three 640 x 480 crops of the scenes (files small-*).
# Needs Debian's python3-torchvision.
# Usage: [MODEL=import|gn] [IMAGES=8] [SIZE=800] [THREADS=2] [REPEATS=2] [SMALL=0] bench/detect_memory.sh WORKDIR
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; IMAGES=${IMAGES:-8}; SIZE=${SIZE:-800}; THREADS=${THREADS:-2}; REPEATS=${REPEATS:-2}
mkdir -p "$W"
[[ -d $W/data ]] || ./rcnn4j synth --kind shapes --images "$IMAGES" --size "$SIZE" --seed 5 --out "$W/data" > /dev/null
MODEL=${MODEL:-import}
if [[ $MODEL == import && ! -f $W/r50-fpn/model.json ]]; then
  /usr/bin/python3 bench/torchvision_detect.py --state-dict "$W/torchvision-seed0.pth"
  ./rcnn4j import --from torchvision --arch fasterrcnn_resnet50_fpn --weights "$W/torchvision-seed0.pth" \
    --bn-eps 1e-5 --out "$W/r50-fpn" > "$W/r50-fpn-import.log" 2>&1
elif [[ ! -f $W/r50-fpn/model.json ]]; then
  # ONEDNN_MAX_CPU_ISA: oneDNN's blocked convolution backward divides by the cache size CPUID
  # reports, and some virtual machines report none (SIGFPE in brgemm_convolution_bwd); the older
  # kernels this selects are slower but only this one training iteration uses them.
  ONEDNN_MAX_CPU_ISA=SSE41 RCNN4J_THREADS=$THREADS ./rcnn4j train --detector fpn --config bench/configs/r50-fpn-800.json \
    --data "$W/data/annotations.json" --out "$W/r50-fpn" --iterations 1 --seed 0 > "$W/r50-fpn-train.log" 2>&1
fi
out=$W/detect-memory.tsv
[[ -f $out ]] || printf 'run\tpeer\tseconds_per_image\tpeak_rss_mb\twall_s\tuser_s\tsys_s\n' > "$out"
measure() {  # peer run command...
  local peer=$1 run=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$W/$peer-$run.time" "$@" > "$W/$peer-$run.log" 2>&1
  local spi; spi=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d.get('seconds_per_image') or d['total_ms_per_image']/1000)" "$W/$peer-$run.json")
  read -r wall user sys kb < "$W/$peer-$run.time"
  printf '%s\t%s\t%.3f\t%.0f\t%s\t%s\t%s\n' "$run" "$peer" "$spi" "$((kb / 1000))" "$wall" "$user" "$sys" >> "$out"
}
SMALL=${SMALL:-0}
if [[ $SMALL == 1 && ! -f $W/small/annotations.json ]]; then
  # Three 640 x 480 crops (the top-left corner of the first three scenes) and their COCO file.
  /usr/bin/python3 - "$W/data" "$W/small" <<'PY'
import json, os, sys
from PIL import Image
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(dst, "images"), exist_ok=True)
coco = json.load(open(os.path.join(src, "annotations.json")))
images = []
for im in sorted(coco["images"], key=lambda i: i["id"])[:3]:
    Image.open(os.path.join(src, "images", im["file_name"])).crop((0, 0, 640, 480)).save(os.path.join(dst, "images", im["file_name"]))
    images.append(dict(im, width=640, height=480))
json.dump({"images": images, "annotations": [], "categories": coco["categories"]}, open(os.path.join(dst, "annotations.json"), "w"))
PY
fi
[[ -f $W/peak-gflops.txt ]] || /usr/bin/python3 bench/torchvision_detect.py --peak "$THREADS" > "$W/peak-gflops.txt"
for run in $(seq 1 "$REPEATS"); do
  measure rcnn4j "$run" env RCNN4J_THREADS="$THREADS" ./rcnn4j bench speed --model "$W/r50-fpn" \
    --data "$W/data/annotations.json" --images $((IMAGES - 1)) --warmup 1 --json "$W/rcnn4j-$run.json"
  measure torchvision "$run" /usr/bin/python3 bench/torchvision_detect.py "$W/data/images" "$THREADS" 1 "$W/torchvision-$run.json"
  if [[ $SMALL == 1 ]]; then
    measure small-rcnn4j "$run" env RCNN4J_THREADS="$THREADS" ./rcnn4j bench speed --model "$W/r50-fpn" \
      --data "$W/small/annotations.json" --images 2 --warmup 1 --json "$W/small-rcnn4j-$run.json"
    measure small-torchvision "$run" /usr/bin/python3 bench/torchvision_detect.py "$W/small/images" "$THREADS" 1 "$W/small-torchvision-$run.json"
  fi
done
column -t "$out"
echo; echo "800 x 800, by stage:"; /usr/bin/python3 bench/stage_table.py "$W"
[[ $SMALL == 1 ]] && { echo; echo "640 x 480, by stage:"; /usr/bin/python3 bench/stage_table.py "$W" small-; }
true
