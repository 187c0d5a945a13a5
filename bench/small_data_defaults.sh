#!/usr/bin/env bash
# Issue 22's small-data goal: what a user gets from `train` given only the data. For each SEED,
# 200 `shapes` training images of that seed and 60 validation images of the next one; Faster R-CNN, FPN and Fast R-CNN
# (selective search) trained with --data, --val, --out and --backbone tiny, nothing else; the val
# voc07 mAP and the training time from each run's output. Runs one training at a time (the machine
# otherwise idle) unless PARALLEL=2. Finished runs are kept; rerun to continue.
# Usage: [SEEDS="4242"] [DETECTORS="faster-rcnn fpn fast-rcnn"] [PARALLEL=1] [EXTRA="..."] bench/small_data_defaults.sh WORKDIR
# EXTRA adds options to every `train` (to compare a candidate default against the defaults).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; SEEDS=${SEEDS:-4242}; DETECTORS=${DETECTORS:-faster-rcnn fpn fast-rcnn}
PARALLEL=${PARALLEL:-1}; EXTRA=${EXTRA:-}
mkdir -p "$W"
run() {
  local seed=$1 det=$2 out=$W/$1-$2
  [[ -f $out/model.json ]] && return
  rm -rf "$out"
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e s, peak RSS %M KB" -o "$out.time" ./rcnn4j train --detector "$det" --backbone tiny \
    --data "$W/$seed-train/annotations.json" --val "$W/$seed-val/annotations.json" --out "$out" $EXTRA \
    > "$out.out" 2> "$out.log"
}
for seed in $SEEDS; do
  [[ -d $W/$seed-train ]] || ./rcnn4j synth --kind shapes --split train --images 200 --seed "$seed" --out "$W/$seed-train" > /dev/null
  [[ -d $W/$seed-val ]] || ./rcnn4j synth --kind shapes --split val --images 60 --seed $((seed + 1)) --out "$W/$seed-val" > /dev/null
  running=0
  for det in $DETECTORS; do
    run "$seed" "$det" &
    running=$((running + 1))
    if (( running >= PARALLEL )); then wait -n; running=$((running - 1)); fi
  done
  wait
done
printf "| seed | detector | val voc07 | training |\n|---|---|---|---|\n"
for seed in $SEEDS; do
  for det in $DETECTORS; do
    out=$W/$seed-$det
    [[ -f $out.out ]] || continue
    printf "| %s | %s | %s | %s |\n" "$seed" "$det" "$(awk '/val voc07_mAP/ {print $3}' "$out.out")" \
      "$(sed -n 's/^trained in \([^;]*\);.*/\1/p' "$out.out")"
  done
done
