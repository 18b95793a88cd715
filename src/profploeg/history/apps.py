from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "profploeg.history"
    verbose_name = "History workbook"
