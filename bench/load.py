"""Mixed load against a running site: readers, an editor saving, a publisher publishing.

Run by bench/load.sh, which starts gunicorn with PostgreSQL and Redis and loads
the demo content. For DURATION seconds:

- READERS threads read public pages (home, topics, articles, sitemap) as
  anonymous readers, the way a spike from social media would;
- one editor saves an article through the admin's edit form, over HTTP, with
  a new sentence each time;
- one publisher takes the latest saved version through review and publishes
  it (the same workflow code the review pages use), then reads the public page
  at once: it must show the sentence just published.

At the end it checks that every save the admin accepted is in the history,
and prints the figures. Exit status 1 if any request failed (5xx or a
connection error), a save was lost, or a stale page was served after a publish.
"""

import os
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar, DefaultCookiePolicy

import django

BASE = os.environ.get("BASE_URL", "http://127.0.0.1:8798")
DURATION = float(os.environ.get("DURATION", "600"))
READERS = int(os.environ.get("READERS", "8"))
PASSWORD = os.environ.get("DEMO_PASSWORD", "infosite-demo")
SLUG = "breast-cancer-recurrence"
MARK = re.compile(r"Load-test sentence (\d+)\.")


class Form(HTMLParser):
    """The fields of the form with the given id (or the first form, for None), as a
    browser would send them."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            wanted = self.form_id is None and not self.fields
            self.inside = wanted or attrs.get("id") == self.form_id
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "image"):
                default = "on" if kind in ("checkbox", "radio") else ""
                self.fields.append([attrs["name"], attrs.get("value", default)])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self.fields.append(self._textarea)
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append([self._select, attrs.get("value", "")])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


class Figures:
    def __init__(self):
        self.lock = threading.Lock()
        self.reads, self.read_errors, self.latencies = 0, [], []
        self.saves, self.save_refusals, self.save_errors = [], 0, []
        self.publishes, self.publish_refusals, self.stale = 0, 0, []

    def add(self, name, value):
        with self.lock:
            getattr(self, name).append(value)


class LoopbackCookies(DefaultCookiePolicy):
    """Send the site's Secure cookies back over plain HTTP: the load runs on
    loopback, without TLS, against the production settings."""

    def return_ok_secure(self, cookie, request):
        return True


def opener():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar(LoopbackCookies())),
        NoRedirect(),
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(browser, path, data=None, headers=None):
    request = urllib.request.Request(
        BASE + path,
        data=(
            urllib.parse.urlencode([tuple(field) for field in data]).encode()
            if data is not None
            else None
        ),
        headers={"Referer": BASE + path, **(headers or {})},
    )
    try:
        with browser.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def sign_in(username):
    browser = opener()
    status, page = fetch(browser, "/accounts/login/")
    form = Form(None)
    form.feed(page)
    fields = dict(form.fields) | {"username": username, "password": PASSWORD}
    status, _ = fetch(browser, "/accounts/login/?next=/admin/", list(fields.items()))
    if status != 302:
        raise SystemExit(f"{username} could not sign in (status {status})")
    return browser


def reader(paths, figures, stop):
    browser = opener()
    index = 0
    while not stop.is_set():
        path = paths[index % len(paths)]
        index += 1
        started = time.perf_counter()
        try:
            status, _ = fetch(browser, path)
        except OSError as error:
            figures.add("read_errors", f"{path}: {error}")
            continue
        with figures.lock:
            figures.reads += 1
            figures.latencies.append(time.perf_counter() - started)
            if status >= 500:
                figures.read_errors.append(f"{path}: {status}")


def editor(article_id, figures, stop):
    browser = sign_in("editor")
    change = f"/admin/articles/article/{article_id}/change/"
    number = 0
    while not stop.is_set():
        number += 1
        status, page = fetch(browser, change)
        if status != 200:
            figures.add("save_errors", f"edit form: {status}")
            continue
        form = Form("article_form")
        form.feed(page)
        fields = form.fields
        for field in fields:
            if field[0] == "sections-0-body":
                field[1] = re.sub(r"<p>Load-test sentence \d+\.</p>", "", field[1])
                field[1] += f"<p>Load-test sentence {number}.</p>"
        fields.append(["_continue", "Save and continue editing"])
        status, page = fetch(browser, change, fields)
        if status == 302:
            figures.add("saves", number)
        elif status in (200, 409):
            if os.environ.get("LOAD_DEBUG"):
                errors = re.findall(
                    r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S
                )
                figures.add("save_errors", f"held back: {errors[:3]}")
            with figures.lock:
                figures.save_refusals += 1  # held back as stale: shown, not lost
        else:
            figures.add("save_errors", f"save: {status}")
        time.sleep(0.5)


def publisher(article, figures, stop):
    from django.contrib.auth import get_user_model

    from articles import workflow
    from articles.models import Article
    from articles.revisions import current_revision
    from reviews import services

    users = get_user_model().objects
    by = {name: users.get(username=name) for name in ("editor", "publisher")}
    reviewers = [users.get(username="clinician"), users.get(username="lay-reviewer")]
    browser = opener()
    while not stop.is_set():
        time.sleep(2)
        article = Article.objects.get(pk=article.pk)
        try:
            services.submit(article=article, by=by["editor"], reviewers=[])
            revision = current_revision(article)
            for reviewer in reviewers:
                services.approve(article=article, revision=revision, by=reviewer)
            services.publish(
                article=article,
                by=by["publisher"],
                is_full_review=False,
                full_review_not_needed=True,
            )
        except workflow.TransitionError:
            with figures.lock:
                figures.publish_refusals += 1  # the editor saved in between
            continue
        published = Article.objects.get(pk=article.pk).live
        expected = MARK.findall(" ".join(s["body"] for s in published.sections))
        with figures.lock:
            figures.publishes += 1
        status, page = fetch(browser, f"/articles/{SLUG}/")
        if status != 200 or MARK.findall(page) != expected:
            figures.add("stale", f"expected {expected}, page had {MARK.findall(page)}")


def main():
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infosite.settings")
    django.setup()
    from reversion.models import Version

    from articles.models import Article, PublishedArticle, Topic

    article = Article.objects.get(slug=SLUG)
    paths = ["/", "/sitemap.xml"]
    paths += [topic.get_absolute_url() for topic in Topic.objects.all()]
    paths += [
        f"/articles/{slug}/"
        for slug in PublishedArticle.objects.values_list("article__slug", flat=True)
    ]
    figures, stop = Figures(), threading.Event()

    def failing_loudly(work, *args):
        def run():
            try:
                work(*args)
            except Exception as error:  # noqa: BLE001 - counted as a failure
                figures.add("save_errors", f"{work.__name__} stopped: {error!r}")

        return threading.Thread(target=run)

    threads = [failing_loudly(reader, paths, figures, stop) for _ in range(READERS)]
    threads.append(failing_loudly(editor, article.pk, figures, stop))
    threads.append(failing_loudly(publisher, article, figures, stop))
    for thread in threads:
        thread.start()
    time.sleep(DURATION)
    stop.set()
    for thread in threads:
        thread.join()

    kept = Version.objects.filter(object_id=str(article.pk)).values_list(
        "revision_id", flat=True
    )
    stored = " ".join(
        Version.objects.filter(revision_id__in=kept).values_list(
            "serialized_data", flat=True
        )
    )
    lost = [n for n in figures.saves if f"Load-test sentence {n}." not in stored]
    latencies = sorted(figures.latencies) or [0]
    print(f"Duration: {DURATION:.0f} s, {READERS} readers, 1 editor, 1 publisher")
    print(
        f"Reads: {figures.reads} ({figures.reads / DURATION:.0f}/s), "
        f"median {statistics.median(latencies) * 1000:.1f} ms, "
        f"99th percentile {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms, "
        f"errors {len(figures.read_errors)}"
    )
    print(
        f"Saves accepted: {len(figures.saves)}, held back as stale: "
        f"{figures.save_refusals}, errors: {len(figures.save_errors)}, "
        f"lost: {len(lost)}"
    )
    print(
        f"Publishes: {figures.publishes}, refused because a newer save came in: "
        f"{figures.publish_refusals}, stale pages after a publish: {len(figures.stale)}"
    )
    problems = figures.read_errors + figures.save_errors + figures.stale + lost
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
