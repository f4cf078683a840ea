from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "gongkai.letters"
    verbose_name = "文书与送达"

    def ready(self) -> None:
        """Case steps get their letters from here (:mod:`gongkai.cases.documents`)."""
        from gongkai.cases.documents import provide

        from .services import LetterDocuments

        provide(LetterDocuments())
