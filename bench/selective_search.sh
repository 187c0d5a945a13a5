#!/usr/bin/env bash
# Selective search (issue 5): rcnn4j's Java implementation against OpenCV's ximgproc (bytedeco
# presets) on `fashion` val, one thread each: recall at IoU 0.5 / 0.7 with at most 2000 boxes,
# mean best overlap, seconds per image. Usage: bench/selective_search.sh OUT_DIR [IMAGES] [METHOD...]
# TOPS=2000,200,100 sets the box budgets reported. (methods: rcnn4j-fast rcnn4j-quality opencv-fast opencv-quality; default: all four).
# Maven fetches the OpenCV presets from Maven Central on first use; rcnn4j itself never depends on them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?output directory}; N=${2:-100}; shift $(( $# < 2 ? $# : 2 ))
METHODS=("${@:-rcnn4j-fast opencv-fast rcnn4j-quality opencv-quality}")
mkdir -p "$W"
[[ -d $W/val ]] || ./rcnn4j synth --kind fashion --split val --images "$N" --seed 1 --backgrounds classic --out "$W/val"
mvn -B -q -DskipTests install -pl rcnn4j-core -am
mvn -B -q -DskipTests package -f bench/selective-search-opencv/pom.xml
h=bench/selective-search-opencv/target
# shellcheck disable=SC2068
java -cp "$h/classes:$h/lib/*" org.rcnn4j.bench.SelectiveSearchBench "$W/val/annotations.json" "${TOPS:-2000,200,100}" ${METHODS[@]} \
  | tee "$W/selective_search.md"
