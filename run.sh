#!/usr/bin/env sh
# Sets up a virtual environment (first run only) and runs the main job: the case platform on
# SQLite with demo data at http://127.0.0.1:8000 (it prints the logins). With arguments it is
# `gongkai …`, e.g. `./run.sh report check examples/reports/*`.
set -e
cd "$(dirname "$0")"
PY=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/gongkai ] || { "$PY" -m venv .venv && .venv/bin/pip install -q --upgrade pip; }
.venv/bin/pip install -q -e .
if [ "$#" -eq 0 ]; then
  set -- serve --demo
fi
exec .venv/bin/gongkai "$@"
