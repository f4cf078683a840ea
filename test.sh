#!/usr/bin/env sh
# Sets up a virtual environment with the test tools (first run only), lints and runs the tests.
# Extra arguments go to pytest. DATABASE_URL selects the database for tests marked `db`.
set -e
cd "$(dirname "$0")"
PY=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'
.venv/bin/ruff check .
exec .venv/bin/pytest "$@"
