from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "gongkai.rules"
    verbose_name = "工作日历"
