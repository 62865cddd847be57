#!/usr/bin/env bash
# How to produce paper_figures/fashion/ on one GPU machine (run from the repository root):
#   1. train the offline prior (glad train-generator) for GAN_MINUTES;
#   2. measure it (nbs/experiments/prior_quality.ipynb; the figures go into the checkpoint's metadata) and ship it
#      as glad/assets/fashion-mnist-32px.safetensors;
#   3. run the fashion profile, starting no job after SWEEP_MINUTES (rerunning resumes), then aggregate.
# One job at a time: processes sharing one GPU time-slice it, and on an H200 the GAN trained 4x slower
# (330 instead of 1330 images/s) with three sweep jobs beside it.
# Usage: bash paper_figures/fashion/reproduce.sh [OUT]
set -u
OUT=${1:-runs/reproduce_fashion}
GAN_MINUTES=${GAN_MINUTES:-6}
SWEEP_MINUTES=${SWEEP_MINUTES:-30}
PROFILES=${PROFILES:-nbs/experiments/profiles.toml}
GAN_EXTRA=${GAN_EXTRA:-}                 # e.g. "--channel-max 16 --batch 8" for a quick dry run
QUALITY_EXTRA=${QUALITY_EXTRA:-"-p per_class 1000 -p classifier_epochs 10 -p classifier_width 128 -p max_per_class None -p max_test None"}
glad() { python3 -c 'import sys; from glad.cli import main; sys.exit(main())' "$@"; }
mkdir -p "$OUT"

echo "== 1 $(date +%T): train the prior"
glad train-generator --out "$OUT/gan" --kimg 100000 --minutes "$GAN_MINUTES" --no-progress $GAN_EXTRA 2>&1 | tail -n 1

echo "== 2 $(date +%T): measure and ship it"
python3 -m papermill nbs/experiments/prior_quality.ipynb "$OUT/quality.ipynb" -p checkpoint "$OUT/gan/generator.safetensors" \
  -p record True -p figures "$OUT/quality" $QUALITY_EXTRA --log-level ERROR > "$OUT/quality.log" 2>&1 || exit 1
cat "$OUT/quality/prior_quality.md"
mkdir -p glad/assets && cp "$OUT/gan/generator.safetensors" glad/assets/fashion-mnist-32px.safetensors

echo "== 3 $(date +%T): the sweep"
glad paper --profile fashion --profiles "$PROFILES" --sweep "$OUT/sweep" --figures "$OUT/figures" --no-progress \
  --stop-after "$SWEEP_MINUTES" 2>&1 | grep -v IPKernelApp | tail -n 5
echo "== done $(date +%T)"
