#!/usr/bin/env bash
# Issue 20: `rcnn4j serve` under load, on loopback only, bounded in requests and time.
#
# For each MODEL (tiny, fashion): starts `serve --workers WORKERS --queue QUEUE` on a free port,
# warms it with a few requests, then runs bench/ServeLoad.java (C closed-loop clients, N requests,
# MAX_SECONDS at most) three times with C = WORKERS + QUEUE (every request admitted: the goal is 0 errors
# and 0 refusals), then once with C = 2 x (WORKERS + QUEUE) (deliberate overload: the extra
# requests get 503 at once, nothing else fails). The server's resident memory (VmRSS) is read after
# the warm-up and after each round: flat means no request leaks; the Java heap's committed size
# (from /metrics) says how much of it is the collector's. SIGTERM stops the server.
#
#   tiny:    rcnn4j-core's saved-model fixture faster-rcnn (tiny backbone, fc 128, short side 416)
#            on its four 128 x 128 `shapes` images (upscaled to 416 inside).
#   fashion: a Faster R-CNN with the fashion benchmark's backbone (resnet18-w0.5) and defaults,
#            trained for 1 iteration (a detection's cost does not depend on the weights' values), on
#            8 `fashion` test images of 320 x 320.
#
# Results: WORKDIR/serve-load.jsonl (one line per round) and a markdown table on stdout.
# Usage: [WORKERS=2] [QUEUE=2] [REQUESTS=100] [MAX_SECONDS=120] [THREADS=1] bench/serve_load.sh WORKDIR [tiny] [fashion]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; shift
MODELS=("$@"); (( ${#MODELS[@]} )) || MODELS=(tiny fashion)
WORKERS=${WORKERS:-2}; QUEUE=${QUEUE:-2}; REQUESTS=${REQUESTS:-100}; MAX_SECONDS=${MAX_SECONDS:-120}
# libtorch threads per worker; the launcher's RCNN4J_THREADS.
export RCNN4J_THREADS=${THREADS:-1}
mkdir -p "$W"
out=$W/serve-load.jsonl
: > "$out"

model_and_images() {  # name -> "MODEL_DIR IMAGE_DIR"
  case $1 in
    tiny) echo "rcnn4j-core/src/test/resources/models/faster-rcnn rcnn4j-core/src/test/resources/models/images" ;;
    fashion)
      [[ -d $W/fashion-test ]] || ./rcnn4j synth --kind fashion --split test --images 8 --seed 1 --out "$W/fashion-test" > /dev/null
      [[ -f $W/fashion-model/model.json ]] || ./rcnn4j train --backbone resnet18-w0.5 --data "$W/fashion-test/annotations.json" \
        --out "$W/fashion-model" --iterations 1 --seed 0 > "$W/fashion-train.log" 2>&1
      echo "$W/fashion-model $W/fashion-test/images" ;;
    *) echo "unknown model '$1' (tiny or fashion)" >&2; exit 2 ;;
  esac
}

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

for name in "${MODELS[@]}"; do
  read -r model images < <(model_and_images "$name")
  log=$W/serve-$name.log
  ./rcnn4j serve --model "$model" --port 0 --workers "$WORKERS" --queue "$QUEUE" > "$log" 2> "$W/serve-$name.err" &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 600); do grep -q 'at http' "$log" 2>/dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*/' "$log" | head -1)
  [[ -n $url ]] || { echo "serve did not start; see $W/serve-$name.err" >&2; exit 1; }
  # Warm-up: the JIT, libtorch's first allocations and every handler and worker thread started.
  java bench/ServeLoad.java "$url" "$images" $((WORKERS + QUEUE)) 30 60 > /dev/null
  rss0=$(rss_mb "$pid")
  admitted=$((WORKERS + QUEUE))
  for round in 1 2 3 overload; do
    clients=$admitted; [[ $round == overload ]] && clients=$((2 * admitted))
    result=$(java bench/ServeLoad.java "$url" "$images" "$clients" "$REQUESTS" "$MAX_SECONDS")
    rss=$(rss_mb "$pid")
    heap=$(curl -s "${url}metrics" | awk '/^rcnn4j_jvm_heap_committed_bytes / { printf "%.0f", $2 / 1048576 }')
    echo "{\"model\": \"$name\", \"round\": \"$round\", \"workers\": $WORKERS, \"queue\": $QUEUE, \"threads\": $RCNN4J_THREADS, \"rss_before_mb\": $rss0, \"rss_after_mb\": $rss, \"heap_committed_mb\": ${heap:-null}, \"load\": $result}" >> "$out"
    rss0=$rss
  done
  kill -TERM "$pid"; wait "$pid" || true
  trap - EXIT
done

python3 - "$out" <<'EOF'
import json, sys
def v(x): return "–" if x is None else x
print("| model | round | clients | requests | 200 | 503 | errors | req/s | p50 ms | p95 ms | p99 ms | 503 p99 ms | RSS before → after MB | heap committed MB |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    r = json.loads(line); l = r["load"]
    print(f"| {r['model']} | {r['round']} | {l['clients']} | {l['requests']} | {l['ok']} | {l['refused_503']} | {l['errors']} "
          f"| {l['throughput_rps']:.2f} | {v(l['p50_ms'])} | {v(l['p95_ms'])} | {v(l['p99_ms'])} | {v(l['refused_p99_ms'])} "
          f"| {r['rss_before_mb']} → {r['rss_after_mb']} | {v(r.get('heap_committed_mb'))} |")
EOF
