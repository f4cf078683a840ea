#!/usr/bin/env sh
# Sets up a virtual environment with the test tools, lints and runs the tests.
# Extra arguments go to pytest. DATABASE_URL selects the database (SQLite by default).
# Browser tests drive Debian's Chromium (/usr/bin/chromium); as root on Debian it is installed
# here if missing, elsewhere those tests are skipped with the reason.
set -e
cd "$(dirname "$0")"
PY=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get install -y -q chromium >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } \
    || echo "未能安装 Chromium，浏览器测试将跳过" >&2
fi
.venv/bin/ruff check .
.venv/bin/lint-imports --no-logo --no-cache
exec .venv/bin/pytest "$@"
