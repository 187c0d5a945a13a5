# Shared by the fashion_*.sh benchmarks (sourced): W (work directory), BACKBONE and ITERS set by the caller.
TRAIN=$W/train/annotations.json; TEST=$W/test/annotations.json

# Trains model NAME into $W/NAME from the pre-trained backbone (extra options follow NAME), unless
# it is there already; the wall time goes to $W/NAME-train.seconds and the log to $W/NAME-train.log.
train() {
  local name=$1; shift
  [[ -f $W/$name/model.json ]] && return
  local start; start=$(date +%s)
  ./rcnn4j train --backbone-weights "$W/$BACKBONE.weights" --data "$TRAIN" --out "$W/$name" \
    --iterations "$ITERS" --seed 0 "$@" > "$W/$name-train.log" 2>&1
  echo "$(( $(date +%s) - start ))" > "$W/$name-train.seconds"
}
# The test proposals option of a model on given proposals (fast-rcnn*), nothing for the others.
proposals_of() { [[ $1 == fast-rcnn* ]] && echo "--proposals $W/ss-test.json"; }
# Runs a command writing stdout to FILE unless FILE exists (figures already measured are kept);
# writes through a temporary file so an interrupted run leaves no half-written figures.
keep() { local f=$1; shift; [[ -s $f ]] || { "$@" > "$f.tmp" && mv "$f.tmp" "$f"; }; }
# voc07 and COCO on test for model NAME.
accuracy() {
  local m=$1
  for metric in voc07 coco; do
    # shellcheck disable=SC2046
    keep "$W/$m-$metric.json" ./rcnn4j eval --model "$W/$m" --data "$TEST" --metric $metric --json $(proposals_of "$m")
  done
}
# Average recall of model NAME's RPN proposals on test (eval loads it keeping 1000 per image).
rpn_recall() { keep "$W/$1-ar.json" ./rcnn4j eval --model "$W/$1" --data "$TEST" --metric ar --json; }
# Inference time by stage of model NAME on the same 100 test images (fast-rcnn*: the test proposals file).
speed() {
  # shellcheck disable=SC2046
  ./rcnn4j bench speed --model "$W/$1" --data "$TEST" --images 100 --json "$W/$1-speed.json" $(proposals_of "$1")
}
