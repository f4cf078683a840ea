#!/usr/bin/env sh
# Sets up a virtual environment (first run only) and runs the main job.
set -e
cd "$(dirname "$0")"
PY=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/gongkai ] || { "$PY" -m venv .venv && .venv/bin/pip install -q --upgrade pip && .venv/bin/pip install -q -e .; }
if [ "$#" -eq 0 ]; then
  set -- report check examples/reports/*
fi
exec .venv/bin/gongkai "$@"
