from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gongkai.cases"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        """The deadlines follow every change of the working calendar."""
        from gongkai.rules.signals import working_calendar_changed

        from .services.calendar import follow_calendar

        working_calendar_changed.connect(follow_calendar, dispatch_uid="gongkai.cases.calendar")
