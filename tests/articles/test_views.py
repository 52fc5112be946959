import datetime
import re
import xml.etree.ElementTree as ET

import pytest
import reversion
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Section
from tests import builders


@pytest.mark.django_db
def test_article_page_shows_everything_a_reader_needs(
    client, draft, team, topic, monkeypatch
):
    related = builders.publish(
        builders.make_article("Secondary breast cancer", slug="secondary", topic=topic),
        team,
    )
    with reversion.create_revision():
        draft.related_articles.add(related)
    article = builders.publish(draft, team)
    # Read on a day before the next review falls due.
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 6, 1))
    response = client.get(article.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<title>Breast cancer recurrence" in html
    assert 'lang="en-GB"' in html
    assert 'href="#main"' in html
    assert article.summary in html
    # Breadcrumb: home, topic, then the article itself.
    assert f'href="{topic.get_absolute_url()}"' in html
    # "On this page" links to each section, and each section has its anchor.
    for section in article.sections.all():
        assert f'href="#{section.anchor}"' in html
        assert f'id="{section.anchor}"' in html
        assert section.body in html
    assert 'href="/articles/secondary/"' in html
    assert "Clinical guideline [CG" in html
    assert "(accessed November 2021)" in html
    assert "Dr Sample Oncologist" in html  # credited as a writer
    assert "Consultant Medical Oncologist" in html
    # Who reviewed and approved comes from the decisions that let it go live.
    approved_by = html[html.index("<dt>Approved by</dt>") :]
    assert approved_by.index("Dr Sample Clinician") < approved_by.index("</dl>")
    reviewed_by = html[html.index("<dt>Reviewed by</dt>") :]
    assert reviewed_by.index("Sample Lay Reviewer") < reviewed_by.index("</dl>")
    assert "(sample reviewer)" in html
    assert "Reviewed: " in html and "1 July 2023" in html
    assert "Next review: " in html and "1 July 2026" in html
    assert "PIF TICK" in html


@pytest.mark.django_db
def test_sections_are_shown_in_order(client, draft, team):
    with reversion.create_revision():
        first = draft.sections.get(heading="Section heading 1")
        first.order = 99
        first.save()
    article = builders.publish(draft, team)
    html = client.get(article.get_absolute_url()).content.decode()
    positions = [html.index(f'id="section-heading-{n}"') for n in (2, 3, 1)]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_an_edit_to_a_live_article_reaches_readers_only_once_published(
    client, article, team
):
    def page():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        return response.content.decode()

    builders.edit_section(article, user=team.editor, body="<p>Reworded later.</p>")
    assert "Reworded later." not in page()
    assert "Body text of section 1." in page()

    builders.submit(article, team)
    builders.approve_all(article, team)
    # Approved is not published: readers still see the published copy.
    assert "Reworded later." not in page()
    assert "Body text of section 1." in page()

    workflow.publish(
        article, by=team.publisher, is_full_review=False, full_review_not_needed=True
    )
    assert "Reworded later." in page()
    assert "Body text of section 1." not in page()


@pytest.mark.django_db
def test_home_lists_topics_and_featured_articles(client, article, topic):
    builders.make_topic("After treatment", parent=topic)
    article.is_featured = True
    article.save()
    html = client.get(reverse("articles:home")).content.decode()
    assert "Breast cancer" in html
    assert "After treatment" in html
    assert article.get_absolute_url() in html


@pytest.mark.django_db
def test_topic_page_lists_its_articles_and_subtopics(client, article, topic):
    child = builders.make_topic("After treatment", parent=topic)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert article.get_absolute_url() in html
    assert child.get_absolute_url() in html
    child_html = client.get(child.get_absolute_url()).content.decode()
    assert f'href="{topic.get_absolute_url()}"' in child_html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/articles/no-such-article/", "/topics/no-such-topic/", "/nothing/here/"]
)
def test_unknown_paths_are_a_404_in_the_site_style(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'lang="en-GB"' in html


@pytest.mark.django_db
def test_sitemap_lists_every_article_with_its_last_change(client, article, team, topic):
    other = builders.publish(builders.make_article("Another", topic=topic), team)
    builders.make_article("Never published", slug="draft-only", topic=topic)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.find("s:loc", namespace).text: url.find("s:lastmod", namespace).text
        for url in ET.fromstring(response.content).findall("s:url", namespace)
    }
    assert set(entries) == {
        f"http://testserver{article.get_absolute_url()}",
        f"http://testserver{other.get_absolute_url()}",
    }
    assert entries[f"http://testserver{article.get_absolute_url()}"].startswith(
        article.last_published_at.strftime("%Y-%m-%d")
    )


@pytest.mark.django_db
def test_public_pages_carry_a_strict_content_security_policy(client, article):
    response = client.get(article.get_absolute_url())
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.content.decode())


def _grow(article, sections, references, reviewers, related, team):
    related = [
        builders.publish(builders.make_article(topic=article.topic, sections=1), team)
        for _ in range(related)
    ]
    with reversion.create_revision():
        _add_rows(article, sections, references, reviewers)
        article.related_articles.add(*related)
        reversion.add_to_revision(article)
    return builders.publish(article, team)


def _add_rows(article, sections, references, reviewers):
    for index in range(sections):
        Section.objects.create(
            article=article,
            heading=f"Extra {index}",
            body="<p>More.</p>",
            order=100 + index,
        )
    for index in range(references):
        article.reference_links.create(
            reference=builders.make_reference(), order=10 + index
        )
    for index in range(reviewers):
        article.credits.create(
            reviewer=builders.make_reviewer(), role="wrote", order=index
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sections", "references", "reviewers"), [(0, 0, 0), (27, 20, 10)]
)
def test_article_page_costs_a_constant_number_of_queries(
    client,
    draft,
    team,
    django_assert_max_num_queries,
    sections,
    references,
    reviewers,
):
    article = _grow(draft, sections, references, reviewers, related=5, team=team)
    cache.clear()
    assert article.sections.count() == 3 + sections
    # The published copy with its body rendered, and its related live articles.
    with django_assert_max_num_queries(2):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("<h2 id=") >= 3 + sections


@pytest.mark.django_db
def test_review_dates_use_british_format(client, topic, team):
    article = builders.make_article(
        topic=topic,
        reviewed_on=datetime.date(2025, 3, 9),
        next_review_on=datetime.date(2028, 3, 9),
    )
    article = builders.publish(article, team)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "9 March 2025" in html
    assert "9 March 2028" in html


@pytest.mark.django_db
def test_reviewers_find_their_place_from_any_public_page(client, article, team):
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/accounts/home/">Sign in for reviewers and staff</a>' in html
    response = client.get("/accounts/home/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/accounts/home/"
    response = client.post(
        "/accounts/login/?next=/accounts/home/",
        {
            "username": "clinician",
            "password": "correct horse battery staple",
            "next": "/accounts/home/",
        },
        follow=True,
    )
    assert response.request["PATH_INFO"] == "/review/"
    assert "Waiting for your review" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_signing_in_never_sends_people_off_site(client, team, login_url):
    evil = "https://evil.example/steal"
    response = client.post(
        f"{login_url}?next={evil}",
        {
            "username": "editor",
            "password": "correct horse battery staple",
            "next": evil,
        },
    )
    assert response.status_code == 302
    assert not response.url.startswith("https://evil.example")
    # Already signed in: the login page must not bounce to the other site either.
    response = client.get(f"{login_url}?next={evil}")
    assert not response.headers.get("Location", "").startswith("https://evil.example")
