#!/usr/bin/env bash
# SPP-net on small `shapes` data (issue 17), beside Fast R-CNN with and without its conv layers
# frozen: 200 training images (seed 4242) and 60 validation images (seed 4243), the shipped tiny
# backbone, training seed 1, one libtorch thread per run. Each run's val voc07, AR100 and wall time
# are those `train` prints; finished runs are kept, so rerunning continues.
#   spp-416-lrX   SPP-net at the one planned scale (bench/configs/spp-net-shapes-416.json), base lr X
#   spp-832       at twice that scale
#   spp-5scale    the five scales of SppNetConfig.smallPyramid (train's default for spp-net)
#   fast-rcnn     train's defaults; fast-rcnn-frozen: every conv layer frozen as SPP-net's, lr 0.003
# Usage: [RUNS="spp-5scale fast-rcnn-frozen"] bench/spp_net_shapes.sh WORKDIR
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}
RUNS=${RUNS:-spp-416-lr0.001 spp-416-lr0.003 spp-416-lr0.006 spp-832 spp-5scale fast-rcnn fast-rcnn-frozen}
mkdir -p "$W"
[[ -d $W/train ]] || ./rcnn4j synth --kind shapes --split train --images 200 --seed 4242 --out "$W/train" > /dev/null
[[ -d $W/val ]] || ./rcnn4j synth --kind shapes --split val --images 60 --seed 4243 --out "$W/val" > /dev/null

run() {
  local name=$1 det=$2; shift 2
  [[ -f $W/$name/model.json ]] && return
  rm -rf "${W:?}/$name"
  /usr/bin/time -f "%e s, peak RSS %M KB" -o "$W/$name.time" ./rcnn4j train --detector "$det" --backbone tiny \
    --data "$W/train/annotations.json" --val "$W/val/annotations.json" --out "$W/$name" --seed 1 "$@" \
    > "$W/$name.out" 2> "$W/$name.log"
}
for r in $RUNS; do
  case $r in
    spp-416-lr*) run "$r" spp-net --config bench/configs/spp-net-shapes-416.json --lr "${r#spp-416-lr}" ;;
    spp-832) run "$r" spp-net --config bench/configs/spp-net-shapes-832.json ;;
    spp-5scale) run "$r" spp-net ;;
    fast-rcnn) run "$r" fast-rcnn ;;
    fast-rcnn-frozen) run "$r" fast-rcnn --config bench/configs/fast-rcnn-shapes-416-frozen.json --lr 0.003 ;;
    *) echo "unknown run $r" >&2; exit 2 ;;
  esac
done
printf "| run | val voc07 | val AR100 | training | time, peak RSS |\n|---|---|---|---|---|\n"
for r in $RUNS; do
  [[ -f $W/$r.out ]] || continue
  printf "| %s | %s | %s | %s | %s |\n" "$r" "$(awk '/val voc07_mAP/ {print $3}' "$W/$r.out")" \
    "$(awk '/val AR100/ {print $3}' "$W/$r.out")" "$(sed -n 's/^trained in \([^;]*\);.*/\1/p' "$W/$r.out")" "$(cat "$W/$r.time")"
done
