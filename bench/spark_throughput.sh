#!/usr/bin/env bash
# Issue 21: images per second of the Spark job (rcnn4j-spark, local mode) against `rcnn4j detect` on
# the same images, model and cores, with each one's peak resident memory; the runs alternate
# (detect, Spark local[2], Spark local[1], ...) REPEATS times, so that another job on the machine
# weighs on each alike.
#
# Data: IMAGES `shapes` scenes of SIZE x SIZE pixels (seed 11). Model: rcnn4j-core's saved-model
# fixture `faster-rcnn` (the tiny backbone at a shorter side of 416 px), where detection is nearly
# all the work (decoding a 320 x 320 PNG takes about 1 % of an image's time). Three ways to use
# THREADS cores:
#   detect       RCNN4J_THREADS=THREADS ./rcnn4j detect --json: one image at a time, THREADS libtorch threads
#   spark-tasks  --master local[THREADS], 1 libtorch thread per task (the job's default, spark.task.cpus)
#   spark-1task  --master local[1] --threads-per-task THREADS: detect's way, for Spark's own overhead
# Each is run under /usr/bin/time (wall seconds, peak RSS); its RSS is also sampled every second
# (WORKDIR/<run>.rss, kB) to show whether memory stays flat over the partitions. images/s is
# counted two ways: over the detection itself (detect's last progress line, from after the model is
# loaded; the job's own line, from its first task, model load on the executor included, to the
# renamed output), and over the whole process (JVM and Spark start-up included). The Spark output
# is compared with detect's --json byte for byte. The same runs on one image (the first; peers
# detect-1img, spark-tasks-1img) give each one's fixed cost (JVM and Spark start-up, model load, the
# JIT warming up). bench/spark_throughput_report.py summarises: each run's rates as ratios to
# detect's in the same run, then the medians.
#
# Spark: $SPARK_HOME/bin/spark-submit when SPARK_HOME is set; otherwise Spark 4.0.1's jars from
# Maven Central (bench/spark-dist) run by java with rcnn4j-spark/spark-jvm.options, which is what
# spark-submit's launcher adds on Java 17. Both with OMP_WAIT_POLICY=PASSIVE and
# GLIBC_TUNABLES=glibc.malloc.hugetlb=1, as the rcnn4j launcher runs detect: local mode's one JVM
# reads them from spark-submit's environment.
# Results: WORKDIR/spark-throughput.tsv and a table on stdout.
# Usage: [IMAGES=500] [SIZE=320] [THREADS=2] [REPEATS=2] [PARTITIONS=] bench/spark_throughput.sh WORKDIR
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
W=${1:?work directory}; IMAGES=${IMAGES:-500}; SIZE=${SIZE:-320}; THREADS=${THREADS:-2}; REPEATS=${REPEATS:-2}
PARTITIONS=${PARTITIONS:-}
mkdir -p "$W"
W=$(cd "$W" && pwd)
MODEL=$PWD/rcnn4j-core/src/test/resources/models/faster-rcnn

./rcnn4j --version > /dev/null  # builds rcnn4j on first use
[[ -d $W/data ]] || ./rcnn4j synth --kind shapes --split test --images "$IMAGES" --size "$SIZE" --seed 11 --out "$W/data" > /dev/null
[[ -d $W/one ]] || { mkdir -p "$W/one"; cp "$(ls "$W"/data/images/*.png | head -1)" "$W/one/"; }
JAR=$(ls rcnn4j-spark/target/rcnn4j-spark-*-job.jar 2>/dev/null | head -1 || true)
if [[ -z $JAR || -n $(find rcnn4j-core/src/main rcnn4j-spark/src/main rcnn4j-spark/pom.xml -newer "$JAR" -print -quit) ]]; then
  mvn -B -q install -DskipTests -pl rcnn4j-spark -am > "$W/build.log" 2>&1
  JAR=$(ls rcnn4j-spark/target/rcnn4j-spark-*-job.jar | head -1)
