from django.apps import AppConfig


class PlainEnglishConfig(AppConfig):
    name = "plainenglish"
    verbose_name = "Plain English"

    def ready(self):
        from django.db.models.signals import post_save

        from articles.models import ArticleRevision

        from . import checks, medical, services

        post_save.connect(
            services.score_new_revision,
            sender=ArticleRevision,
            dispatch_uid="plainenglish.score_new_revision",
        )
        checks.register(medical.undefined_terms)
