"""``gongkai serve`` is a production server: gunicorn answers a burst of 100 simultaneous
clients without refusing one, and refuses to start on a configuration error."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update({"GONGKAI_DATA_DIR": str(tmp_path / "data"), **extra})
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - loopback test URL
            r.read()
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return -1


@pytest.fixture
def server(tmp_path: Path):
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port), "--workers", "2"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while _get(f"{base}/login/") != 200:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"服务未能启动：{proc.stdout.read() if proc.stdout else ''}")
        time.sleep(0.3)
    yield base
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_a_burst_of_100_clients_is_served(server: str):
    urls = [f"{server}/login/"] * 50 + [f"{server}/portal/"] * 50
    with ThreadPoolExecutor(max_workers=100) as pool:
        codes = list(pool.map(_get, urls))
    assert codes == [200] * 100


def test_security_headers_are_sent(server: str):
    with urllib.request.urlopen(f"{server}/portal/", timeout=30) as r:  # noqa: S310
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_refuses_to_start_on_a_configuration_error(tmp_path: Path):
    done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "gongkai.cli", "serve", "--port", str(_free_port())],
        env=_env(tmp_path, GONGKAI_TRUSTED_PROXIES="proxy.example"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "无法启动" in done.stderr
    assert "gongkai.E012" in done.stderr
