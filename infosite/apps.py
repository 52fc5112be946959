from django.apps import AppConfig


class InfositeConfig(AppConfig):
    """The project itself: settings checked at start-up (infosite/checks.py)."""

    name = "infosite"
    verbose_name = "infosite"

    def ready(self):
        from infosite import checks

        checks.register()
