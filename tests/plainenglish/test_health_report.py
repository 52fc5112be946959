"""The content-health report: each article's reading age, open checks, undefined
medical terms, review date and stale references, filtered, sorted and exported."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import ArticleReference, State
from plainenglish import checks
from plainenglish.health import ContentHealth
from plainenglish.models import RevisionReadability
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 28)
URL = "/plain-english/health/"

HARD = (
    "<p>Adjuvant endocrine therapy considerably diminishes the probability of "
    "locoregional recurrence following conservative surgical intervention.</p>"
)
PLAIN = (
    "<p>You may feel tired after your treatment. This is common. Rest when you "
    "need to, and ask your nurse for help.</p>"
)
SIMPLE = "<p>Do the test at home. It is free. We post it to you. Send it back.</p>"
PASSIVE = "<p>The lump was removed by the surgeon last week, and you went home.</p>"


def report(**params):
    return ContentHealth.from_params(params, day=DAY)


def row_of(found, title):
    [row] = [row for row in found.rows if row.title == title]
    return row


def stored(article):
    article.refresh_from_db()
    return RevisionReadability.objects.get(
        article_revision__article=article,
        article_revision__revision_id=article.latest_revision_id,
    )


@pytest.fixture
def site(team):
    """Four articles in two topics (one a sub-topic), with known content."""
    breast = builders.make_topic("Breast cancer", slug="breast-cancer")
    after = builders.make_topic(
        "After treatment", slug="after-treatment", parent=breast
    )
    bowel = builders.make_topic("Bowel cancer", slug="bowel-cancer")
    recurrence = builders.make_article(
        "Breast cancer recurrence",
        topic=breast,
        owner=team.editor,
        sections=1,
        references=[
            # Accessed before the last review and last updated in 2017: stale.
            builders.make_reference("Early and locally advanced breast cancer"),
            # Checked since the review and recent: fine.
            builders.make_reference(
                "Recent guideline",
                year=2024,
                updated_year=None,
                accessed_on=datetime.date(2024, 1, 5),
            ),
        ],
        reviewed_on=datetime.date(2023, 7, 1),
        next_review_on=datetime.date(2026, 7, 1),  # overdue on DAY
    )
    builders.edit_section(recurrence, body=HARD + PASSIVE)
    tired = builders.make_article(
        "Tiredness after treatment",
        topic=after,
        sections=1,
        reviewed_on=datetime.date(2025, 1, 10),
        next_review_on=datetime.date(2028, 1, 10),
    )
    builders.edit_section(tired, body=PLAIN)
    screening = builders.make_article(
        "Bowel screening",
        topic=bowel,
        owner=team.publisher,
        sections=1,
        next_review_on=None,
        reviewed_on=None,
    )
    builders.edit_section(screening, body=SIMPLE)
    # Its latest version has no stored scores (saved before they were kept).
    unscored = builders.make_article(
        "Bowel cancer symptoms",
        topic=bowel,
        owner=team.publisher,
        sections=1,
        reviewed_on=datetime.date(2025, 3, 1),
        next_review_on=datetime.date(2027, 3, 1),
    )
    unscored.refresh_from_db()
    RevisionReadability.objects.filter(article_revision__article=unscored).delete()
    return {
        "recurrence": recurrence,
        "tired": tired,
        "screening": screening,
        "unscored": unscored,
        "topics": (breast, after, bowel),
    }


# Rows and values.


def test_each_article_shows_its_stored_scores_and_counts(site, team):
    found = report()
    assert [row.title for row in found.rows] == [
        "Bowel cancer symptoms",
        "Bowel screening",
        "Breast cancer recurrence",
        "Tiredness after treatment",
    ]
    recurrence = row_of(found, "Breast cancer recurrence")
    scores = stored(site["recurrence"])
    assert recurrence.reading_age == scores.reading_age > 11
    assert recurrence.is_scored and recurrence.is_reliable
    assert recurrence.is_above_target
    assert recurrence.topic == "Breast cancer"
    assert recurrence.owner == "editor"
    assert recurrence.state == State.DRAFT
    # The hard sentence is over the reading-age target (a problem) and uses two
    # medical words the glossary does not explain ("Adjuvant", "recurrence": two
    # problems more); the passive sentence is a hint.
    assert recurrence.problems == 3
    assert recurrence.undefined_terms == 2
    assert recurrence.hints == 1
    assert recurrence.next_review_on == datetime.date(2026, 7, 1)
    assert recurrence.is_overdue
    assert recurrence.stale_references == 1
    assert recurrence.needs_attention

    tired = row_of(found, "Tiredness after treatment")
    assert tired.topic == "Breast cancer › After treatment"
    assert tired.owner == ""
    assert tired.reading_age == stored(site["tired"]).reading_age <= 11
    assert (tired.problems, tired.hints, tired.undefined_terms) == (0, 0, 0)
    assert not tired.is_overdue and tired.stale_references == 0
    assert not tired.needs_attention

    screening = row_of(found, "Bowel screening")
    assert screening.next_review_on is None and not screening.is_overdue

    unscored = row_of(found, "Bowel cancer symptoms")
    assert not unscored.is_scored and unscored.reading_age is None


def test_the_totals_line_counts_the_rows_shown(site):
    assert report().totals == {
        "articles": 4,
        "overdue": 1,
        "above_target": 1,
        "with_problems": 1,
        "stale_references": 1,
        "not_scored": 1,
    }


def test_undefined_medical_terms_are_counted_from_the_stored_findings(site):
    scores = stored(site["tired"])
    word = {
        "place": "“Section heading 1”",
        "message": "“Metastasis” is a medical word with no glossary entry.",
        "fix": "Add it to the glossary, or explain it in the sentence.",
        "excerpt": "",
        "is_hint": False,
    }
    scores.sections[0]["findings"] += [
        {**word, "check": "undefined_term", "word": "metastasis"},
        {**word, "check": "undefined_term", "word": "lymphoedema"},
    ]
    scores.save()
    tired = row_of(report(), "Tiredness after treatment")
    assert tired.undefined_terms == 2
    assert tired.problems == 2
    assert tired.needs_attention


def test_glossary_terms_are_not_listed_and_their_owners_not_offered(site, team):
    owner = builders.make_user("termkeeper", "Editors")
    builders.publish_term(
        builders.make_term("Metastasis", owner=owner, next_review_on=None), team
    )
    found = report()
    assert "Metastasis" not in {row.title for row in found.rows}
    assert found.totals["articles"] == 4
    assert "termkeeper" not in [name for _, name in found.owner_choices]


def test_a_medical_word_the_glossary_explains_later_stops_counting(site, team):
    builders.edit_section(
        site["tired"], body=PLAIN[:-4] + " Your doctor may talk about metastasis.</p>"
    )
    tired = row_of(report(), "Tiredness after treatment")
    assert tired.undefined_terms == 1
    assert tired.problems == 1
    builders.publish_term(builders.make_term("Metastasis"), team)
    tired = row_of(report(), "Tiredness after treatment")
    assert (tired.undefined_terms, tired.problems) == (0, 0)


def test_a_live_article_shows_the_live_versions_reading_age_when_it_differs(site, team):
    article = builders.publish(site["tired"], team)
    live = row_of(report(), "Tiredness after treatment")
    assert live.state == State.PUBLISHED and live.is_live
    assert live.live_reading_age is None  # the same version

    builders.edit_section(article, body=HARD)
    changed = row_of(report(), "Tiredness after treatment")
    assert changed.state == State.DRAFT and changed.is_live
    assert changed.reading_age == stored(article).reading_age > 11
    assert changed.live_reading_age == stored_live_reading_age(article)
    assert changed.live_reading_age <= 11


def stored_live_reading_age(article):
    article.refresh_from_db()
    return RevisionReadability.objects.get(
        article_revision__article=article,
        article_revision__revision_id=article.live.revision_id,
    ).reading_age


def test_a_reference_checked_again_is_no_longer_stale_without_a_new_version(site):
    reference = site["recurrence"].reference_links.order_by("order")[0].reference
    reference.accessed_on = datetime.date(2026, 10, 1)
    reference.updated_year = 2025
    reference.save()
    assert row_of(report(), "Breast cancer recurrence").stale_references == 0


def test_a_reference_both_unchecked_and_old_counts_once_and_either_alone_counts(site):
    article = site["tired"]
    old = builders.make_reference(
        "Old but checked", year=2010, updated_year=None, accessed_on=DAY
    )
    unchecked = builders.make_reference(
        "New but unchecked", year=2025, updated_year=None, accessed_on=None
    )
    offline = builders.make_reference(
        "New, printed only", year=2025, updated_year=None, url="", accessed_on=None
    )
    for order, reference in enumerate([old, unchecked, offline]):
        ArticleReference.objects.create(
            article=article, reference=reference, order=order
        )
    assert row_of(report(), "Tiredness after treatment").stale_references == 2


def test_stale_references_follow_the_same_rule_as_the_reference_check(site):
    article = site["tired"]
    references = [
        builders.make_reference(
            f"Reference {number}",
            year=year,
            updated_year=updated,
            accessed_on=accessed,
            url=url,
        )
        for number, (year, updated, accessed, url) in enumerate(
            [
                (2010, 2024, datetime.date(2025, 2, 1), "https://example.org/a"),
                (2010, None, datetime.date(2025, 2, 1), "https://example.org/b"),
                (2024, None, datetime.date(2024, 12, 1), "https://example.org/c"),
                (2024, None, None, ""),
                (2021, None, datetime.date(2025, 1, 10), "https://example.org/d"),
                (2020, None, None, "https://example.org/e"),
            ]
        )
    ]
    for order, reference in enumerate(references):
        ArticleReference.objects.create(
            article=article, reference=reference, order=order
        )
    context = checks.Context(
        targets=checks.targets(),
        word_list=None,
        references=references,
        reviewed_on=article.reviewed_on,
        today=DAY,
    )
    flagged = {
        finding.message.split("”")[0] for finding in checks.reference_age(context)
    }
    assert flagged == {"“Reference 1", "“Reference 2", "“Reference 5"}
    assert row_of(report(), "Tiredness after treatment").stale_references == 3


def test_a_link_to_an_article_published_since_is_not_counted_as_a_problem(site, team):
    target = site["screening"]
    builders.edit_section(
        site["tired"],
        body=PLAIN[:-4] + f' <a href="/articles/{target.slug}/">Screening</a>.</p>',
    )
    assert row_of(report(), "Tiredness after treatment").problems == 1
    builders.publish(target, team, is_full_review=True)
    assert row_of(report(), "Tiredness after treatment").problems == 0


# Filters.


def test_the_topic_filter_includes_sub_topics(site):
    assert {row.title for row in report(topic="breast-cancer").rows} == {
        "Breast cancer recurrence",
        "Tiredness after treatment",
    }
    assert [row.title for row in report(topic="after-treatment").rows] == [
        "Tiredness after treatment"
    ]


def test_the_owner_filter_and_no_owner(site, team):
    assert [row.title for row in report(owner=str(team.editor.pk)).rows] == [
        "Breast cancer recurrence"
    ]
    assert [row.title for row in report(owner="none").rows] == [
        "Tiredness after treatment"
    ]
    assert [name for _, name in report().owner_choices] == ["editor", "publisher"]


def test_the_state_filter(site, team):
    builders.publish(site["screening"], team, is_full_review=True)
    assert [row.title for row in report(state="published").rows] == ["Bowel screening"]
    assert "Bowel screening" not in {row.title for row in report(state="draft").rows}


def test_only_articles_that_need_attention(site):
    # Overdue, above the reading-age target, a problem, a stale reference: shown.
    # The others have nothing to do (one is not scored yet, which the
    # score_revisions command fixes, not an editor).
    assert [row.title for row in report(attention="1").rows] == [
        "Breast cancer recurrence"
    ]


def test_filters_combine_and_the_totals_follow_them(site, team):
    found = report(topic="bowel-cancer", owner=str(team.publisher.pk))
    assert {row.title for row in found.rows} == {
        "Bowel screening",
        "Bowel cancer symptoms",
    }
    assert found.totals["articles"] == 2
    assert found.totals["not_scored"] == 1


# Sorting.


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "reading_age",
            # Lowest first; the article not scored comes last either way.
            [
                "Bowel screening",
                "Tiredness after treatment",
                "Breast cancer recurrence",
            ],
        ),
        (
            "-reading_age",
            [
                "Breast cancer recurrence",
                "Tiredness after treatment",
                "Bowel screening",
            ],
        ),
        ("-problems", ["Breast cancer recurrence"]),
        ("next_review", ["Breast cancer recurrence", "Bowel cancer symptoms"]),
        ("-next_review", ["Tiredness after treatment", "Bowel cancer symptoms"]),
        ("topic", ["Bowel cancer symptoms", "Bowel screening"]),
        ("-stale_references", ["Breast cancer recurrence"]),
        ("-title", ["Tiredness after treatment", "Breast cancer recurrence"]),
    ],
)
def test_each_sort_orders_the_rows(site, sort, expected):
    titles = [row.title for row in report(sort=sort).rows]
    assert titles[: len(expected)] == expected
    if sort.endswith("reading_age"):
        assert titles[-1] == "Bowel cancer symptoms"  # not scored: last
    if sort.endswith("next_review"):
        assert titles[-1] == "Bowel screening"  # no date: last


def test_every_column_sorts_both_ways_without_error(site):
    for column in report().columns:
        for sort in (column["key"], "-" + column["key"]):
            assert len(report(sort=sort).rows) == 4


def test_the_sorted_column_says_its_direction_and_links_the_other_way(site):
    columns = {column["key"]: column for column in report(sort="-problems").columns}
    assert columns["problems"]["aria_sort"] == "descending"
    assert columns["problems"]["url"] == "?sort=problems"
    assert columns["title"]["aria_sort"] == ""
    assert columns["title"]["url"] == "?"  # by title, the default
    columns = {column["key"]: column for column in report(topic="bowel-cancer").columns}
    assert columns["title"]["aria_sort"] == "ascending"
    assert columns["title"]["url"] == "?topic=bowel-cancer&sort=-title"


# Bad parameters: a clear message, the rest of the report as asked.


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "password"}, "cannot be sorted by “password”"),
        ({"sort": "--title"}, "cannot be sorted by “--title”"),
        ({"topic": "no-such-topic"}, "There is no topic “no-such-topic”"),
        ({"topic": "a\x00b"}, "There is no topic “ab”"),
        ({"owner": "999999"}, "owns an article"),
        ({"owner": "editor'; drop table"}, "owns an article"),
        ({"state": "deleted"}, "“deleted” is not a state"),
        ({"attention": "yes please"}, "is not a choice"),
        ({"sort": "x" * 500}, "“" + "x" * 40 + "…”"),
    ],
)
def test_a_parameter_that_cannot_be_used_is_named_and_left_out(site, params, message):
    found = report(**params)
    [notice] = found.notices
    assert message in notice
    assert len(found.rows) == 4


def test_the_page_shows_the_notice_and_still_answers(site, editor_client):
    response = editor_client.get(URL, {"sort": "nonsense", "format": "pdf"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be sorted by “nonsense”" in page
    assert "“pdf” is not a format" in page
    assert "Breast cancer recurrence" in page


def test_an_owner_who_owns_nothing_cannot_be_chosen(site, team):
    nobody = builders.make_user("idle", "Editors")
    assert report(owner=str(nobody.pk)).notices


# The page.


def test_the_page_lists_the_articles_with_links_to_their_edit_forms(
    site, editor_client
):
    response = editor_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    recurrence = site["recurrence"]
    edit = reverse("admin:articles_article_change", args=[recurrence.pk])
    assert f'<a href="{edit}">Breast cancer recurrence</a>' in page
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page
    assert 'aria-sort="ascending"' in page
    assert "4 articles: 1 overdue for review, 1 above the reading-age target" in page
    assert "Not scored yet" in page
    assert "Overdue" in page
    assert '<label for="health-topic">' in page
    assert "— After treatment" in page


def test_the_admin_home_links_to_the_report(site, team, client):
    client.force_login(team.editor)
    page = client.get("/admin/").content.decode()
    assert f'href="{URL}"' in page


# CSV export.


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_has_exactly_the_filtered_sorted_rows(site, editor_client):
    response = editor_client.get(
        URL, {"topic": "breast-cancer", "sort": "-reading_age", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="content-health-')
    assert disposition.endswith('.csv"')
    header, *rows = read_csv(response)
    assert header[:5] == ["Article", "Topic", "Owner", "State", "On the public site"]
    assert [row[0] for row in rows] == [
        "Breast cancer recurrence",
        "Tiredness after treatment",
    ]
    recurrence = dict(zip(header, rows[0], strict=True))
    assert recurrence["Next review"] == "2026-07-01"
    assert recurrence["Review overdue"] == "yes"
    assert recurrence["Reading age"] == str(stored(site["recurrence"]).reading_age)
    assert recurrence["Open problems"] == "3"
    assert recurrence["Hints"] == "1"
    assert recurrence["Stale references"] == "1"
    assert recurrence["Owner"] == "editor"
    tired = dict(zip(header, rows[1], strict=True))
    assert tired["Topic"] == "Breast cancer › After treatment"
    assert tired["Owner"] == ""


def test_the_csv_file_is_named_for_the_day(site):
    assert report().csv_filename == "content-health-2026-11-28.csv"


def test_the_csv_says_not_scored_yet(site):
    header, *rows = report(sort="title").csv_rows()
    unscored = dict(zip(header, rows[0], strict=True))
    assert unscored["Article"] == "Bowel cancer symptoms"
    assert unscored["Scored"] == "not scored yet"
    assert unscored["Reading age"] == "" and unscored["Open problems"] == ""


@pytest.mark.parametrize(
    "title",
    [
        '=HYPERLINK("https://example.com","Click")',
        "+1 more thing",
        "-2 things",
        "@SUM(A1:A2)",
    ],
)
def test_a_title_a_spreadsheet_would_run_as_a_formula_is_written_as_text(
    site, editor_client, title
):
    article = site["tired"]
    article.title = title
    article.save()
    topic = site["topics"][1]
    topic.name = "=cmd|' /C calc'!A0"
    topic.save()
    header, *rows = read_csv(editor_client.get(URL, {"format": "csv"}))
    [row] = [row for row in rows if row[0].endswith(title)]
    assert row[0] == "'" + title
    assert row[1] == "Breast cancer › =cmd|' /C calc'!A0"  # not at the start: safe
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


# Who may see it.


def test_editors_and_publishers_may_see_the_report(site, team, client):
    for user in (team.editor, team.publisher):
        client.force_login(user)
        assert client.get(URL).status_code == 200
        assert client.get(URL, {"format": "csv"}).status_code == 200


def test_a_reviewer_without_staff_status_is_sent_to_sign_in(site, team, client):
    client.force_login(team.clinician)
    for params in ({}, {"format": "csv"}):
        response = client.get(URL, params)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        assert b"Breast cancer" not in response.content
    page = client.get(URL, follow=True).content.decode()
    assert "Your account cannot open that page." in page
    assert "Breast cancer recurrence" not in page


def test_someone_not_signed_in_is_sent_to_sign_in(site, client):
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_report_only_answers_reading(site, editor_client):
    assert editor_client.post(URL, {"format": "csv"}).status_code == 405


def test_staff_who_cannot_see_articles_are_refused(site, client):
    client.force_login(builders.make_user("helper", is_staff=True))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403


# Queries.


def build(count, topic, owner):
    for number in range(count):
        article = builders.make_article(
            f"Article {number}",
            topic=topic,
            owner=owner if number % 2 else None,
            sections=2,
            references=[builders.make_reference()],
        )
        if number % 3 == 0:
            builders.edit_section(
                article,
                body=f'<p>See <a href="/articles/article-{number}/">this</a>. '
                "It may be a metastasis.</p>",
            )


def count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"format": "csv"}, {"topic": "breast-cancer", "sort": "-problems"}],
)
def test_the_report_costs_the_same_queries_for_2_and_20_articles(team, client, params):
    topic = builders.make_topic("Breast cancer", slug="breast-cancer")
    client.force_login(team.editor)
    build(2, topic, team.editor)
    few = count_queries(client, params)
    build(18, topic, team.editor)
    assert count_queries(client, params) == few
