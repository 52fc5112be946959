import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Reference, Section
from tests import builders


@pytest.mark.django_db
def test_section_bodies_are_sanitised_on_every_save_not_only_in_forms(article):
    section = Section.objects.create(
        article=article,
        heading="Pasted",
        body=(
            '<h2>Too big</h2><p style="font-size:40px" onmouseover="x()">Text '
            '<a href="javascript:alert(1)" target="_blank">link</a> '
            '<a href="/articles/secondary-breast-cancer/">internal</a></p>'
            "<script>document.cookie</script><iframe src=https://evil.example></iframe>"
            "<ol><li><em>one</em></li></ol><h3>Sub-heading</h3><table><tr><td>x</td></tr></table>"
        ),
    )
    section.refresh_from_db()
    assert section.body == (
        # A pasted h2 becomes the allowed sub-heading; a simple table is kept.
        '<h3>Too big</h3><p>Text <a>link</a> <a href="/articles/secondary-breast-cancer/">'
        "internal</a></p><ol><li><em>one</em></li></ol><h3>Sub-heading</h3>"
        "<table><tbody><tr><td>x</td></tr></tbody></table>"
    )


@pytest.mark.django_db
def test_anchor_comes_from_the_heading_and_is_unique_within_the_article(article, topic):
    first = Section.objects.create(
        article=article, heading="Tests & scans", body="<p>a</p>"
    )
    second = Section.objects.create(
        article=article, heading="Tests & scans", body="<p>b</p>"
    )
    other_article = builders.make_article(topic=topic, sections=0)
    elsewhere = Section.objects.create(
        article=other_article, heading="Tests & scans", body="<p>c</p>"
    )
    assert (first.anchor, second.anchor, elsewhere.anchor) == (
        "tests-scans",
        "tests-scans-2",
        "tests-scans",
    )


@pytest.mark.django_db
def test_anchor_stays_the_same_when_the_heading_changes(article):
    section = article.sections.first()
    section.heading = "A reworded heading"
    section.save()
    section.refresh_from_db()
    assert section.anchor == "section-heading-1"


@pytest.mark.django_db
def test_database_refuses_two_sections_with_one_anchor(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(
            article=article,
            heading="Other",
            anchor="section-heading-1",
            body="<p>x</p>",
        )


@pytest.mark.django_db
def test_database_refuses_next_review_before_review(article):
    article.next_review_on = article.reviewed_on
    with pytest.raises(IntegrityError), transaction.atomic():
        article.save()


@pytest.mark.django_db
def test_next_review_on_or_before_reviewed_date_fails_validation(article):
    article.next_review_on = article.reviewed_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "must be after the reviewed date (1 July 2023)" in str(error.value)


@pytest.mark.django_db
def test_summary_with_html_fails_validation(article):
    article.summary = 'Click <a href="x">here</a>'
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "summary" in error.value.message_dict


@pytest.mark.django_db
def test_topic_cannot_sit_inside_its_own_subtopic(topic):
    child = builders.make_topic("After treatment", parent=topic)
    topic.parent = child
    with pytest.raises(ValidationError) as error:
        topic.full_clean()
    assert "cannot sit inside itself" in str(error.value)


@pytest.mark.django_db
def test_topic_ancestors_run_from_the_top(topic):
    child = builders.make_topic("After treatment", parent=topic)
    grandchild = builders.make_topic("Recurrence", parent=child)
    assert grandchild.ancestors() == [topic, child, grandchild]


def test_guideline_citation_reads_like_a_reference_list():
    reference = Reference(
        kind=Reference.Kind.GUIDELINE,
        authors="National Institute for Health and Care Excellence (NICE)",
        title="Advanced breast cancer: diagnosis and treatment",
        identifier="CG81",
        year=2009,
        updated_year=2017,
        url="https://www.nice.org.uk/guidance/cg81",
        accessed_on=datetime.date(2021, 11, 1),
    )
    assert reference.citation() == (
        "National Institute for Health and Care Excellence (NICE). Advanced breast cancer: "
        "diagnosis and treatment. Clinical guideline [CG81]. Updated 2017. Available from: "
        '<a href="https://www.nice.org.uk/guidance/cg81">https://www.nice.org.uk/guidance/cg81'
        "</a> (accessed November 2021)."
    )


def test_citation_escapes_what_editors_typed():
    reference = Reference(kind="book", title="<script>x</script>", year=2020)
    assert reference.citation() == "&lt;script&gt;x&lt;/script&gt;. 2020."


@pytest.mark.django_db
def test_saving_in_a_revision_block_records_the_article_with_its_rows(article):
    version = Version.objects.get_for_object(article).get()
    models_in_revision = sorted(
        v.content_type.model for v in version.revision.version_set.all()
    )
    assert models_in_revision == sorted(
        ["article"] + ["section"] * 3 + ["articlereference"] * 2 + ["credit"] * 2
    )


@pytest.mark.django_db
def test_due_for_review_includes_overdue_and_upcoming(topic):
    day = datetime.date(2026, 11, 25)
    overdue = builders.make_article(
        topic=topic, next_review_on=datetime.date(2026, 7, 1)
    )
    soon = builders.make_article(topic=topic, next_review_on=datetime.date(2027, 1, 15))
    builders.make_article(topic=topic, next_review_on=datetime.date(2028, 3, 1))
    assert list(Article.objects.due_for_review(on=day, within_days=0)) == [overdue]
    assert set(Article.objects.due_for_review(on=day)) == {overdue, soon}
    assert list(Article.objects.overdue(on=day)) == [overdue]
    assert list(Article.objects.due_soon(on=day)) == [soon]


@pytest.mark.django_db
def test_the_notice_period_is_a_setting(topic, settings):
    day = datetime.date(2026, 11, 25)
    soon = builders.make_article(topic=topic, next_review_on=datetime.date(2027, 1, 15))
    settings.INFOSITE = {**settings.INFOSITE, "REVIEW_NOTICE_DAYS": 30}
    assert not Article.objects.due_soon(on=day).exists()
    settings.INFOSITE = {**settings.INFOSITE, "REVIEW_NOTICE_DAYS": 60}
    assert list(Article.objects.due_soon(on=day)) == [soon]


@pytest.mark.django_db
def test_a_reviewed_date_in_the_future_is_refused(article):
    article.reviewed_on = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "cannot be in the future" in str(error.value.message_dict["reviewed_on"])
