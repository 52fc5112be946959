from django.apps import AppConfig


class PlainEnglishConfig(AppConfig):
    name = "plainenglish"
    verbose_name = "Plain English"

    def ready(self):
        from django.db.models.signals import post_save

        from articles import marking
        from articles.models import ArticleRevision, register_term_check

        from . import checks, glossary, medical, services, terms

        post_save.connect(
            services.score_new_revision,
            sender=ArticleRevision,
            dispatch_uid="plainenglish.score_new_revision",
        )
        checks.register(medical.undefined_terms)
        # Glossary terms: their words are checked, and marked on live pages.
        register_term_check(terms.check)
        marking.register_marker(glossary.live_marker)
