#!/usr/bin/env bash
# Makes the saved-model fixtures of rcnn4j-core/src/test/resources/models: small models of every
# detector kind, trained by the build this runs, with their detections on four images.
# Usage: make.sh RCNN4J_ROOT OUT_DIR
set -euo pipefail
root=$1; out=$2; work=$(mktemp -d)
r="$root/rcnn4j"
w="$root/rcnn4j-core/src/main/resources/org/rcnn4j/pretrain/tiny-fashion.weights"
mkdir -p "$out"
"$r" synth --kind shapes --split train --images 200 --seed 5 --out "$work/train" >/dev/null
"$r" synth --kind shapes --split val --images 4 --seed 6 --out "$work/val" >/dev/null
mkdir -p "$out/images"; cp "$work"/val/images/*.png "$out/images/"
cp "$work/val/annotations.json" "$out/images.json"
"$r" proposals --method selective-search --data "$work/train/annotations.json" --out "$work/ss-train.json" --max 500 --threads 2 >/dev/null
# The images as a proposals file keyed by file name (detect's image_id is the file name without extension).
"$r" proposals --method selective-search --data "$out/images.json" --out "$out/proposals.json" --max 500 --threads 2 >/dev/null
small() { # kind, planned model.json -> config with fc 128
  jq '.config | .roi.fc6 = 128 | .roi.fc7 = 128' "$1"
}
for kind in faster-rcnn fpn fast-rcnn; do
  extra=(); [[ $kind == fast-rcnn ]] && extra=(--proposals "$work/ss-train.json")
  "$r" train --detector $kind --data "$work/train/annotations.json" --backbone-weights "$w" --iterations 1 \
    --out "$work/plan-$kind" "${extra[@]}" >/dev/null 2>&1
  small "$work/plan-$kind/model.json" > "$work/$kind.config.json"
  "$r" train --detector $kind --data "$work/train/annotations.json" --backbone-weights "$w" --iterations 300 \
    --config "$work/$kind.config.json" --seed 3 --out "$out/$kind" "${extra[@]}" 2>/dev/null
done
"$r" compress --model "$out/faster-rcnn" --svd fc6=32,fc7=16 --out "$out/faster-rcnn-svd" >/dev/null
for m in faster-rcnn fpn faster-rcnn-svd; do
  "$r" detect --model "$out/$m" --score-threshold 0 --json "$out/$m.detections.json" "$out/images" >/dev/null
done
"$r" detect --model "$out/fast-rcnn" --proposals "$out/proposals.json" --score-threshold 0 --json "$out/fast-rcnn.detections.json" "$out/images" >/dev/null
for m in faster-rcnn fpn; do
  "$r" proposals --method rpn --model "$out/$m" --data "$out/images.json" --out "$out/$m.proposals.json" --max 50 >/dev/null
done
rm -f "$out"/*/loss.png
rm -rf "$work"
