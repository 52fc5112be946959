"""Build the POST data the admin's article form sends, as an editor's browser would,
and the address of the form it is posted to."""

from django.urls import reverse

from articles import revisions
from articles.models import Article


def _formset(prefix, rows, fields, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name in fields:
            value = row.get(name, "")
            if value is None or value is False:
                continue
            data[f"{prefix}-{index}-{name}"] = "on" if value is True else str(value)
    return data


def section_rows(article):
    """Return the article's sections as the inline form's rows, to change and post."""
    return [
        {
            "id": s.pk,
            "heading": s.heading,
            "anchor": s.anchor,
            "body": s.body,
            "order": s.order,
        }
        for s in article.sections.all()
    ]


def article_form_data(article=None, **changes):
    """Return form data for an article: its current values with ``changes`` on top.

    ``sections``, ``references`` and ``credits`` in ``changes`` are lists of dicts
    that replace the article's rows; include ``id`` to keep an existing row and
    ``DELETE=True`` to delete it.
    """
    if article is None:
        values = {
            "title": "",
            "slug": "",
            "summary": "",
            "topic": "",
            "owner": "",
            "reviewed_on": "",
            "next_review_on": "",
            "sections": [],
            "references": [],
            "credits": [],
        }
    else:
        article = Article.objects.get(pk=article.pk)
        current = revisions.current_revision(article)
        values = {
            # The hidden field naming the version the form was loaded from.
            "base_revision": current.pk if current else "",
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "topic": article.topic_id,
            "owner": article.owner_id or "",
            "is_featured": article.is_featured,
            "reviewed_on": article.reviewed_on or "",
            "next_review_on": article.next_review_on or "",
            "related_articles": [a.pk for a in article.related_articles.all()],
            "sections": section_rows(article),
            "references": [
                {"id": link.pk, "reference": link.reference_id, "order": link.order}
                for link in article.reference_links.all()
            ],
            "credits": [
                {
                    "id": c.pk,
                    "reviewer": c.reviewer_id,
                    "role": c.role,
                    "order": c.order,
                }
                for c in article.credits.all()
            ],
        }
    values |= changes
    data = {
        name: ("on" if value is True else str(value))
        for name, value in values.items()
        if name not in {"sections", "references", "credits", "related_articles"}
        and value is not False
    }
    data["related_articles"] = [str(pk) for pk in values.get("related_articles", [])]
    for prefix, key, fields in [
        (
            "sections",
            "sections",
            ["id", "heading", "anchor", "body", "order", "DELETE"],
        ),
        ("reference_links", "references", ["id", "reference", "order", "DELETE"]),
        ("credits", "credits", ["id", "role", "reviewer", "order", "DELETE"]),
    ]:
        rows = values[key]
        data |= _formset(
            prefix, rows, fields, initial=sum(1 for row in rows if row.get("id"))
        )
    return data


def form_data_from_page(response):
    """Return the data the page's form would post unchanged."""
    context = response.context
    data = {}
    form = context["adminform"].form
    for name, _field in form.fields.items():
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = str(management[name].value())
        for subform in formset.forms:
            for name in subform.fields:
                value = subform[name].value()
                if isinstance(value, bool):
                    if value:
                        data[subform.add_prefix(name)] = "on"
                elif value is not None:
                    data[subform.add_prefix(name)] = str(value)
    return data


def form_errors(response):
    """Every error message the admin shows on the article form, as one string."""
    context = response.context
    messages = [str(e) for e in context["adminform"].form.errors.values()]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        messages += [str(e) for e in formset.non_form_errors()]
        messages += [
            str(e) for form_errors in formset.errors for e in form_errors.values()
        ]
    return " ".join(messages)


def change_url(record):
    """Return the address of the admin's form for an article (or another of the
    app's records: a reference, a reviewer)."""
    return reverse(f"admin:articles_{record._meta.model_name}_change", args=[record.pk])
