"""Pasting from Word and Google Docs, simple tables, and the caps on a body's size.

The samples in ``samples/`` are clipboard HTML as Word (Windows, Microsoft 365)
and Google Docs (Chrome) put it on the clipboard when a whole leaflet is copied.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from reversion.models import Version

from articles.models import Section
from articles.richtext import (
    check_size,
    nesting_depth,
    removed_when_pasting,
    sanitise,
    tidy_pasted,
)
from tests import builders
from tests.articles.admin_forms import article_form_data, change_url, section_rows

SAMPLES = Path(__file__).parent / "samples"


def sample(name):
    return (SAMPLES / name).read_text(encoding="utf-8")


def squash(html):
    """The HTML without the line breaks and indents the sample had between tags."""
    return " ".join(html.split()).replace("> <", "><")


# Word.


def test_word_keeps_headings_bold_italic_links_and_lists():
    body = squash(sanitise(sample("word_leaflet.html")))

    assert "<h3>Living with lymphoedema</h3>" in body  # h1 becomes h3
    assert "<h3>Looking after your skin</h3>" in body  # h2 too
    assert "<strong>breast cancer</strong>" in body  # Word's <b>
    assert "<em>not</em>" in body  # Word's <i>
    assert (
        '<a href="https://www.nhs.uk/conditions/lymphoedema/">NHS website</a>' in body
    )
    # Word's list paragraphs become a real bulleted list with a nested item,
    # and a numbered list, without the typed bullets and numbers.
    assert (
        "<ul><li>Moisturise every day</li><li>Wear gloves for "
        "<strong>gardening</strong><ul><li>and for washing up</li></ul></li></ul>"
    ) in body
    assert (
        "<ol><li>Check your arm for swelling</li><li>Do your exercises</li></ol>"
    ) in body
    assert "·" not in body and "1." not in body


def test_word_drops_styles_classes_comments_images_and_office_tags():
    body = sanitise(sample("word_leaflet.html"))

    for leftover in ("style", "class=", "mso", "<o:p", "<!--", "<img", "Mso", "<span"):
        assert leftover not in body
    assert "Font Definitions" not in body  # the <style> block's content
    assert "<p></p>" not in body and "&nbsp;" not in body  # Word's empty lines
    assert "Call your team if your arm becomes hot or red." in squash(body)


def test_word_table_keeps_its_header_row_as_column_headings():
    body = squash(sanitise(sample("word_leaflet.html")))

    assert (
        '<table><tbody><tr><th scope="col"><p><strong>Sleeve</strong></p></th>'
        '<th scope="col"><p><strong>When to wear it</strong></p></th></tr>'
        "<tr><td><p>Compression sleeve</p></td><td><p>During the day</p></td></tr>"
        "</tbody></table>"
    ) in body
    assert "width" not in body and "border" not in body


def test_word_paste_names_what_was_removed():
    raw = sample("word_leaflet.html")

    assert removed_when_pasting(raw, sanitise(raw)) == ["1 image", "colours and fonts"]


# Google Docs.


def test_google_docs_keeps_structure_and_drops_its_wrapper_and_styles():
    body = sanitise(sample("google_docs_leaflet.html"))

    # The whole paste sits in <b style="font-weight:normal" id="docs-internal-guid…">:
    # it is not bold, and neither is text whose span says font-weight:400.
    assert not body.startswith("<strong>")
    assert "docs-internal-guid" not in body
    assert body.startswith("<h3>Eating well during chemotherapy</h3>")
    assert "<h3>If you feel sick</h3>" in body
    assert "Small meals are often <strong>easier</strong> than large ones" in body
    assert "it is <em>fine</em> to eat" in body
    assert (
        '<a href="https://www.macmillan.org.uk/cancer-information-and-support/'
        'impacts-of-cancer/eating-problems">eating problems</a>'
    ) in body
    assert (
        "<ul><li><p>Try dry foods such as crackers</p></li>"
        "<li><p>Sip cold drinks slowly</p></li></ul>"
    ) in body
    assert (
        "<ol><li><p>Take your anti-sickness medicine</p></li>"
        "<li><p><strong>Call the 24-hour line</strong> if you are sick more than "
        "twice</p></li></ol>"
    ) in body
    # A first row wholly in bold is taken for the column headings.
    assert (
        '<table><tbody><tr><th scope="col"><p><strong>Food</strong></p></th>'
        '<th scope="col"><p><strong>Why it helps</strong></p></th></tr>'
        "<tr><td><p>Ginger biscuits</p></td><td><p>May settle your stomach</p></td>"
        "</tr></tbody></table>"
    ) in body
    for leftover in ("style", "<span", "<img", "<colgroup", "<col", "<div", "dir="):
        assert leftover not in body


def test_google_docs_paste_names_what_was_removed():
    raw = sample("google_docs_leaflet.html")

    assert removed_when_pasting(raw, sanitise(raw)) == ["1 image", "colours and fonts"]


# What the editor writes is kept as it is.


def test_the_editors_own_html_is_not_tidied_or_reported():
    body = (
        "<h3>Heading</h3><p>Some <strong>bold</strong>, <em>italic</em> and "
        '<a href="https://www.nhs.uk">a link</a>.</p><ul><li><p>One</p></li></ul>'
    )

    assert tidy_pasted(body) is body
    assert sanitise(body) == body
    assert removed_when_pasting(body, sanitise(body)) == []


def test_text_that_mentions_colours_is_not_reported_as_formatting():
    body = "<p>Skin colour: red. Font-size: large print leaflets are free.</p>"

    assert removed_when_pasting(body, sanitise(body)) == []


# Tables.


def test_simple_table_keeps_header_cells_with_column_scope():
    body = (
        "<table><tbody><tr><th><p>Drug</p></th><th><p>Dose</p></th></tr>"
        "<tr><td><p>Tamoxifen</p></td><td><p>20 mg</p></td></tr></tbody></table>"
    )

    assert sanitise(body) == (
        '<table><tbody><tr><th scope="col"><p>Drug</p></th><th scope="col">'
        "<p>Dose</p></th></tr><tr><td><p>Tamoxifen</p></td><td><p>20 mg</p></td>"
        "</tr></tbody></table>"
    )


def test_merged_cells_and_tables_inside_tables_are_flattened_and_reported():
    raw = (
        '<table><tr><td colspan="2">Wide</td></tr><tr><td>'
        "<table><tr><td>Inner one</td><td>Inner two</td></tr></table>"
        "</td><td>Right</td></tr></table>"
    )

    body = sanitise(raw)

    assert "colspan" not in body
    assert body.count("<table>") == 1
    assert "Inner one" in body and "Inner two" in body and "Right" in body
    assert removed_when_pasting(raw, body) == [
        "1 table of layout inside a table (the text is kept)",
        "merged table cells",
    ]


@pytest.mark.django_db
def test_a_table_is_shown_on_the_public_page_with_column_headings(topic, team):
    article = builders.make_article(topic=topic, sections=1)
    builders.edit_section(
        article,
        body=(
            "<p>Doses:</p><table><tbody><tr><th><p>Drug</p></th><th><p>Dose</p></th>"
            "</tr><tr><td><p>Tamoxifen</p></td><td><p>20 mg</p></td></tr></tbody>"
            "</table>"
        ),
    )
    builders.publish(article, team)

    page = Client().get(article.get_absolute_url()).content.decode()

    assert '<th scope="col"><p>Drug</p></th>' in page
    assert "<td><p>Tamoxifen</p></td>" in page


# Size caps.


def test_depth_is_counted_in_one_pass_and_stops_early():
    assert nesting_depth("<p>a<br>b<img src=x><strong>c</strong></p>") == 2
    assert nesting_depth("<div>" * 10_000, stop_at=40) == 41


def caps(**values):
    """Settings with the rich-text caps in ``values`` and everything else as it is."""
    return override_settings(INFOSITE=settings.INFOSITE | values)


@caps(RICHTEXT_MAX_SECTION_CHARACTERS=50)
def test_section_cap_comes_from_settings():
    check_size("<p>" + "a" * 40 + "</p>")
    with pytest.raises(ValidationError, match="at most 50"):
        check_size("<p>" + "a" * 50 + "</p>")


FIVE_MEGABYTES = "<p>" + "Word document text. " * 262_144 + "</p>"
TEN_THOUSAND_DIVS = "<div>" * 10_000 + "deep" + "</div>" * 10_000
# Short enough for the length cap, too deep for the depth cap.
DEEP_BUT_SHORT = "<div>" * 1_000 + "deep" + "</div>" * 1_000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(FIVE_MEGABYTES, "too long to save", id="5-MB"),
        pytest.param(TEN_THOUSAND_DIVS, "too long to save", id="10000-divs"),
        pytest.param(DEEP_BUT_SHORT, "nested too deeply", id="1000-divs"),
    ],
)
@pytest.mark.django_db
def test_a_huge_or_deep_paste_is_refused_in_the_form_and_nothing_is_saved(
    editor_client, article, body, message
):
    rows = section_rows(article)
    rows[0]["body"] = body
    before = list(article.sections.values_list("body", flat=True))
    versions = Version.objects.get_for_object(article).count()

    response = editor_client.post(
        change_url(article), article_form_data(article, sections=rows)
    )

    assert response.status_code == 200
    errors = " ".join(
        str(error)
        for inline in response.context["inline_admin_formsets"]
        for form_errors in inline.formset.errors
        for error in form_errors.values()
    )
    assert message in errors and "Nothing was saved" in errors
    assert list(article.sections.values_list("body", flat=True)) == before
    assert Version.objects.get_for_object(article).count() == versions


@caps(RICHTEXT_MAX_SECTION_CHARACTERS=1_000, RICHTEXT_MAX_ARTICLE_CHARACTERS=2_000)
@pytest.mark.django_db
def test_sections_too_long_together_are_refused_and_nothing_is_saved(
    editor_client, article
):
    rows = section_rows(article)
    for row in rows:
        row["body"] = "<p>" + "a" * 900 + "</p>"
    before = list(article.sections.values_list("body", flat=True))

    response = editor_client.post(
        change_url(article), article_form_data(article, sections=rows)
    )

    assert response.status_code == 200
    errors = " ".join(
        str(error)
        for inline in response.context["inline_admin_formsets"]
        for error in inline.formset.non_form_errors()
    )
    assert "sections together are too long" in errors
    assert list(article.sections.values_list("body", flat=True)) == before


@pytest.mark.parametrize("body", [FIVE_MEGABYTES, DEEP_BUT_SHORT])
@pytest.mark.django_db
def test_saving_outside_the_admin_refuses_a_huge_or_deep_body(article, body):
    section = article.sections.first()
    before = section.body

    section.body = body
    with pytest.raises(ValidationError):
        section.save()

    assert Section.objects.get(pk=section.pk).body == before


# The admin.


@pytest.mark.django_db
def test_editor_pasting_from_word_is_told_what_was_removed(editor_client, article):
    rows = section_rows(article)
    rows[1]["body"] = sample("word_leaflet.html")

    response = editor_client.post(
        change_url(article), article_form_data(article, sections=rows), follow=True
    )

    assert response.status_code == 200
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    shown += [str(m) for m in response.context["messages"]]
    heading = rows[1]["heading"]
    assert (
        f"Removed from section \N{LEFT SINGLE QUOTATION MARK}{heading}"
        "\N{RIGHT SINGLE QUOTATION MARK} when pasting: 1 image, colours and fonts."
    ) in shown
    saved = article.sections.get(pk=rows[1]["id"]).body
    assert saved.startswith("<h3>Living with lymphoedema</h3>")
    assert "<ul><li>Moisturise every day" in squash(saved)
    # Only the section that lost something is named.
    assert not any(rows[0]["heading"] in message for message in shown)


@pytest.mark.django_db
def test_saving_without_a_paste_says_nothing_about_pasting(editor_client, article):
    rows = section_rows(article)
    rows[0]["body"] = "<p>New <strong>wording</strong>.</p>"

    response = editor_client.post(
        change_url(article), article_form_data(article, sections=rows), follow=True
    )

    assert article.sections.get(pk=rows[0]["id"]).body == (
        "<p>New <strong>wording</strong>.</p>"
    )
    assert not [m for m in response.context["messages"] if "when pasting" in str(m)]


# The editor's paste: cleaned up by the server before it reaches the editor.

CLEAN_PASTE = reverse("admin:articles_article_clean_paste")


@pytest.mark.django_db
def test_the_editor_sends_a_word_paste_to_be_cleaned_up(client, team):
    client.force_login(team.editor)

    answer = client.post(CLEAN_PASTE, {"html": sample("word_leaflet.html")}).json()

    assert answer["html"] == sanitise(sample("word_leaflet.html"))
    assert answer["html"].startswith("<h3>Living with lymphoedema</h3>")
    assert answer["removed"] == "Removed when pasting: 1 image, colours and fonts."


@pytest.mark.django_db
def test_a_clean_paste_names_nothing_removed(client, team):
    client.force_login(team.editor)

    answer = client.post(CLEAN_PASTE, {"html": "<p><b>Bold</b> words</p>"}).json()

    assert answer == {"html": "<p><strong>Bold</strong> words</p>", "removed": ""}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(FIVE_MEGABYTES, "too long to save", id="5-MB"),
        pytest.param(DEEP_BUT_SHORT, "nested too deeply", id="1000-divs"),
    ],
)
@pytest.mark.django_db
def test_a_huge_paste_is_refused_by_the_clean_up_with_a_message(
    client, team, body, message
):
    client.force_login(team.editor)

    response = client.post(CLEAN_PASTE, {"html": body})

    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.django_db
def test_the_clean_up_is_for_people_who_can_change_articles(client, team):
    assert client.post(CLEAN_PASTE, {"html": "<p>x</p>"}).status_code == 302
    client.force_login(builders.make_user("helper", is_staff=True))
    response = client.post(CLEAN_PASTE, {"html": "<p>x</p>"})
    assert response.status_code == 403
    client.force_login(team.editor)
    assert client.get(CLEAN_PASTE).status_code == 405


def test_a_pasted_first_row_not_wholly_bold_stays_a_row_of_cells():
    raw = (
        '<table style="border:none"><tr><td><b>Drug</b></td><td>Dose</td></tr>'
        "<tr><td>Tamoxifen</td><td>20 mg</td></tr></table>"
    )

    assert sanitise(raw) == (
        "<table><tbody><tr><td><strong>Drug</strong></td><td>Dose</td></tr>"
        "<tr><td>Tamoxifen</td><td>20 mg</td></tr></tbody></table>"
    )
