#!/usr/bin/env bash
# One training run on seeded `shapes` data, then val voc07 mAP, proposal recall and COCO figures
# (bench/ShapesExperiment.java lists the knobs). One libtorch thread, as the tests.
# Usage: bench/shapes_experiment.sh -Dtag=NAME [-Dkind=fpn] [-Dweights=FILE] [-Diters=3000] [-Dlr=0.04] ...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./rcnn4j --version >/dev/null   # builds the project when needed
CP="rcnn4j-cli/target/classes:rcnn4j-cli/target/lib/*"
exec java -Xmx3g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  "$@" -cp "$CP" bench/ShapesExperiment.java
