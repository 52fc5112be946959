"""Links between our articles: chosen by article, following it when its address
changes, never pointing readers at a page that is not there, and old addresses
redirecting to new ones."""

import re
import threading

import pytest
import reversion
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from articles import links
from articles.models import Article, FormerAddress, PublishedLink, Section
from reviews import services
from tests import builders
from tests.articles.admin_forms import article_form_data

PICKER = reverse("admin:articles_article_link_picker")


def link_to(article, words="read more"):
    """A link as the editor's "Our articles" button writes it."""
    return f'<a href="{article.get_absolute_url()}" data-article="{article.pk}">{words}</a>'


def page_of(article):
    return Client().get(f"/articles/{builders.fresh(article).slug}/").content.decode()


def rename(article, slug, *, client=None, user=None):
    """Change the article's address as an editor does, in the admin."""
    article = builders.fresh(article)
    client = client or Client()
    client.force_login(user)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form_data(article, slug=slug),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return builders.fresh(article)


@pytest.fixture
def target(team, topic):
    """A live article other pages link to."""
    article = builders.make_article(
        "Lymphoedema", slug="lymphoedema", topic=topic, sections=1
    )
    return builders.publish(article, team)


def linking(team, topic, target, title="Breast surgery", slug="breast-surgery"):
    """Publish an article whose first section links to ``target``."""
    article = builders.make_article(title, slug=slug, topic=topic, sections=1)
    builders.edit_section(
        article,
        body=f"<p>Swelling after surgery: {link_to(target, 'lymphoedema')}.</p>",
    )
    return builders.publish(article, team)


# The picker.


@pytest.mark.django_db
def test_the_picker_finds_articles_by_title_for_editors(client, team, target, draft):
    client.force_login(team.editor)

    found = client.get(PICKER, {"q": "LYMPH"}).json()["results"]

    assert found == [
        {
            "id": target.pk,
            "title": "Lymphoedema",
            "url": "/articles/lymphoedema/",
            "live": True,
        }
    ]
    found = client.get(PICKER, {"q": "recurrence"}).json()["results"]
    assert found == [
        {
            "id": draft.pk,
            "title": "Breast cancer recurrence",
            "url": "/articles/breast-cancer-recurrence/",
            "live": False,
        }
    ]
    assert client.get(PICKER, {"q": "  "}).json() == {"results": []}
    assert client.get(PICKER).json() == {"results": []}


@pytest.mark.django_db
def test_the_picker_is_for_people_who_can_change_articles(client, team, target):
    client.force_login(team.clinician)  # a reviewer: not staff
    response = client.get(PICKER, {"q": "lymph"})
    assert response.status_code == 302 and "/login/" in response["Location"]

    client.force_login(builders.make_user("helper", is_staff=True))  # no permissions
    response = client.get(PICKER, {"q": "lymph"})
    assert response.status_code == 403
    assert "cannot change articles" in response.json()["error"]

    client.logout()
    assert client.get(PICKER, {"q": "lymph"}).status_code == 302


@pytest.mark.django_db
def test_the_picker_refuses_a_null_character_without_failing(client, team, target):
    client.force_login(team.editor)

    response = client.get(PICKER + "?q=%00lymph")

    assert response.status_code == 400


# Stored by article.


@pytest.mark.django_db
def test_a_link_is_stored_with_its_article_and_nothing_else(draft, target):
    section = Section.objects.create(
        article=draft,
        heading="Links",
        order=9,
        body=(
            f"<p>{link_to(target)} "
            '<a href="/articles/x/" data-article="1 onclick=alert(1)">bad</a> '
            '<a href="/articles/x/" data-article="-3">negative</a> '
            '<a href="/articles/x/" data-other="2">other</a></p>'
        ),
    )

    assert Section.objects.get(pk=section.pk).body == (
        f'<p><a href="/articles/lymphoedema/" data-article="{target.pk}">read more</a> '
        '<a href="/articles/x/">bad</a> <a href="/articles/x/">negative</a> '
        '<a href="/articles/x/">other</a></p>'
    )


@pytest.mark.django_db
def test_an_editor_saves_a_link_to_an_article_through_the_admin(
    editor_client, draft, target
):
    rows = [
        {
            "id": s.pk,
            "heading": s.heading,
            "anchor": s.anchor,
            "order": s.order,
            "body": s.body,
        }
        for s in draft.sections.all()
    ]
    rows[0]["body"] = f"<p>See {link_to(target, 'lymphoedema')}.</p>"

    response = editor_client.post(
        reverse("admin:articles_article_change", args=[draft.pk]),
        article_form_data(draft, sections=rows),
    )

    assert response.status_code == 302
    assert f'data-article="{target.pk}"' in draft.sections.get(pk=rows[0]["id"]).body


# Following the article.


