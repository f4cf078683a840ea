"""System checks of the data directory and the proxy settings (``gongkai check``).

- ``gongkai.E010`` the data directory cannot be created or written (read-only mount, wrong
  owner): uploads, letters and, on SQLite, the database itself would fail request by request;
- ``gongkai.E011`` it has less than ``MIN_FREE_MB`` free: the next letter or upload fails;
- ``gongkai.W011`` it has less than ``LOW_FREE_MB`` free;
- ``gongkai.E012`` an entry of ``GONGKAI_TRUSTED_PROXIES`` is not an address or network;
- ``gongkai.W012`` (deploy) mail is not really sent: written to files or the console;
- ``gongkai.W014`` HTTPS mode without a trusted proxy: the scheme and the client address
  come from the proxy that terminates TLS, so without one every request looks like plain
  HTTP from the proxy's address.
"""

from __future__ import annotations

import ipaddress
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

MIN_FREE_MB = 50
LOW_FREE_MB = 500


@register()
def data_directory(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    data = Path(settings.DATA_DIR)
    try:
        data.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data, prefix=".write-check-"):
            pass
    except OSError as exc:
        return [
            Error(
                f"数据目录 {data} 不可写（{exc.strerror or exc}）：上传材料、文书"
                "（使用 SQLite 时还有数据库）都无法保存",
                hint="检查磁盘是否只读挂载、目录属主与权限，或用 GONGKAI_DATA_DIR 指定可写目录",
                id="gongkai.E010",
            )
        ]
    free_mb = shutil.disk_usage(data).free // (1024 * 1024)
    if free_mb < MIN_FREE_MB:
        return [
            Error(
                f"数据目录 {data} 所在磁盘只剩 {free_mb} MB，新的文书和上传材料将无法保存",
                hint="清理磁盘或扩容后再启动",
                id="gongkai.E011",
            )
        ]
    if free_mb < LOW_FREE_MB:
        return [
            Warning(
                f"数据目录 {data} 所在磁盘只剩 {free_mb} MB",
                hint="请尽快清理磁盘或扩容",
                id="gongkai.W011",
            )
        ]
    return []


@register()
def trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    bad = []
    for entry in settings.GONGKAI_TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            bad.append(entry)
    if bad:
        return [
            Error(
                f"GONGKAI_TRUSTED_PROXIES 中的“{'、'.join(bad)}”不是 IP 地址或网段",
                hint="写反向代理的地址，如 127.0.0.1 或 10.0.0.0/24，逗号分隔",
                id="gongkai.E012",
            )
        ]
    return []


UNSENT_MAIL = {
    "django.core.mail.backends.filebased.EmailBackend": "写入数据目录 outbox/ 中的文件",
    "django.core.mail.backends.console.EmailBackend": "输出到控制台（含查询码的通知会进入日志）",
}


@register(deploy=True)
def mail_backend(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    where = UNSENT_MAIL.get(settings.EMAIL_BACKEND)
    if where is None:
        return []
    return [
        Warning(
            f"邮件没有真正发出，而是{where}：申请人收不到通知，工作人员收不到提醒",
            hint="设置 GONGKAI_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend "
            "及 SMTP 服务器",
            id="gongkai.W012",
        )
    ]


@register()
def https_behind_proxy(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    if not settings.GONGKAI_HTTPS or settings.GONGKAI_TRUSTED_PROXIES:
        return []
    return [
        Warning(
            "已开启 HTTPS 模式（GONGKAI_HTTPS=1），但没有设置受信代理：终止 TLS 的反向代理传来的"
            "协议与客户端地址都不会被采信，页面会不断跳转到 https，所有请求都按代理地址限流",
            hint="把反向代理的地址写入 GONGKAI_TRUSTED_PROXIES，如 127.0.0.1",
            id="gongkai.W014",
        )
    ]
