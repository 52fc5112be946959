from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Email notifications"

    def ready(self):
        from . import checks, receivers

        checks.register()
        receivers.connect()
