from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        """The year lock listens to the changes of counted case facts."""
        from gongkai.cases.signals import figures_changing

        from .lock import guard

        figures_changing.connect(guard, dispatch_uid="gongkai.reports.lock.guard")
