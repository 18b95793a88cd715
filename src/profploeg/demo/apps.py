from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "profploeg.demo"
    verbose_name = "Demo"
