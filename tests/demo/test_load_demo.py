import datetime
from html.parser import HTMLParser
from io import StringIO

import pytest
import reversion
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone
from reversion.models import Revision, Version

from articles import revisions, workflow
from articles.models import (
    Approval,
    Article,
    ArticleReference,
    Credit,
    PublishedTermUse,
    Reference,
    Reviewer,
    Section,
    Topic,
    Transition,
)
from demo import content as demo_content
from tests import builders

ALLOWED_BODY_TAGS = {"p", "h3", "h4", "ul", "ol", "li", "a", "strong", "em"}
DEMO_MODELS = (
    Topic,
    Article,
    Section,
    Reference,
    ArticleReference,
    Reviewer,
    Credit,
    Approval,
    Transition,
)
DEMO_USERS = {
    "editor": ("Editors", True),
    "clinician": ("Reviewers", False),
    "lay-reviewer": ("Reviewers", False),
    "publisher": ("Publishers", True),
}


class _Tags(HTMLParser):
    """Collect the tags and link addresses in a piece of HTML."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.hrefs = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    return {model.__name__: model.objects.count() for model in DEMO_MODELS}


@pytest.mark.django_db
def test_load_demo_creates_articles_with_sections_references_and_topics():
    output = load_demo()

    assert "Demo content loaded." in output
    assert Article.objects.count() >= 3
    for slug in (
        "breast-cancer-recurrence",
        "secondary-breast-cancer",
        "signs-and-symptoms-of-breast-cancer",
    ):
        article = Article.objects.get(slug=slug)
        assert article.sections.count() >= 3
        assert article.credits.filter(role="wrote").exists()
    assert Reference.objects.count() == 2
    assert Topic.objects.get(slug="breast-cancer").children.count() == 2
    assert Topic.objects.roots().filter(slug="living-with-cancer").exists()
    secondary = Article.objects.get(slug="secondary-breast-cancer")
    assert secondary.reference_links.count() == 2


@pytest.mark.django_db
def test_recurrence_article_follows_the_reference_page_structure():
    load_demo()
    article = Article.objects.get(slug="breast-cancer-recurrence")

    assert article.topic.name == "After treatment"
    assert article.topic.parent.name == "Breast cancer"
    assert article.is_featured
    assert article.reviewed_on == datetime.date(2023, 7, 1)
    assert article.next_review_on == datetime.date(2026, 7, 1)
    assert [(s.order, s.heading, s.anchor) for s in article.sections.all()] == [
        (1, "About breast cancer recurrence", "about-breast-cancer-recurrence"),
        (
            2,
            "Symptoms of breast cancer recurrence",
            "symptoms-of-breast-cancer-recurrence",
        ),
        (
            3,
            "Local and regional breast cancer recurrence",
            "local-and-regional-breast-cancer-recurrence",
        ),
        (4, "Secondary breast cancer", "secondary-breast-cancer"),
    ]
    local = article.sections.get(order=3).body
    assert "<h3>Tests</h3>" in local and "<h3>Treatment</h3>" in local
    for treatment in (
        "surgery",
        "radiotherapy",
        "hormonal therapy",
        "chemotherapy",
        "targeted therapy",
    ):
        assert f"<li><strong>{treatment}</strong>" in local


@pytest.mark.django_db
def test_recurrence_article_cites_nice_and_bmj_accessed_november_2021():
    load_demo()
    article = Article.objects.get(slug="breast-cancer-recurrence")

    links = list(article.reference_links.select_related("reference"))
    assert [(link.order, link.reference.title) for link in links] == [
        (1, "Advanced breast cancer: diagnosis and treatment"),
        (2, "Metastatic breast cancer"),
    ]
    nice, bmj = (link.reference for link in links)
    assert (nice.kind, nice.identifier, nice.year, nice.updated_year) == (
        "guideline",
        "CG81",
        2009,
        2017,
    )
    assert nice.url == "https://www.nice.org.uk/guidance/cg81"
    assert (bmj.kind, bmj.source) == ("web_page", "BMJ Publishing Group")
    for reference in (nice, bmj):
        assert reference.accessed_on == datetime.date(2021, 11, 1)
        assert "(accessed November 2021)" in reference.citation()


@pytest.mark.django_db
def test_recurrence_article_credits_its_writer_and_the_reviewers_who_approved(client):
    load_demo()
    article = Article.objects.get(slug="breast-cancer-recurrence")

    # Editors credit the writer; reviewing and approving come from decisions.
    assert [c.reviewer.kind for c in article.credits.all()] == ["editorial"]
    credits = {
        role: [credit for credit in article.live.credits if credit["role"] == role]
        for role in ("wrote", "reviewed", "approved")
    }
    assert [c["kind"] for c in credits["wrote"]] == ["editorial"]
    assert [c["kind"] for c in credits["reviewed"]] == ["lived_experience"]
    assert sorted(c["credentials"] for c in credits["approved"]) == [
        "Consultant Breast Surgeon",
        "Consultant Medical Oncologist",
    ]
    page = client.get(article.get_absolute_url()).content.decode()
    approved_by = page[page.index("<dt>Approved by</dt>") :]
    assert "Consultant Breast Surgeon" in approved_by[: approved_by.index("</dl>")]


@pytest.mark.django_db
def test_demo_reviewers_are_all_marked_and_named_as_samples():
    load_demo()

    reviewers = list(Reviewer.objects.all())
    assert len(reviewers) == 4
    for reviewer in reviewers:
        assert reviewer.is_sample
        if reviewer.kind != "editorial":  # people, not the editorial team
            assert any(word in reviewer.name for word in ("Sample", "Example"))
    assert {r.kind for r in reviewers} == {"clinical", "lived_experience", "editorial"}


@pytest.mark.django_db
def test_section_bodies_use_only_the_allowed_tags():
    load_demo()

    for section in Section.objects.all():
        assert set(_Tags(section.body).tags) <= ALLOWED_BODY_TAGS, section.heading
    bodies = Section.objects.filter(article__slug="signs-and-symptoms-of-breast-cancer")
    assert any("<ol>" in s.body or "<ul>" in s.body for s in bodies)


@pytest.mark.django_db
def test_cross_links_point_at_demo_articles_that_exist():
    load_demo()
    slugs = set(Article.objects.values_list("slug", flat=True))

    linked = set()
    for section in Section.objects.all():
        for href in _Tags(section.body).hrefs:
            if href.startswith("/articles/"):
                slug = href.removeprefix("/articles/").strip("/")
                assert slug in slugs, f"{section.heading} links to missing {href}"
                linked.add(slug)
    assert {"secondary-breast-cancer", "signs-and-symptoms-of-breast-cancer"} <= linked
    recurrence = Article.objects.get(slug="breast-cancer-recurrence")
    assert {"secondary-breast-cancer", "signs-and-symptoms-of-breast-cancer"} <= set(
        recurrence.related_articles.values_list("slug", flat=True)
    )


@pytest.mark.django_db
def test_each_article_gets_one_first_revision_with_the_demo_comment():
    load_demo()

    for article in Article.objects.all():
        versions = Version.objects.get_for_object(article)
        assert versions.count() == 1
        revision = versions.get().revision
        assert revision.comment == "Loaded demo content"
        recorded = {version.object_repr for version in revision.version_set.all()}
        assert {s.heading for s in article.sections.all()} <= recorded


@pytest.mark.django_db
def test_running_twice_changes_nothing_and_records_no_second_revision():
    load_demo()
    counts, revisions = row_counts(), Revision.objects.count()

    output = load_demo()

    assert row_counts() == counts
    assert Revision.objects.count() == revisions
    assert "Demo content already up to date." in output
    for article in Article.objects.all():
        assert Version.objects.get_for_object(article).count() == 1


@pytest.mark.django_db
def test_running_again_restores_an_edited_article_in_one_new_revision():
    load_demo()
    article = Article.objects.get(slug="breast-cancer-recurrence")
    with reversion.create_revision():
        article.summary = "Edited by hand."
        article.save()
    section = article.sections.get(order=1)
    with reversion.create_revision():
        section.body = "<p>Edited by hand.</p>"
        section.save()
    counts = row_counts()
    versions = Version.objects.get_for_object(article).count()

    output = load_demo()

    article.refresh_from_db()
    assert article.summary.startswith("Sometimes breast cancer comes back")
    assert "Edited by hand" not in article.sections.get(order=1).body
    assert row_counts() == counts
    assert Version.objects.get_for_object(article).count() == versions + 1
    assert "Updated article “Breast cancer recurrence”" in output
    other = Article.objects.get(slug="secondary-breast-cancer")
    assert Version.objects.get_for_object(other).count() == 1


@pytest.mark.django_db
def test_dry_run_reports_what_it_would_create_and_saves_nothing():
    output = load_demo("--dry-run")

    assert "Would create article “Breast cancer recurrence”" in output
    assert "Dry run: nothing was saved." in output
    assert all(count == 0 for count in row_counts().values())
    assert Revision.objects.count() == 0


@pytest.mark.django_db
def test_invalid_demo_data_fails_with_a_command_error_and_saves_nothing(monkeypatch):
    broken = dict(demo_content.ARTICLES[0], next_review_on=datetime.date(2020, 1, 1))
    monkeypatch.setattr(demo_content, "ARTICLES", [broken])

    with pytest.raises(CommandError, match="next review date must be after"):
        load_demo()

    assert all(count == 0 for count in row_counts().values())


@pytest.mark.django_db
def test_demo_articles_go_live_as_approved_by_the_sample_reviewers():
    output = load_demo()

    assert "Published article “Breast cancer recurrence”" in output
    for article in Article.objects.articles():
        current = revisions.current_revision(article)
        assert builders.live_revision_id(article) == current.pk
        assert builders.state_of(article) == workflow.State.PUBLISHED
        assert not workflow.missing_for(article)
        approvals = article.approvals.all()
        assert {a.revision_id for a in approvals} == {current.pk}
        assert {a.decision for a in approvals} == {"approved"}
        assert {a.reviewer.kind for a in approvals} == {"clinical", "lived_experience"}
        moves = list(article.transitions.order_by("pk"))
        assert [m.action for m in moves] == ["submit", "approve", "publish"]
        assert all(m.revision == current and m.user is None for m in moves)
        assert moves[-1].comment == "Demo content, approved by sample reviewers"
    recurrence = Article.objects.get(slug="breast-cancer-recurrence")
    assert sorted(a.reviewer.name for a in recurrence.approvals.all()) == [
        "Dr Alex Sample",
        "Prof Jordan Example",
        "Sam Example",
    ]
    assert (recurrence.reviewed_on, recurrence.next_review_on) == (
        datetime.date(2023, 7, 1),
        datetime.date(2026, 7, 1),
    )


@pytest.mark.django_db
def test_the_public_recurrence_page_shows_the_2023_review_dates(client, monkeypatch):
    load_demo()
    # Read before the next review falls due; after it, readers are told the page is
    # being reviewed (tests/articles/test_overdue_notice.py).
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 6, 1))

    response = client.get("/articles/breast-cancer-recurrence/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'Reviewed: <time datetime="2023-07-01">1 July 2023</time>' in page
    assert 'Next review: <time datetime="2026-07-01">1 July 2026</time>' in page
    for article in Article.objects.articles():
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_running_again_after_an_edit_publishes_the_demo_content_again():
    load_demo()
    article = Article.objects.get(slug="breast-cancer-recurrence")
    first_live = builders.live_revision_id(article)
    with reversion.create_revision():
        article.summary = "Edited by hand."
        article.save()
    workflow.publish_imported(
        article,
        reviewers=list(Reviewer.objects.exclude(kind="editorial")),
        comment="Hand edit put live",
        approval_comment="",
    )

    output = load_demo()

    article.refresh_from_db()
    current = revisions.current_revision(article)
    assert builders.live_revision_id(article) == current.pk
    assert revisions.fingerprint_of(article, first_live) == article.content_fingerprint
    # Three approvals of the first content and three of the hand edit: going back
    # to the first content needed no new approval, as the first ones still count.
    assert article.approvals.count() == 6
    assert not workflow.missing_for(article)
    assert "Published article “Breast cancer recurrence”" in output


@pytest.mark.django_db
def test_without_debug_no_demo_users_are_created(settings):
    settings.DEBUG = False

    output = load_demo()

    assert not User.objects.exists()
    assert "sign-in" not in output.lower()
    assert "user" not in output.lower()
    assert not Article.objects.filter(owner__isnull=False).exists()
    assert not Reviewer.objects.filter(user__isnull=False).exists()


@pytest.mark.django_db
def test_with_debug_one_demo_user_per_role_is_created(settings):
    settings.DEBUG = True

    output = load_demo()

    users = {user.username: user for user in User.objects.all()}
    assert users.keys() == DEMO_USERS.keys()
    for username, (group, is_staff) in DEMO_USERS.items():
        user = users[username]
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.is_staff is is_staff
        assert not user.is_superuser
        assert user.email == f"{username}@example.org"
        assert user.check_password("infosite-demo")
    assert Reviewer.objects.get(name="Dr Alex Sample").user == users["clinician"]
    assert Reviewer.objects.get(name="Sam Example").user == users["lay-reviewer"]
    assert users["publisher"].has_perm("articles.publish_article")
    assert set(Article.objects.values_list("owner__username", flat=True)) == {"editor"}
    assert (
        "Demo sign-ins, password “infosite-demo” unless changed: editor (Editors), "
        "clinician (Reviewers), lay-reviewer (Reviewers), publisher (Publishers)."
        in output
    )


@pytest.mark.django_db
def test_with_debug_a_second_run_keeps_a_changed_password_and_saves_nothing(
    settings,
):
    settings.DEBUG = True
    load_demo()
    editor = User.objects.get(username="editor")
    editor.set_password("a new password of my own")
    editor.save()
    counts, revision_count = row_counts(), Revision.objects.count()

    output = load_demo()

    editor.refresh_from_db()
    assert editor.check_password("a new password of my own")
    assert User.objects.count() == 4
    assert row_counts() == counts
    assert Revision.objects.count() == revision_count
    assert "Demo content already up to date." in output
    assert "Demo sign-ins" in output


@pytest.mark.django_db
def test_an_article_owner_is_set_only_when_it_has_none(settings):
    load_demo()
    someone = User.objects.create_user("someone", email="someone@example.org")
    owned = Article.objects.get(slug="secondary-breast-cancer")
    with reversion.create_revision():
        owned.owner = someone
        owned.save()
    approvals, transitions = Approval.objects.count(), Transition.objects.count()
    settings.DEBUG = True

    load_demo()

    owners = dict(Article.objects.values_list("slug", "owner__username"))
    assert owners.pop("secondary-breast-cancer") == "someone"
    assert set(owners.values()) == {"editor"}
    # A new owner is not new content: nothing to approve or publish again.
    assert Approval.objects.count() == approvals
    assert Transition.objects.count() == transitions


@pytest.mark.django_db
def test_demo_glossary_terms_go_live_approved_by_the_sample_clinician_and_are_marked(
    client,
):
    output = load_demo()

    terms = list(Article.objects.terms())
    assert len(terms) >= 6
    assert "Published glossary term “Recurrence”" in output
    for term in terms:
        assert builders.state_of(term) == workflow.State.PUBLISHED
        assert [a.reviewer.name for a in term.approvals.all()] == ["Dr Alex Sample"]
        assert {a.reviewer.kind for a in term.approvals.all()} == {"clinical"}
    used = set(PublishedTermUse.objects.values_list("term__slug", flat=True))
    assert len(used) >= 6
    page = client.get("/articles/breast-cancer-recurrence/").content.decode()
    assert 'class="glossary-term" href="#define-recurrence"' in page
    assert "Medical words explained" in page
    glossary = client.get("/glossary/").content.decode()
    assert all(term.title in glossary for term in terms)


@pytest.mark.django_db
def test_running_twice_publishes_no_glossary_term_again():
    load_demo()
    moves = Transition.objects.count()
    output = load_demo()
    assert Transition.objects.count() == moves
    assert "Published glossary term" not in output
    assert "Demo content already up to date." in output
