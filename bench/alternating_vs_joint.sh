#!/usr/bin/env bash
# Faster R-CNN's two training schedules (§3.2) side by side, in one run: approximate joint training
# and 4-step alternating training on the same seeded `shapes` data, backbone, model config and
# seed, at the iteration budgets given (default: 1200 and 2400). Prints one markdown row per run:
# schedule, iterations, the per-step split, training wall time, val voc07 mAP, COCO AP.
# Usage: bench/alternating_vs_joint.sh [WORK_DIR] [BUDGET...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
shift || true
budgets=("${@:-1200 2400}")
read -r -a budgets <<<"${budgets[*]}"
cli="$root/rcnn4j"
rm -rf "$work" && mkdir -p "$work"
"$cli" synth --kind shapes --split train --images 200 --size 128 --seed 21 --out "$work/train" >/dev/null 2>&1
"$cli" synth --kind shapes --split val --images 50 --size 128 --seed 21 --out "$work/val" >/dev/null 2>&1
# The learning tests' model: tiny backbone, s = 256, anchors 16-128, RoIAlign, FasterRcnnConfig.small's rules.
cat >"$work/config.json" <<'JSON'
{"backbone": "tiny", "numClasses": 5,
 "input": {"shortSide": 256, "maxSize": 427, "trainScales": [256]},
 "anchors": {"sizes": [16, 32, 64, 128], "ratios": [0.5, 1, 2]},
 "rpn": {"positiveIoU": 0.7, "negativeIoU": 0.3, "batchSize": 256, "positiveFraction": 0.5, "preNmsTrain": 2000,
         "postNmsTrain": 500, "preNmsTest": 1000, "postNmsTest": 100, "nms": 0.7, "minSize": 0,
         "boxLossWeight": 1, "smoothL1Beta": 0.11111111},
 "roi": {"perImage": 128, "fgFraction": 0.25, "fgIoU": 0.5, "bgLow": 0, "pooler": "roi-align", "poolSize": 7,
         "fc6": 512, "fc7": 512, "boxLossWeight": 1, "smoothL1Beta": 1},
 "test": {"scoreThreshold": 0.05, "nms": 0.5, "detectionsPerImage": 100}}
JSON
field() { grep -o "\"$1\" : [0-9.E-]*" "$2" | head -1 | sed 's/.* : //'; }
echo "| schedule | iterations | steps | training s | val voc07 mAP | val COCO AP |"
echo "|---|---|---|---|---|---|"
for its in "${budgets[@]}"; do
  for schedule in joint alternating; do
    out="$work/$schedule-$its"
    "$cli" train --schedule "$schedule" --config "$work/config.json" --data "$work/train/annotations.json" \
      --val "$work/val/annotations.json" --iterations "$its" --seed 21 --out "$out" >"$out.log" 2>&1
    json="$out/model.json"
    steps="$(tr -d '\n ' <"$json" | grep -o '"step_iterations":\[[0-9,]*\]' | sed 's/.*\[//; s/\]//; s/,/\//g' || true)"
    printf '| %s | %s | %s | %.0f | %.3f | %.3f |\n' "$schedule" "$its" "${steps:--}" "$(field seconds "$json")" \
      "$(field voc07_mAP "$json")" "$(field AP "$json")"
  done
done
