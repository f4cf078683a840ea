from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "gongkai.agencies"
    verbose_name = "机关"
