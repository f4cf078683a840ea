"""Reading a report in a separate process, within a wall-time and a memory limit.

The reader is bounded (:mod:`.locate`, :mod:`.fused`, :mod:`.pdfbounds`), but a web request
must not depend on every bound being right: the import page reads uploads in a child
process that is killed past ``timeout`` seconds and cannot take more than ``memory_mb`` of
address space (``RLIMIT_AS``). Children come from a ``forkserver`` (started once, single-
threaded, with the engine preloaded), so no lock held by another thread of a threaded web
server is copied into them, and a child starts in milliseconds.
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

from .schema import Report
from .text import InputTooComplex, UnreadableInput

DEFAULT_TIMEOUT = 20.0
DEFAULT_MEMORY_MB = 1024

_context_lock = threading.Lock()
_context: Any = None


def _mp_context() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            if ctx.get_start_method() == "forkserver":
                ctx.set_forkserver_preload(["gongkai.core.report", "pdfplumber"])
            _context = ctx
        return _context


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX: the time limit still holds
        return
    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(conn: Connection, data: bytes, name: str, memory_mb: int) -> None:
    """Runs in the child: read, and send back ("ok", report) or (kind, message)."""
    try:
        _limit_memory(memory_mb)
        from . import read_report_bytes

        result: tuple[str, Any] = ("ok", read_report_bytes(data, name=name))
    except InputTooComplex as exc:
        out_of_memory = isinstance(exc.__cause__, MemoryError)
        result = ("memory", "") if out_of_memory else ("complex", str(exc))
    except UnreadableInput as exc:
        result = ("unreadable", str(exc))
    except MemoryError:
        result = ("memory", "")
    except BaseException as exc:  # anything else: reported, the parent decides
        result = ("error", f"{type(exc).__name__}: {exc}"[:300])
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", ""))
    except Exception as exc:  # e.g. a result that cannot be pickled: say so
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        conn.close()


def too_complex_message(name: str, timeout: float) -> str:
    """The Chinese refusal for a file that could not be read within the time limit."""
    return (
        f"“{name}”文件过于复杂，未能在 {timeout:g} 秒内读完，已停止读取。"
        "请确认上传的是年度报告本身（网页、文本或 PDF），或将其另存为文本文件后再导入"
    )


def memory_message(name: str, memory_mb: int) -> str:
    return (
        f"“{name}”文件过于复杂，读取所需内存超过 {memory_mb} MB 上限，已停止读取。"
        "请确认上传的是年度报告本身，或将其另存为文本文件后再导入"
    )


def read_report_bytes_limited(
    data: bytes,
    *,
    name: str = "输入",
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> Report:
    """:func:`read_report_bytes` in a child process, killed past ``timeout`` seconds.

    Raises :class:`InputTooComplex` (a :class:`UnreadableInput`) with a Chinese message on
    timeout, on running out of memory, or when the child dies; :class:`UnreadableInput`
    when the input cannot be used. Nothing is shared with the caller but the bytes.
    """
    ctx = _mp_context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, data, name, memory_mb), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise InputTooComplex(too_complex_message(name, timeout))
        try:
            kind, payload = parent.recv()
        except (EOFError, OSError) as exc:  # the child died (killed, crashed)
            raise InputTooComplex(memory_message(name, memory_mb)) from exc
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        if proc.exitcode is None:  # pragma: no cover - SIGKILL is not ignored
            proc.kill()
    if kind == "ok":
        return payload
    if kind == "unreadable":
        raise UnreadableInput(payload)
    if kind == "complex":
        raise InputTooComplex(payload)
    if kind == "memory":
        raise InputTooComplex(memory_message(name, memory_mb))
    raise InputTooComplex(f"读取 {name} 时出错：{payload}")
