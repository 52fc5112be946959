"""The glossary's rules that need the matcher's knowledge, wired into articles.

A glossary term is an article row of the term kind (``articles``), reviewed and
published like any article. ``articles`` cannot import this app, so on start-up
this app gives it the two things only it knows: which words are everyday words
and how phrases match (``check``, run in every term's ``clean()``), and how to
mark terms on a live page (``glossary.live_marker``, registered in apps.py).
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from articles.models import Article

from . import glossary

EVERYDAY_WORD = (
    "“{phrase}” is an everyday word that readers know, and it would be marked "
    "wherever it is used. Use a longer phrase that says which meaning you "
    "explain, for example “back pain” rather than “back”."
)
DUPLICATE = (
    "“{phrase}” is already in the glossary, under “{other}”: {link}. Each word is "
    "explained by one term; add it there, or change that term."
)


def check(term):
    """Return {field: message} for what is wrong with the term's words: an
    everyday word, or a phrase another term already has (ignoring capitals and
    spaces, as matching does)."""
    errors = {}
    phrases = [("title", term.title or "")] + [
        ("variants", variant) for variant in term.variant_list
    ]
    seen = {}
    for field, phrase in phrases:
        key = glossary.phrase_key(phrase)
        if not key:
            continue
        if glossary.is_everyday_word(phrase):
            errors.setdefault(
                field,
                EVERYDAY_WORD.format(phrase=phrase.strip()),
            )
        elif key in seen:
            errors.setdefault(
                field, f"“{phrase.strip()}” is given twice: keep it once."
            )
        seen[key] = field
    if seen:
        for other in _others_with(term, seen):
            clash = next(
                (
                    p
                    for p in [other.title, *other.variant_list]
                    if glossary.phrase_key(p) in seen
                ),
                None,
            )
            if clash is None:
                continue
            field = seen[glossary.phrase_key(clash)]
            url = reverse("admin:articles_glossaryterm_change", args=[other.pk])
            errors.setdefault(
                field,
                format_html(
                    DUPLICATE,
                    phrase=clash,
                    other=other.title,
                    link=format_html('<a href="{}">{}</a>', url, other.title),
                ),
            )
    return errors


def _others_with(term, keys):
    """Return the other terms that might share a phrase with ``keys``: those
    whose title or variants hold one of the phrases' words, ignoring case."""
    candidates = Article.objects.terms().exclude(pk=term.pk)
    first_words = {key.split(" ")[0] for key in keys}
    found = Q()
    for word in first_words:
        found |= Q(title__icontains=word) | Q(variants__icontains=word)
    return candidates.filter(found).only("pk", "title", "variants")
