"""Two people editing the same article: who else has it open, and a save refused
because a colleague saved meanwhile, with nothing either of them typed lost."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import revisions
from articles.models import PRESENCE_EXPIRES, Article, EditingPresence, Section
from tests import builders
from tests.articles.admin_forms import (
    article_form_data,
    change_url,
    form_data_from_page,
    section_rows,
)

LONDON = ZoneInfo("Europe/London")
# A fixed morning: the notices say "since 09:42".
MORNING = datetime.datetime(2026, 3, 3, 9, 42, tzinfo=LONDON)


def presence_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def named(username, first, last):
    user = builders.make_user(username, "Editors")
    user.first_name, user.last_name = first, last
    user.save()
    return user


def versions(article):
    return Version.objects.get_for_object(article).count()


def section_bodies(article):
    return [s.body for s in Section.objects.filter(article=article)]


def errors_of(response):
    return " ".join(response.context["adminform"].form.non_field_errors())


@pytest.fixture
def sam(db):
    return named("sam", "Sam", "Editor")


@pytest.fixture
def alex(db):
    return named("alex", "Alex", "Writer")


@pytest.fixture
def frozen(monkeypatch):
    """Set the clock to a fixed moment; return a function that moves it on."""
    clock = {"now": MORNING}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])

    def at(moment):
        clock["now"] = moment
        return moment

    return at


def keep_open(client, article, frozen, *, seconds):
    """Move the clock on by ``seconds``, the form checking in every 20 seconds."""
    for step in range(20, seconds + 1, 20):
        frozen(MORNING + datetime.timedelta(seconds=step))
        client.post(presence_url(article))


# Who else has the article open


@pytest.mark.django_db
def test_checking_in_again_keeps_one_row_and_the_time_it_was_opened(draft, sam):
    EditingPresence.objects.check_in(article=draft, user=sam, now=MORNING)
    later = MORNING + datetime.timedelta(seconds=40)
    EditingPresence.objects.check_in(article=draft, user=sam, now=later)

    row = EditingPresence.objects.get()
    assert row.opened_at == MORNING
    assert row.seen_at == later


@pytest.mark.django_db
def test_someone_who_stopped_checking_in_has_left_and_starts_again(draft, sam, alex):
    EditingPresence.objects.check_in(article=draft, user=sam, now=MORNING)
    gone = MORNING + PRESENCE_EXPIRES + datetime.timedelta(seconds=1)

    assert (
        list(EditingPresence.objects.others(article=draft, user=alex, now=gone)) == []
    )
    EditingPresence.objects.check_in(article=draft, user=sam, now=gone)
    (row,) = EditingPresence.objects.others(article=draft, user=alex, now=gone)
    assert row.opened_at == gone
    assert EditingPresence.objects.count() == 1


@pytest.mark.django_db
def test_one_row_per_article_and_person_is_a_database_rule(draft, sam):
    from django.db import IntegrityError, transaction

    EditingPresence.objects.create(
        article=draft, user=sam, opened_at=MORNING, seen_at=MORNING
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EditingPresence.objects.create(
            article=draft, user=sam, opened_at=MORNING, seen_at=MORNING
        )


@pytest.mark.django_db
def test_the_form_says_who_else_has_the_article_open_and_since_when(
    draft, sam, alex, frozen
):
    sam_client = signed_in(sam)
    sam_client.get(change_url(draft))  # Sam opens it at 09:42
    keep_open(sam_client, draft, frozen, seconds=100)

    page = signed_in(alex).get(change_url(draft)).content.decode()
    assert 'id="editing-presence"' in page
    assert "Sam Editor has had this article open since 09:42." in page
    assert "Alex Writer has had" not in page


@pytest.mark.django_db
def test_the_check_in_returns_who_else_is_there_but_not_yourself(
    draft, sam, alex, frozen
):
    sam_client, alex_client = signed_in(sam), signed_in(alex)
    sam_client.post(presence_url(draft))
    keep_open(sam_client, draft, frozen, seconds=100)  # 09:43:40

    answer = alex_client.post(presence_url(draft)).json()
    assert answer["others"] == [{"name": "Sam Editor", "since": "09:42"}]
    assert answer["notice"] == "Sam Editor has had this article open since 09:42."
    # Sam's next check-in sees Alex, there since 09:43.
    assert sam_client.post(presence_url(draft)).json()["others"] == [
        {"name": "Alex Writer", "since": "09:43"}
    ]


@pytest.mark.django_db
def test_someone_who_left_or_closed_the_page_is_no_longer_shown(
    draft, sam, alex, frozen
):
    sam_client, alex_client = signed_in(sam), signed_in(alex)
    sam_client.post(presence_url(draft))
    frozen(MORNING + PRESENCE_EXPIRES + datetime.timedelta(seconds=1))
    assert alex_client.post(presence_url(draft)).json()["others"] == []

    sam_client.post(presence_url(draft))
    assert alex_client.post(presence_url(draft)).json()["others"] != []
    sam_client.post(presence_url(draft), {"left": "1"})
    assert alex_client.post(presence_url(draft)).json() == {"others": [], "notice": ""}


@pytest.mark.django_db
def test_people_with_another_article_open_are_not_shown(draft, sam, alex):
    other = builders.make_article("Another article")
    signed_in(sam).post(presence_url(other))
    assert signed_in(alex).post(presence_url(draft)).json()["others"] == []


@pytest.mark.django_db
def test_the_check_in_needs_permission_to_change_the_article(draft, team):
    looker = builders.make_user("looker", is_staff=True)  # staff, no permissions
    response = signed_in(looker).post(presence_url(draft))
    assert response.status_code == 403
    assert response.json() == {"error": "You cannot change this article."}
    # A reviewer is not staff: the admin sends them to sign in.
    assert signed_in(team.lay).post(presence_url(draft)).status_code == 302
    assert Client().post(presence_url(draft)).status_code == 302
    assert not EditingPresence.objects.exists()


@pytest.mark.django_db
def test_the_check_in_refuses_reading_and_unknown_articles(draft, sam):
    client = signed_in(sam)
    assert client.get(presence_url(draft)).status_code == 405
    missing = reverse("admin:articles_article_presence", args=[draft.pk + 1000])
    assert client.post(missing).status_code == 404
    nonsense = reverse("admin:articles_article_presence", args=["abc"])
    assert client.post(nonsense).status_code == 404
    assert not EditingPresence.objects.exists()


@pytest.mark.django_db
def test_the_check_in_is_cheap(draft, sam, alex, django_assert_max_num_queries):
    for number in range(5):
        EditingPresence.objects.check_in(
            article=draft, user=builders.make_user(f"editor-{number}", "Editors")
        )
    client = signed_in(alex)
    client.post(presence_url(draft))  # the first check-in inserts
    # Session, account, article, permissions (2), check-in, who else.
    with django_assert_max_num_queries(7):
        answer = client.post(presence_url(draft)).json()
    assert len(answer["others"]) == 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent upserts need PostgreSQL; CI runs this there",
)
def test_two_check_ins_at_the_same_moment_leave_one_row(db):
    from tests.articles.test_races import race

    article = builders.make_article("Raced")
    user = builders.make_user("racer", "Editors")

    def check_in():
        EditingPresence.objects.check_in(article=article, user=user)
        return "ok"

    assert race(check_in, check_in, check_in) == ["ok", "ok", "ok"]
    assert EditingPresence.objects.filter(article=article, user=user).count() == 1


# A save refused because a colleague saved meanwhile


def with_choices(data, **choices):
    data = dict(data)
    for key, value in choices.items():
        data[f"conflict-{key}"] = value
    return data


@pytest.mark.django_db
def test_a_stale_save_keeps_what_was_typed_and_the_editor_chooses_field_by_field(
    draft, sam, alex
):
    first, second = signed_in(sam), signed_in(alex)
    loaded = [client.get(change_url(draft)) for client in (first, second)]
    start = revisions.current_revision(draft).pk
    sections = list(draft.sections.all())

    # Sam changes the title, the summary and the first section.
    sam_data = form_data_from_page(loaded[0])
    sam_data["title"] = "Breast cancer coming back"
    sam_data["summary"] = "Sam's summary."
    sam_data["sections-0-body"] = "<p>Sam's first section.</p>"
    assert first.post(change_url(draft), sam_data).status_code == 302
    sams = revisions.current_revision(draft)

    # Alex, from the same version, changes the summary, the first and third sections.
    alex_data = form_data_from_page(loaded[1])
    alex_data["summary"] = "Alex's summary."
    alex_data["sections-0-body"] = "<p>Alex's first section.</p>"
    alex_data["sections-2-body"] = "<p>Alex's third section.</p>"
    refused = second.post(change_url(draft), alex_data)

    assert refused.status_code == 200
    assert "Someone else saved this article while you were editing it" in errors_of(
        refused
    )
    assert "(Sam Editor at " in errors_of(refused)
    # Nothing saved.
    assert versions(draft) == 2
    assert Article.objects.get(pk=draft.pk).summary == "Sam's summary."
    # What Alex typed is still in the form, sections included.
    form = refused.context["adminform"].form
    assert form["summary"].value() == "Alex's summary."
    formset = refused.context["inline_admin_formsets"][0].formset
    assert formset.forms[0]["body"].value() == "<p>Alex's first section.</p>"
    assert formset.forms[2]["body"].value() == "<p>Alex's third section.</p>"
    # Both versions of each field Sam changed, side by side.
    conflict = refused.context["edit_conflict"]
    rows = {row.key: row for row in conflict.rows}
    first_body = f"section-{sections[0].pk}-body"
    assert set(rows) == {"title", "summary", first_body}
    assert (rows["title"].theirs, rows["title"].mine) == (
        "Breast cancer coming back",
        "Breast cancer recurrence",
    )
    assert rows["title"].untouched and rows["title"].choice == "theirs"
    assert (rows["summary"].theirs, rows["summary"].mine) == (
        "Sam's summary.",
        "Alex's summary.",
    )
    assert rows["summary"].choice == "" and rows[first_body].choice == ""
    page = refused.content.decode()
    assert "Saved by Sam Editor while you were editing" in page
    assert 'name="conflict-summary" value="mine"' in page
    assert 'name="conflict-title" value="theirs-if-unchanged" checked' in page
    table = page[page.index('id="edit-conflict"') :]
    assert "Sam's first section." in table and "Alex's first section." in table
    # The form now starts from Sam's version and remembers Alex's.
    assert str(form["base_revision"].value()) == str(sams.pk)
    assert str(form["conflict_base"].value()) == str(start)

    # Alex keeps their summary and takes Sam's first section; the title, which
    # Alex did not touch, takes Sam's.
    again = form_data_from_page(refused)
    response = second.post(
        change_url(draft),
        with_choices(again, summary="mine", **{first_body: "theirs"}),
    )
    assert response.status_code == 302
    saved = Article.objects.get(pk=draft.pk)
    assert saved.title == "Breast cancer coming back"
    assert saved.summary == "Alex's summary."
    assert section_bodies(draft) == [
        "<p>Sam's first section.</p>",
        "<p>Body text of section 2.</p>",
        "<p>Alex's third section.</p>",
    ]
    # Both saves are in the history, Alex's after Sam's.
    history = list(revisions.revisions_of(draft))
    assert [r.user.username for r in history[:2]] == ["alex", "sam"]
    assert versions(draft) == 3


@pytest.mark.django_db
def test_saving_without_choosing_for_a_field_both_changed_saves_nothing(
    draft, sam, alex
):
    sam_data = article_form_data(draft, summary="Sam's summary.")
    alex_data = article_form_data(draft, summary="Alex's summary.")
    assert signed_in(sam).post(change_url(draft), sam_data).status_code == 302
    client = signed_in(alex)
    refused = client.post(change_url(draft), alex_data)

    again = client.post(change_url(draft), form_data_from_page(refused))
    assert again.status_code == 200
    assert "Choose “Keep mine” or “Take theirs” for: Summary." in errors_of(again)
    assert versions(draft) == 2
    assert Article.objects.get(pk=draft.pk).summary == "Sam's summary."
    # A choice that is neither is no choice.
    forged = with_choices(form_data_from_page(again), summary="both")
    assert "for: Summary." in errors_of(client.post(change_url(draft), forged))
    assert versions(draft) == 2


@pytest.mark.django_db
def test_a_save_after_seeing_the_conflict_without_changes_keeps_the_colleagues_work(
    draft, sam, alex
):
    other = builders.make_topic("After treatment")
    stale = article_form_data(draft)
    references = article_form_data(draft)["reference_links-0-id"]
    sam_data = article_form_data(
        draft,
        title="Sam's title",
        topic=other.pk,
        references=[{"id": references, "DELETE": True}],
    )
    assert signed_in(sam).post(change_url(draft), sam_data).status_code == 302
    client = signed_in(alex)
    refused = client.post(change_url(draft), stale)
    keys = {row.key for row in refused.context["edit_conflict"].rows}
    assert keys == {"title", "topic", "reference_links"}

    # Alex changed nothing and simply saves again: everything Sam did stays.
    assert (
        client.post(change_url(draft), form_data_from_page(refused)).status_code == 302
    )
    saved = Article.objects.get(pk=draft.pk)
    assert (saved.title, saved.topic) == ("Sam's title", other)
    assert saved.reference_links.count() == 1


@pytest.mark.django_db
def test_a_section_the_colleague_deleted_comes_back_when_the_editor_keeps_theirs(
    draft, sam, alex
):
    sections = list(draft.sections.all())
    rows = [
        {**row, "DELETE": row["id"] == sections[1].pk} for row in section_rows(draft)
    ]
    sam_data = article_form_data(draft, sections=rows)
    mine = section_rows(draft)
    mine[1]["body"] = "<p>Alex rewrote the second section.</p>"
    alex_data = article_form_data(draft, sections=mine)
    assert signed_in(sam).post(change_url(draft), sam_data).status_code == 302
    assert draft.sections.count() == 2

    client = signed_in(alex)
    refused = client.post(change_url(draft), alex_data)
    assert refused.status_code == 200
    (row,) = refused.context["edit_conflict"].rows
    assert row.key == f"section-{sections[1].pk}"
    assert "(not in this version)" in refused.content.decode()

    response = client.post(
        change_url(draft),
        with_choices(form_data_from_page(refused), **{row.key: "mine"}),
    )
    assert response.status_code == 302
    assert section_bodies(draft) == [
        "<p>Body text of section 1.</p>",
        "<p>Alex rewrote the second section.</p>",
        "<p>Body text of section 3.</p>",
    ]


@pytest.mark.django_db
def test_a_section_the_colleague_added_stays(draft, sam, alex):
    stale = article_form_data(draft, title="Alex's title")
    added = [
        *section_rows(draft),
        {"heading": "Living with it", "body": "<p>New.</p>", "order": 99},
    ]
    sam_data = article_form_data(draft, sections=added)
    assert signed_in(sam).post(change_url(draft), sam_data).status_code == 302
    client = signed_in(alex)
    refused = client.post(change_url(draft), stale)
    (row,) = refused.context["edit_conflict"].rows
    assert row.untouched and row.choice == "theirs"

    assert (
        client.post(change_url(draft), form_data_from_page(refused)).status_code == 302
    )
    saved = Article.objects.get(pk=draft.pk)
    assert saved.title == "Alex's title"
    assert [s.heading for s in saved.sections.all()][-1] == "Living with it"


# Bad input: a clear message, and nothing saved


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["base_revision", "conflict_base"])
def test_a_version_of_another_article_is_refused(draft, alex, field):
    other = builders.make_article("Another article")
    data = article_form_data(draft, title="Should not be saved")
    data[field] = str(revisions.current_revision(other).pk)
    response = signed_in(alex).post(change_url(draft), data)
    assert response.status_code == 200
    assert "This page was out of date or belongs to another article" in errors_of(
        response
    )
    assert versions(draft) == 1
    assert Article.objects.get(pk=draft.pk).title == "Breast cancer recurrence"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["999999", "not a number"])
def test_a_version_that_does_not_exist_is_refused(draft, alex, value):
    for field in ("base_revision", "conflict_base"):
        data = article_form_data(draft, title="Should not be saved")
        data[field] = value
        response = signed_in(alex).post(change_url(draft), data)
        assert response.status_code == 200
        assert "out of date" in " ".join(
            [errors_of(response), *map(str, response.context["errors"])]
        )
    assert versions(draft) == 1
    assert Article.objects.get(pk=draft.pk).title == "Breast cancer recurrence"


@pytest.mark.django_db
def test_the_colleagues_new_order_of_sections_stays_when_the_editor_did_not_reorder(
    draft, sam, alex
):
    sections = list(draft.sections.all())
    reordered = section_rows(draft)
    for row, order in zip(reordered, [30, 20, 10], strict=True):
        row["order"] = order
    mine = section_rows(draft)
    mine[0]["body"] = "<p>Alex's first section.</p>"
    alex_data = article_form_data(draft, sections=mine)
    assert (
        signed_in(sam)
        .post(change_url(draft), article_form_data(draft, sections=reordered))
        .status_code
        == 302
    )
    client = signed_in(alex)
    refused = client.post(change_url(draft), alex_data)
    (row,) = refused.context["edit_conflict"].rows
    assert (row.key, row.choice) == ("section-order", "theirs")
    table = refused.content.decode()
    assert "Order of the sections" in table

    assert (
        client.post(change_url(draft), form_data_from_page(refused)).status_code == 302
    )
    assert list(draft.sections.all()) == sections[::-1]
    assert Section.objects.get(pk=sections[0].pk).body == (
        "<p>Alex's first section.</p>"
    )


@pytest.mark.django_db
def test_keeping_mine_undoes_the_colleagues_added_section_related_and_credits(
    draft, sam, alex
):
    related = builders.make_article("Living with secondary breast cancer")
    stale = article_form_data(draft)
    added = [
        *section_rows(draft),
        {"heading": "Living with it", "body": "<p>New.</p>", "order": 99},
    ]
    sam_data = article_form_data(
        draft,
        sections=added,
        related_articles=[related.pk],
        credits=[
            {**row, "DELETE": index == 0}
            for index, row in enumerate(stale_credits(draft))
        ],
    )
    assert signed_in(sam).post(change_url(draft), sam_data).status_code == 302
    client = signed_in(alex)
    refused = client.post(change_url(draft), stale)
    rows = {row.key: row for row in refused.context["edit_conflict"].rows}
    new_section = draft.sections.get(heading="Living with it")
    assert set(rows) == {f"section-{new_section.pk}", "related_articles", "credits"}
    page = refused.content.decode()
    assert "Living with secondary breast cancer" in page
    assert "Sample Lay Reviewer" in page

    choices = {key: "mine" for key in rows}
    response = client.post(
        change_url(draft), with_choices(form_data_from_page(refused), **choices)
    )
    assert response.status_code == 302
    saved = Article.objects.get(pk=draft.pk)
    assert not saved.sections.filter(heading="Living with it").exists()
    assert not saved.related_articles.exists()
    assert saved.credits.count() == 2


def stale_credits(article):
    return [
        {"id": c.pk, "reviewer": c.reviewer_id, "role": c.role, "order": c.order}
        for c in article.credits.all()
    ]


@pytest.mark.django_db
def test_a_very_long_section_in_a_refused_save_is_not_shown_but_kept(draft, sam, alex):
    long_body = "<p>" + "word " * 20_000 + "</p>"
    mine = section_rows(draft)
    mine[0]["body"] = long_body
    alex_data = article_form_data(draft, sections=mine)
    sam_data = article_form_data(draft, sections=section_rows(draft))
    sam_data["sections-0-body"] = "<p>Sam's first section.</p>"
    assert signed_in(sam).post(change_url(draft), sam_data).status_code == 302

    refused = signed_in(alex).post(change_url(draft), alex_data)
    assert refused.status_code == 200
    assert "too long to show here: 100,007 characters" in refused.content.decode()
    formset = refused.context["inline_admin_formsets"][0].formset
    assert formset.forms[0]["body"].value() == long_body
    assert versions(draft) == 2


@pytest.mark.django_db
def test_a_field_changed_after_seeing_the_conflict_needs_a_choice_again(
    draft, sam, alex
):
    stale = article_form_data(draft)
    sam_data = article_form_data(draft, title="Sam's title")
    assert signed_in(sam).post(change_url(draft), sam_data).status_code == 302
    client = signed_in(alex)
    refused = client.post(change_url(draft), stale)
    again = form_data_from_page(refused)
    # Alex had not touched the title; seeing Sam's, Alex types another one,
    # leaving "Take theirs" ticked as it was.
    again["title"] = "Alex's better title"
    again["conflict-title"] = "theirs-if-unchanged"

    response = client.post(change_url(draft), again)
    assert response.status_code == 200
    assert "for: Title." in errors_of(response)
    assert response.context["adminform"].form["title"].value() == (
        "Alex's better title"
    )
    assert 'name="conflict-title" value="theirs" checked' not in (
        response.content.decode()
    )
    assert Article.objects.get(pk=draft.pk).title == "Sam's title"

    again["conflict-title"] = "mine"
    assert client.post(change_url(draft), again).status_code == 302
    assert Article.objects.get(pk=draft.pk).title == "Alex's better title"


# A glossary term's variants


def term_change_url(term):
    return reverse("admin:articles_glossaryterm_change", args=[term.pk])


def term_form_data(term, **changes):
    term = Article.objects.get(pk=term.pk)
    return {
        "base_revision": revisions.current_revision(term).pk,
        "title": term.title,
        "slug": term.slug,
        "summary": term.summary,
        "variants": term.variants,
        "owner": term.owner_id or "",
        **changes,
    }


@pytest.fixture
def term(db):
    return builders.make_term(
        "Lymph nodes", slug="lymph-nodes", variants="lymph node\nlymph glands"
    )


SAMS_VARIANTS = "lymph node\nlymph glands\nlymphatic nodes"  # Sam adds one


def refused_term_save(term, sam, alex, alexs, sams=None):
    """Sam saves ``sams`` changes (a variant added unless told); Alex, from the
    same version, is refused saving ``alexs``."""
    sams = {"variants": SAMS_VARIANTS} if sams is None else sams
    alex_data = term_form_data(term, **alexs)
    response = signed_in(sam).post(term_change_url(term), term_form_data(term, **sams))
    assert response.status_code == 302
    client = signed_in(alex)
    refused = client.post(term_change_url(term), alex_data)
    assert refused.status_code == 200
    return client, refused


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("choice", "saved"),
    [
        ("mine", ["lymph node", "lymph gland"]),
        ("theirs", ["lymph node", "lymph glands", "lymphatic nodes"]),
    ],
)
def test_a_terms_variants_both_changed_are_chosen_like_any_field(
    term, sam, alex, choice, saved
):
    client, refused = refused_term_save(
        term, sam, alex, {"variants": "lymph node\r\nlymph gland"}
    )
    (row,) = refused.context["edit_conflict"].rows
    assert (row.key, row.label, row.choice) == ("variants", "Variants and plurals", "")
    table = refused.content.decode()
    table = table[table.index('id="edit-conflict"') :]
    assert "<li>lymphatic nodes</li>" in table and "<li>lymph gland</li>" in table
    assert 'name="conflict-variants" value="mine"' in table

    again = form_data_from_page(refused)
    assert "Variants and plurals" in errors_of(
        client.post(term_change_url(term), again)
    )
    response = client.post(term_change_url(term), with_choices(again, variants=choice))

    assert response.status_code == 302
    assert Article.objects.get(pk=term.pk).variant_list == saved
    assert versions(term) == 3


@pytest.mark.django_db
def test_a_colleagues_new_variant_stays_when_the_editor_changed_only_the_definition(
    term, sam, alex
):
    client, refused = refused_term_save(
        term, sam, alex, {"summary": "Small glands that filter fluid in the body."}
    )
    (row,) = refused.context["edit_conflict"].rows
    assert (row.key, row.untouched, row.choice) == ("variants", True, "theirs")
    assert 'name="conflict-variants" value="theirs-if-unchanged" checked' in (
        refused.content.decode()
    )

    response = client.post(term_change_url(term), form_data_from_page(refused))

    assert response.status_code == 302
    saved = Article.objects.get(pk=term.pk)
    assert saved.variants == SAMS_VARIANTS
    assert saved.summary == "Small glands that filter fluid in the body."


@pytest.mark.django_db
def test_the_same_variants_typed_with_other_spacing_are_no_conflict(term, sam, alex):
    client, refused = refused_term_save(
        term,
        sam,
        alex,
        {"variants": " lymph node\r\n\r\nlymph glands\r\nlymphatic nodes "},
    )
    assert refused.context["edit_conflict"].rows == []


@pytest.mark.django_db
@pytest.mark.parametrize("forged", ["both", "theirs ", "MINE", ""])
def test_a_forged_choice_for_the_variants_changes_nothing_and_says_why(
    term, sam, alex, forged
):
    client, refused = refused_term_save(term, sam, alex, {"variants": "lymph gland"})

    response = client.post(
        term_change_url(term),
        with_choices(form_data_from_page(refused), variants=forged),
    )

    assert response.status_code == 200
    assert "Choose “Keep mine” or “Take theirs” for: Variants and plurals." in (
        errors_of(response)
    )
    saved = Article.objects.get(pk=term.pk)
    assert saved.variants == SAMS_VARIANTS
    assert versions(term) == 2


@pytest.mark.django_db
def test_a_terms_conflict_names_its_fields_as_the_term_form_does(term, sam, alex):
    client, refused = refused_term_save(
        term,
        sam,
        alex,
        {"summary": "Alex's definition.", "variants": "lymph glands"},
        sams={"summary": "Sam's definition.", "variants": "lymph node"},
    )
    rows = refused.context["edit_conflict"].rows
    assert [row.label for row in rows] == ["Definition", "Variants and plurals"]
    page = refused.content.decode()
    assert "Saved by Sam Editor while you were editing" in page

    again = client.post(term_change_url(term), form_data_from_page(refused))
    assert "for: Definition, Variants and plurals." in errors_of(again)
    assert Article.objects.get(pk=term.pk).summary == "Sam's definition."
