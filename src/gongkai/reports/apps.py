from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        """The year lock listens to the changes of counted case facts, and tells the case
        page which years are locked."""
        from gongkai.cases.signals import figures_changing, locked_years_asked

        from .lock import answer_locked_years, guard

        figures_changing.connect(guard, dispatch_uid="gongkai.reports.lock.guard")
        locked_years_asked.connect(
            answer_locked_years, dispatch_uid="gongkai.reports.lock.answer_locked_years"
        )
