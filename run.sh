#!/usr/bin/env sh
# Sets up a virtual environment (first run only) and runs the main job: the case platform on
# SQLite with demo data at http://127.0.0.1:8000 (it prints the logins). With arguments it is
# `gongkai …`, e.g. `./run.sh report check examples/reports/*`.
set -e
cd "$(dirname "$0")"
PY=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/python ] || { "$PY" -m venv .venv && .venv/bin/pip install -q --upgrade pip; }
# Install (again) only when the environment lacks the platform or pyproject.toml changed since.
if [ ! -x .venv/bin/gongkai ] || [ ! -f .venv/.gongkai-installed ] \
   || [ pyproject.toml -nt .venv/.gongkai-installed ]; then
  .venv/bin/pip install -q -e . && touch .venv/.gongkai-installed
fi
if [ "$#" -eq 0 ]; then
  set -- serve --demo
fi
exec .venv/bin/gongkai "$@"