@pytest.mark.django_db
def test_the_live_page_links_to_the_article_at_its_current_address(
    team, topic, target, django_assert_max_num_queries
):
    source = linking(team, topic, target)
    reader = Client()

    with django_assert_max_num_queries(3):
        page = reader.get("/articles/breast-surgery/").content.decode()

    assert '<a href="/articles/lymphoedema/"' in page and ">lymphoedema</a>" in page
    assert list(
        PublishedLink.objects.filter(published__article=source).values_list(
            "target_id", flat=True
        )
    ) == [target.pk]


@pytest.mark.django_db
def test_after_the_target_moves_the_live_page_links_to_its_new_address(
    team, topic, target
):
    source = linking(team, topic, target)
    published_at = builders.fresh(source).live.published_at

    rename(target, "lymphoedema-after-treatment", user=team.editor)

    page = page_of(source)
    assert '<a href="/articles/lymphoedema-after-treatment/"' in page
    assert "/articles/lymphoedema/" not in page
    # The approved text is unchanged, and the page was not published again.
    live = builders.fresh(source).live
    assert live.published_at == published_at
    assert (
        f'href="/articles/lymphoedema/" data-article="{target.pk}"'
        in (live.sections[0]["body"])
    )


@pytest.mark.django_db
def test_an_old_address_redirects_permanently_to_the_new_one(client, team, target):
    rename(target, "lymphoedema-after-treatment", user=team.editor)

    response = client.get("/articles/lymphoedema/")

    assert response.status_code == 301
    assert response["Location"] == "/articles/lymphoedema-after-treatment/"
    assert client.get(response["Location"]).status_code == 200
    assert FormerAddress.objects.get().article_id == target.pk


