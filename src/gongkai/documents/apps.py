from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "gongkai.documents"
    verbose_name = "主动公开"

    def ready(self) -> None:
        """The daily job of cases (``gongkai remind``) also moves the registry's texts whose
        validity changes by date (automatic 施行 and 失效); cases declares the hook, since it
        may not import documents. The staff dashboard shows the registry's section (publication
        clocks, 解读 flags, texts about to expire) by the dashboard's hook, for the same reason."""
        from gongkai.cases.dashboards import dashboard_sections
        from gongkai.cases.signals import daily_run

        from .selectors import dashboard_section
        from .services.decisions import daily_run_receiver
        from .services.patrol import connect_daily

        daily_run.connect(
            daily_run_receiver, dispatch_uid="gongkai.documents.decisions.daily_run_receiver"
        )
        connect_daily()  # the quarterly 安全巡查 of everything published
        dashboard_sections.connect(
            dashboard_section, dispatch_uid="gongkai.documents.selectors.dashboard_section"
        )
