from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demonstration content: original sample articles and invented sample people."""

    name = "demo"
