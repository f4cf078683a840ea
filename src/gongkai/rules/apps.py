from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "gongkai.rules"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from .models import CalendarOverride, HolidayNotice
        from .services import calendar_changed, remember_previous

        # Every change drops the cached calendar and recomputes the open cases it may move.
        for model in (HolidayNotice, CalendarOverride):
            pre_save.connect(remember_previous, sender=model, dispatch_uid=f"cal-pre-{model}")
            post_save.connect(calendar_changed, sender=model, dispatch_uid=f"cal-save-{model}")
            post_delete.connect(calendar_changed, sender=model, dispatch_uid=f"cal-del-{model}")
