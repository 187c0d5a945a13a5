#!/usr/bin/env bash
# How the launcher's huge-page setting pays: `bench speed` (detection, stage by stage) and `bench
# train` (training iterations) of the same model on the same images and threads under three
# allocator settings, alternating, REPEATS times:
#   off     4 KB pages only (GLIBC_TUNABLES=glibc.malloc.hugetlb=0, THP_MEM_ALLOC_ENABLE=0)
#   libtorch  libtorch's own huge-page allocations of 2 MB or more (THP_MEM_ALLOC_ENABLE=1)
#   glibc   glibc's malloc madvises its memory for huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1,
#           glibc 2.35 or newer), the launcher's default
# Figures: WORKDIR/huge-pages.tsv (seconds per image or iteration, peak RSS) and each run's JSON.
# Usage: [REPEATS=2] [THREADS=2] [IMAGES=5] [TRAIN_MODEL=DIR TRAIN_DATA=FILE] bench/huge_pages.sh WORKDIR MODEL DATA
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; MODEL=${2:?model directory}; DATA=${3:?COCO annotations of the images}
REPEATS=${REPEATS:-2}; THREADS=${THREADS:-2}; IMAGES=${IMAGES:-5}
mkdir -p "$W"
out=$W/huge-pages.tsv
[[ -f $out ]] || printf 'run\tsetting\ttask\tseconds\tpeak_rss_mb\n' > "$out"
setting_env() {
  case $1 in
    off) echo "GLIBC_TUNABLES=glibc.malloc.hugetlb=0 THP_MEM_ALLOC_ENABLE=0" ;;
    libtorch) echo "GLIBC_TUNABLES=glibc.malloc.hugetlb=0 THP_MEM_ALLOC_ENABLE=1" ;;
    glibc) echo "GLIBC_TUNABLES=glibc.malloc.hugetlb=1 THP_MEM_ALLOC_ENABLE=0" ;;
  esac
}
measure() {  # run setting task command...
  local run=$1 setting=$2 task=$3; shift 3
  local json=$W/$task-$setting-$run.json
  # shellcheck disable=SC2046
  env $(setting_env "$setting") RCNN4J_THREADS="$THREADS" /usr/bin/time -f "%M" -o "$json.kb" "$@" --json "$json" > "$json.log" 2>&1
  local seconds; seconds=$(/usr/bin/python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print(d['total_ms_per_image'] / 1000 if 'total_ms_per_image' in d else d['iteration_ms'] / 1000)" "$json")
  printf '%s\t%s\t%s\t%.3f\t%d\n' "$run" "$setting" "$task" "$seconds" "$(( $(tail -1 "$json.kb") / 1000 ))" >> "$out"
}
for run in $(seq 1 "$REPEATS"); do
  for setting in off libtorch glibc; do
    measure "$run" "$setting" detect ./rcnn4j bench speed --model "$MODEL" --data "$DATA" --images "$IMAGES" --warmup 1
    if [[ -n ${TRAIN_MODEL:-} ]]; then
      measure "$run" "$setting" train ./rcnn4j bench train --model "$TRAIN_MODEL" --data "$TRAIN_DATA" --iterations 20
    fi
  done
done
column -t "$out"
