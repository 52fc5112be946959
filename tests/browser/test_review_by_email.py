"""A review that starts with an email, in a real browser: the editor sends the
article for review, the reviewer opens the link in their email and approves,
and the article's owner gets the approval email.

The screenshots in docs/reviewers.md are taken here: run with
UPDATE_SCREENSHOTS=1 to write them into docs/images/.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from articles.models import Approval
from tests import builders
from tests.browser.conftest import sign_in
from tests.browser.test_admin_accessibility import assert_no_violations


def link_in(email, site):
    return re.search(re.escape(site) + r"/review/\S+", email.body).group(0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reviewer_approves_from_the_emailed_link_and_the_owner_hears(
    live_server, new_page, settings, screenshot
):
    settings.SITE_URL = live_server.url
    team = builders.make_team()
    owner = builders.make_user("owner", "Editors")
    owner.first_name, owner.last_name = "Sam", "Owner"
    owner.save()
    article = builders.make_article(
        "Breast cancer recurrence", slug="breast-cancer-recurrence", owner=owner
    )
    mail.outbox.clear()

    # The editor sends the article to the clinical reviewer.
    editor = new_page()
    sign_in(editor, live_server, "editor")
    editor.goto(f"{live_server.url}/review/articles/{article.pk}/")
    editor.get_by_label("Dr Sample Clinician").check()
    editor.get_by_role("button", name="Send for review").click()
    expect(editor.locator(".message--success")).to_be_visible()

    # The reviewer's email names the article and links to the exact place.
    [asked] = [email for email in mail.outbox if email.to == ["clinician@example.org"]]
    assert "Breast cancer recurrence" in asked.subject
    link = link_in(asked, live_server.url)
    assert link == f"{live_server.url}/review/articles/{article.pk}/"

    # The reviewer follows it, signs in, and lands on the article to review.
    reviewer = new_page()
    reviewer.goto(link)
    expect(reviewer).to_have_url(re.compile(r"/accounts/login/\?next="))
    screenshot(reviewer, "reviewer-sign-in")
    reviewer.get_by_label("Username").fill("clinician")
    reviewer.get_by_label("Password").fill("correct horse battery staple")
    reviewer.get_by_role("button", name="Sign in").click()
    expect(reviewer).to_have_url(link)
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(
        "Breast cancer recurrence"
    )
    screenshot(reviewer, "reviewer-workspace")
    assert_no_violations(reviewer, "the workspace a reviewer opens from an email")

    approve = reviewer.locator("section[aria-labelledby=action-approve]")
    approve.get_by_label("Comment").fill("Clear, and the doses are right.")
    approve.scroll_into_view_if_needed()
    screenshot(reviewer, "reviewer-approve")
    approve.get_by_role("button", name="Approve this version").click()
    expect(reviewer.locator(".message--success")).to_be_visible()
    screenshot(reviewer, "reviewer-approved")
    assert Approval.objects.filter(
        article=article, reviewer__user=team.clinician, decision="approved"
    ).exists()

    # The owner hears, with the reviewer's comment and a link to the article.
    heard = [email for email in mail.outbox if email.to == [owner.email]]
    assert [email.subject for email in heard] == [
        "Approved by Dr Sample Clinician: Breast cancer recurrence"
    ]
    assert "Clear, and the doses are right." in heard[0].body
    assert link_in(heard[0], live_server.url).startswith(
        f"{live_server.url}/review/articles/{article.pk}/"
    )

    # The reviewer's own list, and where they choose which emails they get.
    reviewer.goto(f"{live_server.url}/review/")
    screenshot(reviewer, "reviewer-dashboard")
    reviewer.goto(f"{live_server.url}/emails/")
    expect(reviewer.get_by_role("heading", level=1)).to_be_visible()
    screenshot(reviewer, "reviewer-emails")
    assert_no_violations(reviewer, "the email choices page")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reviewer_sent_to_a_staff_page_signs_in_again_and_is_told_why(
    live_server, new_page
):
    builders.make_team()
    reviewer = new_page()
    sign_in(reviewer, live_server, "clinician")
    expect(reviewer).to_have_url(f"{live_server.url}/review/")

    # A link to a page for staff only sends the reviewer to sign in.
    reviewer.goto(f"{live_server.url}/plain-english/health/")
    expect(reviewer).to_have_url(re.compile(r"/admin/login/\?next="))
    expect(reviewer.get_by_text("Your account cannot open that page")).to_be_visible()

    # Signing in again with the same account lands at home, saying why.
    reviewer.get_by_label("Username").fill("clinician")
    reviewer.get_by_label("Password").fill("correct horse battery staple")
    reviewer.get_by_role("button", name="Sign in").click()
    expect(reviewer).to_have_url(f"{live_server.url}/review/")
    expect(reviewer.get_by_role("status")).to_contain_text(
        "Your account (clinician) cannot open /plain-english/health/"
    )
    expect(reviewer.get_by_role("button", name="Sign in")).to_have_count(0)
