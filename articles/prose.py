"""The editor extension for links to our own articles, as django-prose-editor
needs it named in settings (DJANGO_PROSE_EDITOR_EXTENSIONS).

Kept apart from ``richtext`` so that settings can name it without importing
models or forms.
"""

from django_prose_editor.config import process_link

# The attribute a link to one of our articles carries: the article's id.
ARTICLE_ATTRIBUTE = "data-article"


def process_article_link(config, shared_config):
    """What the sanitiser keeps of links: the editor's link, plus the article id."""
    process_link(config, shared_config)
    shared_config["attributes"]["a"].add(ARTICLE_ATTRIBUTE)
