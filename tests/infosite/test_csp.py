"""Public pages are sent with an enforced Content-Security-Policy that allows no
inline script, and carry none: every script is a file of our own."""

from html.parser import HTMLParser

import pytest


class ScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []
        self.inline_scripts = []
        self.handlers = []
        self.script_urls = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.lower().startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
        for name in ("href", "src", "action", "formaction"):
            if (attrs.get(name) or "").strip().lower().startswith("javascript:"):
                self.script_urls.append(f"<{tag} {name}={attrs[name]}>")
        if tag == "script":
            self.scripts.append(attrs)
            self._in_script = not attrs.get("src")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts.append(data.strip()[:80])


def directives(header):
    policy = {}
    for part in header.split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def assert_no_inline_script(response):
    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    policy = directives(response["Content-Security-Policy"])
    for kind in ("script-src", "default-src"):
        assert "'unsafe-inline'" not in policy.get(kind, [])
        assert "'unsafe-eval'" not in policy.get(kind, [])
    assert "'self'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"]

    page = ScriptFinder()
    page.feed(response.content.decode())
    assert page.inline_scripts == []
    assert all(script.get("src") for script in page.scripts)
    assert page.handlers == []
    assert page.script_urls == []


@pytest.mark.django_db
def test_the_article_page_has_no_inline_script(client, article):
    response = client.get(article.get_absolute_url())
    assert "Breast cancer recurrence" in response.content.decode()
    assert_no_inline_script(response)


@pytest.mark.django_db
def test_the_home_and_topic_pages_have_no_inline_script(client, article, topic):
    assert_no_inline_script(client.get("/"))
    assert_no_inline_script(client.get(topic.get_absolute_url()))


@pytest.mark.django_db
def test_the_sign_in_page_has_no_inline_script(client):
    assert_no_inline_script(client.get("/accounts/login/"))


def test_the_finder_sees_inline_script_and_handlers():
    """The checks above would catch a page that broke the rule."""
    page = ScriptFinder()
    page.feed(
        '<script src="/static/a.js"></script><script>alert(1)</script>'
        '<a href="javascript:go()" onclick="go()">Go</a>'
    )
    assert page.inline_scripts == ["alert(1)"]
    assert page.handlers == ["<a onclick>"]
    assert page.script_urls == ["<a href=javascript:go()>"]