fi
if [[ -n ${SPARK_HOME:-} ]]; then
  submit=(env OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$SPARK_HOME/bin/spark-submit")
else
  [[ -d bench/spark-dist/target/jars ]] || (cd bench/spark-dist && mvn -B -q package > "$W/spark-dist.log" 2>&1)
  submit=(env OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1 java @rcnn4j-spark/spark-jvm.options -Dlog4j2.level=warn -cp "bench/spark-dist/target/jars/*" org.apache.spark.deploy.SparkSubmit)
fi
spark_opts=(--conf spark.ui.enabled=false --class org.rcnn4j.spark.DetectJob)
[[ -n $PARTITIONS ]] && partitions=(--partitions "$PARTITIONS") || partitions=()

out=$W/spark-throughput.tsv
[[ -f $out ]] || printf 'run\tpeer\timages_per_s\tprocess_images_per_s\tpeak_rss_mb\twall_s\tuser_s\tsys_s\tsame_as_detect\n' > "$out"

sample_rss() {  # pid file: the RSS (kB) of the process tree's java every second while it runs
  local pid=$1 file=$2
  : > "$file"
  while kill -0 "$pid" 2>/dev/null; do
    local java; java=$(pgrep -P "$pid" java || echo "$pid")
    ps -o rss= -p "$java" >> "$file" 2>/dev/null || true
    sleep 1
  done
}

measure() {  # peer run command...
  local peer=$1 run=$2; shift 2
  local name=$peer-$run
  rm -rf "$W/$name.json"
  /usr/bin/time -f "%e %U %S %M" -o "$W/$name.time" "$@" > "$W/$name.log" 2>&1 &
  local pid=$!
  sample_rss "$pid" "$W/$name.rss" &
  wait "$pid"
  read -r wall user sys kb < "$W/$name.time"
  local rate
  if [[ $peer == detect ]]; then
    rate=$(grep -o 'detect [0-9]*/[0-9]* images ([0-9.]* images/s' "$W/$name.log" | tail -1 | sed 's/.*(\([0-9.]*\) images.s/\1/')
  else
    rate=$(grep -o '[0-9.]* images/s' "$W/$name.log" | tail -1 | cut -d' ' -f1)
  fi
  local same=reference images=$IMAGES
  [[ $peer == *-1img ]] && images=1
  if [[ $peer != detect* ]]; then
    local ref=detect; [[ $peer == *-1img ]] && ref=detect-1img
    cmp -s "$W/$name.json" "$W/$ref-$run.json" && same=yes || same=no
  fi
  printf '%s\t%s\t%s\t%.2f\t%.0f\t%s\t%s\t%s\t%s\n' "$run" "$peer" "$rate" "$(echo "$images / $wall" | bc -l)" \
    "$((kb / 1000))" "$wall" "$user" "$sys" "$same" >> "$out"
}

commit=$(git rev-parse --short HEAD)
echo "# $(date -u +%F) build $commit, $(nproc) cores, IMAGES=$IMAGES SIZE=$SIZE THREADS=$THREADS" >> "$W/runs.txt"
for run in $(seq 1 "$REPEATS"); do
  measure detect "$run" env RCNN4J_THREADS="$THREADS" ./rcnn4j detect --model "$MODEL" --json "$W/detect-$run.json" "$W/data/images"
  measure spark-tasks "$run" "${submit[@]}" --master "local[$THREADS]" "${spark_opts[@]}" "$JAR" \
    --model "$MODEL" --input "$W/data/images" --output "$W/spark-tasks-$run.json" --format coco "${partitions[@]}"
  measure spark-1task "$run" "${submit[@]}" --master "local[1]" "${spark_opts[@]}" "$JAR" \
    --model "$MODEL" --input "$W/data/images" --output "$W/spark-1task-$run.json" --format coco --threads-per-task "$THREADS" "${partitions[@]}"
  measure detect-1img "$run" env RCNN4J_THREADS="$THREADS" ./rcnn4j detect --model "$MODEL" --json "$W/detect-1img-$run.json" "$W/one"
  measure spark-tasks-1img "$run" "${submit[@]}" --master "local[$THREADS]" "${spark_opts[@]}" "$JAR" \
    --model "$MODEL" --input "$W/one" --output "$W/spark-tasks-1img-$run.json" --format coco
done
column -t -s $'\t' "$out"
python3 bench/spark_throughput_report.py "$out"
