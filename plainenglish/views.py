"""The check the article form asks for while an editor types, and the
content-health report."""

import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from articles.models import Article

from . import health, services

# The most a request may carry (the sections of a long article are far less).
MAX_BODY_BYTES = 512 * 1024
MAX_SECTIONS = 100


def _refuse(message, status=400):
    return JsonResponse({"error": message}, status=status)


def _sections(data):
    sections = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(sections, list) or len(sections) > MAX_SECTIONS:
        return None
    found = []
    for section in sections:
        if not isinstance(section, dict):
            return None
        values = [section.get(name, "") for name in ("heading", "anchor", "body")]
        if not all(isinstance(value, str) for value in values):
            return None
        found.append(tuple(values))
    return found


@require_POST
def check_draft(request):
    """Return the scores and checks of the sections posted, as JSON.

    Posted as {"article": id or null, "sections": [{"heading", "anchor",
    "body"}, ...]}; only for people who may change articles. Nothing is stored.
    """
    if not request.user.is_authenticated or not request.user.has_perm(
        "articles.change_article"
    ):
        return _refuse("You do not have permission to check articles.", 403)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return _refuse("The article is too long to check while you type.", 413)
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return _refuse("The article is too long to check while you type.", 413)
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return _refuse("The text could not be read.")
    sections = _sections(data)
    if sections is None:
        return _refuse("The text could not be read.")
    if any("\x00" in value for section in sections for value in section):
        return _refuse("The text contains a null character, which cannot be saved.")
    article = None
    article_id = data.get("article")
    if article_id is not None:
        if (
            not isinstance(article_id, int)
            or isinstance(article_id, bool)
            or not 0 < article_id < 2**31
        ):
            return _refuse("The text could not be read.")
        article = Article.objects.filter(pk=article_id).first()
    references = []
    if article is not None:
        references = [
            link.reference
            for link in article.reference_links.select_related("reference")
        ]
    analysis = services.analyse(
        sections,
        references=references,
        reviewed_on=article.reviewed_on if article else None,
        today=timezone.localdate(),
    )
    result = analysis.as_dict()
    result["html"] = render_to_string(
        "plainenglish/_results.html", {"result": result, "live": True}
    )
    return JsonResponse(result)


VIEW_ARTICLES = "articles.view_article"


@never_cache
@require_safe
def content_health(request):
    """The content-health report, as a page or (``format=csv``) a spreadsheet.

    Staff only (editors and publishers): anyone else is sent to sign in, and
    staff who cannot see articles are refused.
    """
    if not request.user.has_perm(VIEW_ARTICLES):
        raise PermissionDenied
    wanted = request.GET.get("format", "")
    report = health.ContentHealth.from_params(request.GET, day=timezone.localdate())
    if wanted == "csv":
        response = HttpResponse(
            report.csv_text(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{report.csv_filename}"'
        )
        return response
    if wanted:
        report.notices.append(
            f"“{health.shown_value(wanted)}” is not a format the report comes in: "
            "showing the page. Use “Download as CSV” for a spreadsheet."
        )
    return render(
        request,
        "plainenglish/content_health.html",
        {
            **admin.site.each_context(request),
            # The table needs the width the admin's side menu would take.
            "is_nav_sidebar_enabled": False,
            "title": "Content health",
            "report": report,
        },
    )


content_health = admin.site.admin_view(content_health)