@pytest.mark.django_db
def test_renaming_there_and_back_never_loops(client, team, target):
    rename(target, "lymphoedema-b", user=team.editor)
    rename(target, "lymphoedema", user=team.editor)

    # The current address wins: it is a page, not a redirect.
    assert client.get("/articles/lymphoedema/").status_code == 200
    response = client.get("/articles/lymphoedema-b/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/lymphoedema/"
    assert list(FormerAddress.objects.values_list("slug", flat=True)) == [
        "lymphoedema-b"
    ]

    rename(target, "lymphoedema-b", user=team.editor)
    assert client.get("/articles/lymphoedema-b/").status_code == 200
    assert (
        client.get("/articles/lymphoedema/")["Location"] == "/articles/lymphoedema-b/"
    )
    assert FormerAddress.objects.count() == 1


@pytest.mark.django_db
def test_an_old_address_taken_by_another_article_leads_to_that_article(
    client, team, topic, target
):
    rename(target, "lymphoedema-after-treatment", user=team.editor)

    newcomer = builders.make_article(
        "Lymphoedema: a guide", slug="lymphoedema", topic=topic
    )
    builders.publish(newcomer, team)

    response = client.get("/articles/lymphoedema/")
    assert response.status_code == 200
    assert "Lymphoedema: a guide" in response.content.decode()
    assert not FormerAddress.objects.exists()


@pytest.mark.django_db
def test_an_address_some_article_has_now_is_never_redirected_away(
    client, team, topic, target
):
    # Two renames at the same moment can leave an old address on record that
    # another article has just taken: the article that has it wins.
    draft = builders.make_article("Arm exercises", slug="arm-exercises", topic=topic)
    FormerAddress.objects.create(article=draft, slug="lymphoedema")
    FormerAddress.objects.create(article=target, slug="arm-exercises")

    assert client.get("/articles/lymphoedema/").status_code == 200
    assert client.get("/articles/arm-exercises/").status_code == 404  # a draft


@pytest.mark.django_db
def test_an_unknown_address_is_still_not_found(client, target):
    assert client.get("/articles/never-existed/").status_code == 404


@pytest.mark.django_db
def test_the_same_old_address_is_kept_once(target):
    FormerAddress.objects.create(article=target, slug="old-address")

    with pytest.raises(IntegrityError), transaction.atomic():
        FormerAddress.objects.create(article=target, slug="old-address")


# Never a link to a page that is not there.


@pytest.mark.django_db
def test_a_link_to_an_article_not_yet_published_keeps_its_words_only_until_it_is(
    team, topic
):
    upcoming = builders.make_article("Lymphoedema", slug="lymphoedema", topic=topic)
    source = linking(team, topic, upcoming)

    page = page_of(source)
    assert "Swelling after surgery: lymphoedema." in page
    assert 'href="/articles/lymphoedema/"' not in page

    builders.publish(upcoming, team)

    assert 'href="/articles/lymphoedema/"' in page_of(source)


@pytest.mark.django_db
def test_unpublishing_the_target_removes_the_link_and_keeps_the_words(
    team, topic, target
):
    source = linking(team, topic, target)

    services.unpublish(article=target, by=team.publisher, comment="Out of date.")

    page = page_of(source)
    assert "Swelling after surgery: lymphoedema." in page
    assert 'href="/articles/lymphoedema/"' not in page
    # Published again (its approvals still stand), the link comes back.
    services.publish(
        article=builders.fresh(target),
        by=team.publisher,
        is_full_review=False,
        full_review_not_needed=True,
    )
    assert 'href="/articles/lymphoedema/"' in page_of(source)


@pytest.mark.django_db
def test_deleting_the_target_removes_the_link(team, topic, target):
    source = linking(team, topic, target)

    Article.objects.get(pk=target.pk).delete()

    page = page_of(source)
    assert "Swelling after surgery: lymphoedema." in page
    assert "/articles/lymphoedema/" not in page


@pytest.mark.django_db
def test_a_link_whose_address_was_typed_over_is_an_ordinary_link(team, topic, target):
    source = builders.make_article("Breast surgery", topic=topic, sections=1)
    builders.edit_section(
        source,
        body=(
            '<p><a href="https://www.nhs.uk/conditions/lymphoedema/" '
            f'data-article="{target.pk}">NHS</a></p>'
        ),
    )
    builders.publish(source, team)
    services.unpublish(article=target, by=team.publisher, comment="Out of date.")

    assert 'href="https://www.nhs.uk/conditions/lymphoedema/"' in page_of(source)


def test_resolving_escapes_the_address_and_leaves_other_links_alone():
    body = (
        '<p><a href="/articles/a/" data-article="1">one</a> '
        '<a href="https://example.org">out</a> '
        '<a href="/articles/b/" data-article="2" title="Two">two</a></p>'
    )

    assert links.resolve(body, {2: "/articles/b-new/"}) == (
        '<p>one <a href="https://example.org">out</a> '
        '<a href="/articles/b-new/" data-article="2" title="Two">two</a></p>'
    )


@pytest.mark.django_db
def test_the_draft_preview_shows_links_as_readers_would_see_them(
    editor_client, team, topic, target
):
    upcoming = builders.make_article("Arm exercises", slug="arm-exercises", topic=topic)
    source = builders.make_article("Breast surgery", topic=topic, sections=1)
    builders.edit_section(
        source,
        body=f"<p>{link_to(target, 'swelling')} and {link_to(upcoming, 'moving')}</p>",
    )
    rename(target, "lymphoedema-after-treatment", user=team.editor)

    page = editor_client.get(
        reverse("articles:preview", args=[source.pk])
    ).content.decode()

    assert 'href="/articles/lymphoedema-after-treatment/"' in page
    assert ">moving<" not in page and " moving</p>" in page


# Unpublishing warns.


@pytest.mark.django_db
def test_unpublishing_warns_which_live_pages_link_here(client, team, topic, target):
    linking(team, topic, target, "Breast surgery", "breast-surgery")
    linking(team, topic, target, "Arm exercises", "arm-exercises")
    linking(team, topic, target, "Compression sleeves", "compression-sleeves")
    client.force_login(team.publisher)

    page = client.get(reverse("reviews:article", args=[target.pk])).content.decode()

    assert "3 live pages link here." in page
    listed = re.search(r'id="unpublish-linking-pages">(.*?)</div>', page, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', listed) == [
        ("/articles/arm-exercises/", "Arm exercises"),
        ("/articles/breast-surgery/", "Breast surgery"),
        ("/articles/compression-sleeves/", "Compression sleeves"),
    ]


@pytest.mark.django_db
def test_the_warning_counts_one_page_and_leaves_out_pages_not_live(
    client, team, topic, target
):
    linking(team, topic, target)
    gone = linking(team, topic, target, "Arm exercises", "arm-exercises")
    services.unpublish(article=gone, by=team.publisher, comment="Merged.")
    client.force_login(team.publisher)

    page = client.get(reverse("reviews:article", args=[target.pk])).content.decode()

    assert "1 live page links here." in page
    assert "its link to this article will be removed" in page
    assert "Arm exercises" not in page


@pytest.mark.django_db
def test_no_warning_when_no_live_page_links_here(client, team, target):
    client.force_login(team.publisher)

    page = client.get(reverse("reviews:article", args=[target.pk])).content.decode()

    assert "Take off the public site" in page
    assert "link here" not in page


# Races.


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; CI runs this test there",
)
def test_a_page_going_live_as_its_target_comes_down_never_links_to_it(topic):
    team = builders.make_team()
    for attempt in range(4):
        target = builders.publish(
            builders.make_article(slug=f"target-{attempt}", topic=topic, sections=1),
            team,
        )
        source = builders.make_article(
            slug=f"source-{attempt}", topic=topic, sections=1
        )
        builders.edit_section(source, body=f"<p>{link_to(target, 'the target')}</p>")
        builders.submit(source, team)
        builders.approve_all(source, team)

        race(
            lambda source=source: services.publish(
                article=source,
                by=team.publisher,
                is_full_review=False,
                full_review_not_needed=True,
            ),
            lambda target=target: services.unpublish(
                article=target, by=team.publisher, comment="Out of date."
            ),
        )

        page = page_of(source)
        assert "the target" in page
        assert f'href="/articles/target-{attempt}/"' not in page


def race(*moves):
    barrier = threading.Barrier(len(moves))
    errors = []

    def run(move):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            with reversion.create_revision():
                move()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(move,)) for move in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
