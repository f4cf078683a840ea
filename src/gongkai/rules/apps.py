from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "gongkai.rules"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import CalendarOverride, HolidayNotice
        from .selectors import forget_calendar

        for model in (HolidayNotice, CalendarOverride):
            post_save.connect(forget_calendar, sender=model, dispatch_uid=f"cal-save-{model}")
            post_delete.connect(forget_calendar, sender=model, dispatch_uid=f"cal-del-{model}")
