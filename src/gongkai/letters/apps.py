from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "gongkai.letters"
    verbose_name = "文书与送达"

    def ready(self) -> None:
        """Case steps get their letters from here (:mod:`gongkai.cases.documents`), and the
        case page shows them (:mod:`gongkai.cases.panels`)."""
        from gongkai.cases.documents import provide
        from gongkai.cases.panels import CasePanel, register_panel

        from .panels import letters_panel
        from .services import LetterDocuments

        provide(LetterDocuments())
        register_panel(CasePanel("letters", "letters/_case_letters.html", letters_panel))
