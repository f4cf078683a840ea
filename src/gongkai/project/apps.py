from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "gongkai.project"
    label = "gongkai_project"
    verbose_name = "平台"

    def ready(self) -> None:
        from . import checks, storagechecks  # noqa: F401 - registers the system checks
