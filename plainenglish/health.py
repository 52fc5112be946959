"""The content-health report: every article with its reading age, open content
checks, undefined medical terms, review date and stale references, for editors
and publishers to sort, filter and export before a review meeting.

Built once per request from what was stored when each version was saved (STYLE
rule 1), in a fixed number of queries however many articles there are. Some
things are read as they are now rather than as stored: whether an article a
link points to is live and whether the glossary now explains a medical word (as
the editor's panel does), and which references are stale, because a reference's
accessed date changes in its own record, without a new version of the article,
and its age depends on today's date.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode

from articles import display
from articles.models import Article, ArticleReference, State, Topic

from . import checks, medical, services
from .models import RevisionReadability

# Findings counted in their own columns rather than as open problems.
REFERENCE_CHECKS = {"reference_not_checked", "reference_old"}
NO_OWNER = "none"
STATE_ORDER = {state: index for index, state in enumerate(State.values)}
# Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LONGEST_SHOWN_VALUE = 40


def is_undefined_term(finding):
    """Return True for a finding about a medical word with no glossary entry."""
    return finding.get("check") == medical.CHECK


def with_stale_references(articles, *, day):
    """Annotate each article with ``stale_reference_count``: its references not
    checked since its last review (or never), or older than the setting allows.

    The same rule as ``checks.reference_age``, counted by the database as of
    ``day``; a reference both unchecked and old counts once.
    """
    limit = checks.targets()["reference_max_age_years"]
    not_checked = Q(reference__url__gt="") & (
        Q(reference__accessed_on__isnull=True)
        | Q(reference__accessed_on__lt=F("article__reviewed_on"))
    )
    too_old = Q(reference__updated_year__lt=day.year - limit) | Q(
        reference__updated_year__isnull=True, reference__year__lt=day.year - limit
    )
    stale = (
        ArticleReference.objects.filter(article=OuterRef("pk"))
        .filter(not_checked | too_old)
        .order_by()
        .values("article")
        .annotate(count=Count("reference", distinct=True))
        .values("count")
    )
    return articles.annotate(
        stale_reference_count=Coalesce(
            Subquery(stale, output_field=IntegerField()), Value(0)
        )
    )


@dataclass
class Row:
    """One article's line in the report."""

    pk: int
    title: str
    topic: str  # the topic's path, "Breast cancer › After treatment"
    owner: str  # the owner's name, or "" for nobody
    state: State
    is_live: bool
    next_review_on: object  # a date, or None
    is_overdue: bool
    stale_references: int
    is_scored: bool = False
    reading_age: float | None = None
    is_reliable: bool = False
    reading_age_note: str = ""
    live_reading_age: float | None = None  # only when the live version differs
    problems: int = 0
    hints: int = 0
    undefined_terms: int = 0
    is_above_target: bool = False

    @property
    def needs_attention(self):
        """Return True if anything in the row asks for an editor's work."""
        return bool(
            self.problems
            or self.undefined_terms
            or self.stale_references
            or self.is_overdue
            or self.is_above_target
        )

    @property
    def state_label(self):
        return self.state.label

    @property
    def edit_url(self):
        """Return the address of the article's edit form."""
        return reverse("admin:articles_article_change", args=[self.pk])


def _text(value):
    return (value or "").casefold()


# Sort keys: the parameter, the column's name, and the value each row sorts by.
COLUMNS = [
    ("title", "Article", lambda row: _text(row.title)),
    ("topic", "Topic", lambda row: _text(row.topic) or None),
    ("owner", "Owner", lambda row: _text(row.owner) or None),
    ("state", "State", lambda row: STATE_ORDER[row.state]),
    ("reading_age", "Reading age", lambda row: row.reading_age),
    ("problems", "Open problems", lambda row: row.problems if row.is_scored else None),
    ("hints", "Hints", lambda row: row.hints if row.is_scored else None),
    (
        "undefined",
        "Undefined medical terms",
        lambda row: row.undefined_terms if row.is_scored else None,
    ),
    ("next_review", "Next review", lambda row: row.next_review_on),
    ("stale_references", "Stale references", lambda row: row.stale_references),
]
SORT_KEYS = {key: value for key, _, value in COLUMNS}


