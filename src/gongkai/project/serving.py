"""Production serving: the platform under gunicorn, started from ``gongkai serve``.

gunicorn's threaded workers (``gthread``): several processes, each with a few threads, so
a slow request (a file download, a report export) does not hold up the others, and a deep
listen backlog so that a burst of clients waits instead of being refused. The defaults suit
the machine: one process per core (at least two, at most eight), four threads each. More
processes than cores only fight over the CPU with each other and with the database: on two
cores, 2 × 4 served the portal's status page at 298 requests a second where 4 × 4 managed
181 (``bench/bench_load.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication

THREADS = 4
BACKLOG = 2048


def default_workers() -> int:
    """One worker process per core, between two and eight."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(2, min(8, cores or 1))


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 0  # 0: default_workers()
    threads: int = THREADS
    access_log: str | None = None  # a file, "-" for standard output, None for none
    trusted_proxies: tuple[str, ...] = ()

    def gunicorn_config(self) -> dict[str, Any]:
        return {
            "bind": [
                f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
            ],
            "workers": self.workers or default_workers(),
            "threads": self.threads,
            "worker_class": "gthread",
            "backlog": BACKLOG,
            "timeout": 120,  # a report export or import may take a while; the import is capped
            "graceful_timeout": 30,
            "keepalive": 5,
            # Workers are replaced now and then, so that no slow leak can grow for ever.
            "max_requests": 5000,
            "max_requests_jitter": 500,
            "accesslog": self.access_log,
            "errorlog": "-",
            "loglevel": "warning",
            # The scheme is believed from the same proxies as the client address (and from
            # nobody when none is configured).
            "forwarded_allow_ips": ",".join(self.trusted_proxies) or "",
            "proc_name": "gongkai",
        }


class GongkaiServer(BaseApplication):
    """gunicorn started in-process with its configuration given in code."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.gunicorn_config().items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from gongkai.project.wsgi import application

        return application


def serve(options: ServeOptions) -> None:
    """Serve until stopped (Ctrl+C or SIGTERM); database connections of the calling process
    are closed first so that no worker inherits one."""
    from django.db import connections

    connections.close_all()
    GongkaiServer(options).run()
