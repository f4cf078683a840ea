from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    verbose_name = "审计"