def shown_value(value):
    """Return a value from the address as a message may quote it."""
    value = value.replace("\x00", "")
    if len(value) > LONGEST_SHOWN_VALUE:
        return value[:LONGEST_SHOWN_VALUE] + "…"
    return value


@dataclass
class ContentHealth:
    """The report as one editor asked for it: filters, sort and rows."""

    day: object
    topic: object = None  # a Topic, or None for every topic
    owner: object = None  # a user, NO_OWNER, or None for anyone
    state: State | None = None
    needs_attention: bool = False
    sort: str = "title"
    descending: bool = False
    notices: list = field(default_factory=list)  # why a parameter was ignored

    topics: list = field(default_factory=list, init=False)
    owners: list = field(default_factory=list, init=False)
    rows: list = field(default_factory=list, init=False)

    @classmethod
    def from_params(cls, params, *, day):
        """Return the report the GET parameters ask for; a parameter that cannot
        be used is left out and a notice says so (nothing is refused)."""
        report = cls(day=day)
        report._load_choices()
        topic = params.get("topic", "")
        if topic:
            report.topic = next((t for t in report.topics if t.slug == topic), None)
            if report.topic is None:
                report.notices.append(
                    f"There is no topic “{shown_value(topic)}”: showing every topic."
                )
        owner = params.get("owner", "")
        if owner == NO_OWNER:
            report.owner = NO_OWNER
        elif owner:
            report.owner = next((u for u in report.owners if str(u.pk) == owner), None)
            if report.owner is None:
                report.notices.append(
                    f"Nobody chosen as owner “{shown_value(owner)}” owns an article: "
                    "showing every owner."
                )
        state = params.get("state", "")
        if state in State.values:
            report.state = State(state)
        elif state:
            report.notices.append(
                f"“{shown_value(state)}” is not a state an article can be in: showing "
                "every state."
            )
        attention = params.get("attention", "")
        if attention == "1":
            report.needs_attention = True
        elif attention:
            report.notices.append(
                f"“{shown_value(attention)}” is not a choice for “Only articles that need "
                "attention”: showing every article."
            )
        sort = params.get("sort", "")
        key = sort.removeprefix("-")
        if key in SORT_KEYS:
            report.sort, report.descending = key, sort.startswith("-")
        elif sort:
            report.notices.append(
                f"The report cannot be sorted by “{shown_value(sort)}”: sorted by "
                "article title instead."
            )
        report._load_rows()
        return report

    # Reading.

    def _load_choices(self):
        self.topics = list(Topic.objects.all())
        self.owners = sorted(
            get_user_model().objects.filter(
                pk__in=Article.objects.articles().values("owner")
            ),
            key=lambda user: display.person(user).casefold(),
        )

    def _topic_path(self, topic_id, by_pk):
        topic = by_pk.get(topic_id)
        if topic is None:
            return ""
        return " › ".join(t.name for t in topic.ancestors(by_pk))

    def _topic_and_below(self, by_pk):
        wanted = {self.topic.pk}
        changed = True
        while changed:
            below = {t.pk for t in by_pk.values() if t.parent_id in wanted}
            changed = not below <= wanted
            wanted |= below
        return wanted

    def _chosen(self, by_pk):
        """Return the articles the filters choose (all but "needs attention")."""
        articles = Article.objects.articles()
        if self.topic is not None:
            articles = articles.filter(topic__in=self._topic_and_below(by_pk))
        if self.owner == NO_OWNER:
            articles = articles.filter(owner__isnull=True)
        elif self.owner is not None:
            articles = articles.filter(owner=self.owner)
        if self.state is not None:
            articles = articles.in_state(self.state)
        return articles

    def _articles(self, chosen):
        articles = with_stale_references(chosen.with_state(), day=self.day)
        return articles.annotate(
            live_revision_id=F("published__revision_id")
        ).select_related("owner")

    def _latest_scores(self, chosen):
        """Return {article pk: stored scores and findings} of each article's
        latest saved version, in one query."""
        versions = RevisionReadability.objects.filter(
            article_revision__article__in=chosen.values("pk"),
            article_revision__revision_id=F(
                "article_revision__article__latest_revision"
            ),
        )
        return {
            item.pop("article_revision__article_id"): item
            for item in versions.values(
                "article_revision__article_id",
                "reading_age",
                "is_reliable",
                "note",
                "findings",
                "sections",
            )
        }

    def _live_reading_ages(self, chosen):
        """Return {article pk: reading age} of each live version, in one query
        that leaves its findings unread."""
        versions = RevisionReadability.objects.filter(
            article_revision__article__in=chosen.values("pk"),
            article_revision__revision_id=F(
                "article_revision__article__published__revision"
            ),
        )
        return dict(versions.values_list("article_revision__article_id", "reading_age"))

    def _load_rows(self):
        by_pk = {topic.pk: topic for topic in self.topics}
        chosen = self._chosen(by_pk)
        articles = list(self._articles(chosen))
        scores = self._latest_scores(chosen) if articles else {}
        live_ages = self._live_reading_ages(chosen) if articles else {}
        latest = [scores.get(article.pk) for article in articles]
        checked = iter(
            services.links_checked_now(
                [stored["sections"] for stored in latest if stored is not None]
            )
        )
        target = checks.targets()["reading_age"]
        rows = []
        for article, stored in zip(articles, latest, strict=True):
            row = Row(
                pk=article.pk,
                title=article.title,
                topic=self._topic_path(article.topic_id, by_pk),
                owner=display.person(article.owner),
                state=State(article.current_state),
                is_live=article.live_revision_id is not None,
                next_review_on=article.next_review_on,
                is_overdue=bool(
                    article.next_review_on and article.next_review_on < self.day
                ),
                stale_references=article.stale_reference_count,
            )
            if stored is not None:
                sections = next(checked)
                findings = [
                    finding
                    for part in [stored["findings"], *(s["findings"] for s in sections)]
                    for finding in part
                    if finding.get("check") not in REFERENCE_CHECKS
                ]
                row.is_scored = True
                row.reading_age = stored["reading_age"]
                row.is_reliable = stored["is_reliable"]
                row.reading_age_note = stored["note"]
                row.problems = sum(1 for f in findings if not f.get("is_hint"))
                row.hints = sum(1 for f in findings if f.get("is_hint"))
                row.undefined_terms = sum(1 for f in findings if is_undefined_term(f))
                row.is_above_target = bool(
                    row.is_reliable
                    and row.reading_age is not None
                    and row.reading_age > target
                )
            live_age = live_ages.get(article.pk)
            if (
                live_age is not None
                and article.live_revision_id != article.latest_revision_id
                and live_age != row.reading_age
            ):
                row.live_reading_age = live_age
            if self.needs_attention and not row.needs_attention:
                continue
            rows.append(row)
        self.rows = self._sorted(rows)

    def _sorted(self, rows):
        by_title = sorted(rows, key=lambda row: (_text(row.title), row.pk))
        value = SORT_KEYS[self.sort]
        known = [row for row in by_title if value(row) is not None]
        unknown = [row for row in by_title if value(row) is None]
        # Rows with nothing to sort by come last, whichever the direction.
        return sorted(known, key=value, reverse=self.descending) + unknown

    # What the page shows.

    @property
    def target(self):
        return checks.targets()["reading_age"]

    @property
    def totals(self):
        """Return the counts the line above the table gives."""
        return {
            "articles": len(self.rows),
            "overdue": sum(1 for row in self.rows if row.is_overdue),
            "above_target": sum(1 for row in self.rows if row.is_above_target),
            "with_problems": sum(1 for row in self.rows if row.problems),
            "stale_references": sum(1 for row in self.rows if row.stale_references),
            "not_scored": sum(1 for row in self.rows if not row.is_scored),
        }

    def params(self, **changes):
        """Return the report's GET parameters, with ``changes`` applied."""
        values = {
            "topic": self.topic.slug if self.topic is not None else "",
            "owner": self.owner
            if self.owner == NO_OWNER
            else (self.owner.pk if self.owner is not None else ""),
            "state": self.state or "",
            "attention": "1" if self.needs_attention else "",
            "sort": ("-" if self.descending else "") + self.sort,
        }
        values.update(changes)
        if values["sort"] == "title":
            values["sort"] = ""
        return {name: value for name, value in values.items() if value != ""}

    def query(self, **changes):
        """Return the query string (with "?") for the report with ``changes``."""
        return "?" + urlencode(self.params(**changes))

    @property
    def columns(self):
        """Return each sortable column: its label, whether and how it is sorted
        (``aria_sort``), and the address that sorts it the other way."""
        found = []
        for key, label, _ in COLUMNS:
            is_sorted = key == self.sort
            descending_next = is_sorted and not self.descending
            found.append(
                {
                    "key": key,
                    "label": label,
                    "aria_sort": (
                        ("descending" if self.descending else "ascending")
                        if is_sorted
                        else ""
                    ),
                    "next": "descending" if descending_next else "ascending",
                    "url": self.query(sort=("-" if descending_next else "") + key),
                }
            )
        return found

    @property
    def topic_choices(self):
        """Return (slug, label) for each topic, sub-topics indented under theirs."""
        by_pk = {topic.pk: topic for topic in self.topics}
        labelled = [(topic.ancestors(by_pk), topic) for topic in self.topics]
        labelled.sort(key=lambda item: [(t.order, t.name.casefold()) for t in item[0]])
        return [
            (topic.slug, "— " * (len(chain) - 1) + topic.name)
            for chain, topic in labelled
        ]

    @property
    def state_choices(self):
        return State.choices

    @property
    def sort_label(self):
        return next(label for key, label, _ in COLUMNS if key == self.sort)

    @property
    def sort_direction(self):
        return "descending" if self.descending else "ascending"

    @property
    def csv_query(self):
        """Return the query string that downloads exactly these rows as CSV."""
        return self.query(format="csv")

    @property
    def owner_choices(self):
        return [(str(user.pk), display.person(user)) for user in self.owners]

    # Export.

    CSV_HEADER = [
        "Article",
        "Topic",
        "Owner",
        "State",
        "On the public site",
        "Reading age",
        "Reading age reliable",
        "Live version's reading age",
        "Open problems",
        "Hints",
        "Undefined medical terms",
        "Next review",
        "Review overdue",
        "Stale references",
        "Scored",
    ]

    def csv_rows(self):
        """Return the header and one line per row, as the spreadsheet gets them."""
        lines = [self.CSV_HEADER]
        for row in self.rows:
            lines.append(
                [
                    row.title,
                    row.topic,
                    row.owner,
                    row.state.label,
                    "yes" if row.is_live else "no",
                    "" if row.reading_age is None else row.reading_age,
                    ("yes" if row.is_reliable else "no") if row.is_scored else "",
                    "" if row.live_reading_age is None else row.live_reading_age,
                    row.problems if row.is_scored else "",
                    row.hints if row.is_scored else "",
                    row.undefined_terms if row.is_scored else "",
                    row.next_review_on.isoformat() if row.next_review_on else "",
                    "yes" if row.is_overdue else "no",
                    row.stale_references,
                    "yes" if row.is_scored else "not scored yet",
                ]
            )
        return [[safe_cell(value) for value in line] for line in lines]

    def csv_text(self):
        """Return the CSV file: UTF-8 with a byte-order mark, so Excel reads it."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerows(self.csv_rows())
        return "\ufeff" + out.getvalue()

    @property
    def csv_filename(self):
        return f"content-health-{self.day.isoformat()}.csv"


def safe_cell(value):
    """Return a cell a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
