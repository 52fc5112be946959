from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from reversion.signals import post_revision_commit

        from . import pagecache
        from .revisions import record_saved

        post_revision_commit.connect(record_saved, dispatch_uid="articles.record_saved")
        pagecache.connect()
