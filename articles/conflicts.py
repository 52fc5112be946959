"""Two people editing the same article: what the colleague saved next to what the
editor typed, field by field, and the editor's choice for each field.

An edit conflict has three versions of the article: the one the editor started
from (``base``), the one a colleague saved meanwhile (``theirs``) and what the
editor typed (``mine``, the posted form). A field is in conflict when the
colleague changed it and the editor's input differs from what they saved. For
each such field the editor keeps theirs or takes the colleague's; a field the
editor did not touch takes the colleague's unless they choose otherwise, so
saving again never wipes a colleague's change without the editor saying so.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from . import display, revisions
from .models import Article, ArticleRevision, Reference, Reviewer, Topic
from .models.content import variant_lines
from .richtext import sanitise

KEEP_MINE = "mine"
TAKE_THEIRS = "theirs"
# Ticked for the editor on a field they had not changed: theirs, unless the
# editor changes the field after seeing the conflict (then they choose again).
THEIRS_IF_UNCHANGED = "theirs-if-unchanged"
CHOICE_PREFIX = "conflict-"

# The article's own fields on the form: (name, label).
ARTICLE_FIELDS = [
    ("title", "Title"),
    ("slug", "Web address"),
    ("summary", "Summary"),
    ("variants", "Variants and plurals"),  # glossary terms only
    ("topic", "Topic"),
    ("owner", "Owner"),
    ("is_featured", "Featured"),
    ("related_articles", "Related articles"),
]
# A glossary term's form names those fields for what they hold.
TERM_LABELS = {
    "title": "Term",
    "slug": "Address in the glossary",
    "summary": "Definition",
}
SECTIONS, REFERENCES, CREDITS = "sections", "reference_links", "credits"
SECTION_ORDER = "section-order"
ABSENT = None  # a section not in that version


# The sanitiser slows down sharply on long, deeply nested input: longer text is
# compared as typed and not shown beside the colleague's version.
SANITISE_AT_MOST = 50_000


def _clean(body):
    return sanitise(body) if len(body) <= SANITISE_AT_MOST else body


def _safe(body):
    """Return a body to show inside the page, made safe by the sanitiser."""
    if len(body) > SANITISE_AT_MOST:
        return f"(too long to show here: {len(body):,} characters)"
    return mark_safe(sanitise(body))


def _text(value):
    return str(value or "").replace("\r\n", "\n").strip()


def _variants(value):
    """Return a term's variants as compared: one per line, trimmed, no blanks."""
    return tuple(variant_lines(value))


def _order(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@dataclass
class Version:
    """The values of one version of the article, as the conflict compares them."""

    fields: dict  # name: comparable value
    sections: dict  # section pk: (heading, body)
    headings: dict = field(default_factory=dict)  # section pk: heading, to name it

    @classmethod
    def saved(cls, article, revision_id):
        snap = revisions.snapshot(revision_id, article.pk)
        values = snap.fields
        fields = {
            name: _text(values.get(name)) for name in ("title", "slug", "summary")
        }
        fields["variants"] = _variants(values.get("variants"))
        fields["topic"] = _text(values.get("topic"))
        fields["owner"] = _text(values.get("owner"))
        fields["is_featured"] = bool(values.get("is_featured"))
        fields["related_articles"] = tuple(sorted(str(pk) for pk in snap.related_ids))
        fields[REFERENCES] = tuple(
            str(link.reference_id) for link in snap.reference_links()
        )
        fields[CREDITS] = tuple(str(credit.reviewer_id) for credit in snap.credits())
        sections = {
            str(s.pk): (_text(s.heading), _text(s.body)) for s in snap.sections()
        }
        return cls(fields, sections)

    @classmethod
    def posted(cls, data):
        fields = {name: _text(data.get(name)) for name in ("title", "slug", "summary")}
        fields["variants"] = _variants(data.get("variants"))
        fields["topic"] = _text(data.get("topic"))
        fields["owner"] = _text(data.get("owner"))
        fields["is_featured"] = bool(data.get("is_featured"))
        fields["related_articles"] = tuple(
            sorted(str(pk) for pk in data.getlist("related_articles") if pk)
        )
        fields[REFERENCES] = tuple(
            row["reference"] for row in _kept(rows_of(data, REFERENCES), "reference")
        )
        fields[CREDITS] = tuple(
            row["reviewer"] for row in _kept(rows_of(data, CREDITS), "reviewer")
        )
        sections = {}  # in the order readers will see them
        for row in _kept(rows_of(data, SECTIONS), "id"):
            if row.get("id"):
                # Compared as it would be saved: the editor's text goes through
                # the same sanitiser as every save.
                sections[row["id"]] = (
                    _text(row.get("heading")),
                    _text(_clean(row.get("body") or "")),
                )
        return cls(fields, sections)


def _kept(rows, name):
    kept = [row for row in rows if row.get(name) and not row.get("DELETE")]
    return sorted(kept, key=lambda row: _order(row.get("order")))


def rows_of(data, prefix):
    """Return an inline formset's posted rows as dicts, in the order posted."""
    total = _order(data.get(f"{prefix}-TOTAL_FORMS"))
    rows = []
    for index in range(min(total, 1000)):
        start = f"{prefix}-{index}-"
        row = {
            key[len(start) :]: value
            for key, value in data.items()
            if key.startswith(start)
        }
        rows.append(row)
    return rows


def write_rows(data, prefix, rows):
    """Replace an inline formset's posted rows: existing rows first, as Django's
    formsets expect, then new ones."""
    for key in [key for key in data if key.startswith(f"{prefix}-")]:
        if not key.endswith(("_FORMS", "_NUM_FORMS")):
            del data[key]
    existing = [row for row in rows if row.get("id")]
    new = [row for row in rows if not row.get("id")]
    for index, row in enumerate(existing + new):
        for name, value in row.items():
            if value is not None and value is not False:
                data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    data[f"{prefix}-INITIAL_FORMS"] = str(len(existing))


@dataclass
class Row:
    """One field in conflict: what the colleague saved and what the editor typed."""

    key: str
    label: str
    theirs: object
    mine: object
    untouched: bool  # the editor's input is as it was when they started
    chosen: str  # KEEP_MINE, TAKE_THEIRS, THEIRS_IF_UNCHANGED or "" when none
    shown_theirs: str = ""
    shown_mine: str = ""

    @property
    def name(self):
        return f"{CHOICE_PREFIX}{self.key}"

    @property
    def choice(self):
        """Return the choice that applies (KEEP_MINE, TAKE_THEIRS or "" when the
        editor must still choose): a field the editor has not changed takes
        theirs unless the editor chose otherwise."""
        if self.chosen in (KEEP_MINE, TAKE_THEIRS):
            return self.chosen
        return TAKE_THEIRS if self.untouched else ""

    @property
    def theirs_value(self):
        """Return the value the "Take theirs" button posts."""
        return THEIRS_IF_UNCHANGED if self.untouched else TAKE_THEIRS


class EditConflict:
    """A save refused because a colleague saved the article meanwhile."""

    def __init__(self, article, base_id, theirs, data):
        self.article = article
        self.base_id = base_id
        self.theirs_revision = theirs  # from revisions.revisions_of (numbered)
        self.data = data
        self.headings = {}  # section pk: heading, to name sections in the order row

    @cached_property
    def rows(self):
        base = Version.saved(self.article, self.base_id)
        theirs = Version.saved(self.article, self.theirs_revision.pk)
        mine = Version.posted(self.data)
        rows = []
        for name, label in [
            *ARTICLE_FIELDS,
            (SECTIONS, None),
            (REFERENCES, "References"),
            (CREDITS, "Written by"),
        ]:
            if name == SECTIONS:
                rows.extend(self._section_rows(base, theirs, mine))
                continue
            b, t, m = base.fields[name], theirs.fields[name], mine.fields[name]
            if t != b and m != t:
                label = self._label(name, label)
                rows.append(self._row(name, label, t, m, untouched=m == b))
        _describe(rows, self.headings)
        return rows

    def _label(self, name, label):
        """Return the field's name as the editor's form shows it."""
        return TERM_LABELS.get(name, label) if self.article.is_term else label

    def _row(self, key, label, theirs, mine, *, untouched):
        chosen = self.data.get(f"{CHOICE_PREFIX}{key}", "")
        if chosen not in (KEEP_MINE, TAKE_THEIRS, THEIRS_IF_UNCHANGED):
            chosen = ""
        return Row(key, label, theirs, mine, untouched, chosen)

    def _section_rows(self, base, theirs, mine):
        rows = []
        keys = sorted(
            set(base.sections) | set(theirs.sections),
            key=lambda pk: (
                list(theirs.sections).index(pk)
                if pk in theirs.sections
                else len(theirs.sections)
            ),
        )
        for pk in keys:
            b = base.sections.get(pk, ABSENT)
            t = theirs.sections.get(pk, ABSENT)
            m = mine.sections.get(pk, ABSENT)
            if t == b or m == t:
                continue
            heading = (t or b)[0]
            if ABSENT in (t, m):
                # Added or deleted on one side: the section as a whole.
                label = f"Section “{heading}”"
                rows.append(self._row(f"section-{pk}", label, t, m, untouched=m == b))
                continue
            for part, index, what in (("heading", 0, "heading"), ("body", 1, "text")):
                if t[index] != (b or ABSENT_PAIR)[index] and m[index] != t[index]:
                    rows.append(
                        self._row(
                            f"section-{pk}-{part}",
                            f"Section “{heading}”: {what}",
                            t[index],
                            m[index],
                            untouched=b is not ABSENT and m[index] == b[index],
                        )
                    )
        # The order of the sections all three versions have.
        common = set(base.sections) & set(theirs.sections) & set(mine.sections)
        b, t, m = (
            tuple(pk for pk in version.sections if pk in common)
            for version in (base, theirs, mine)
        )
        if t != b and m != t:
            rows.append(
                self._row(
                    SECTION_ORDER, "Order of the sections", t, m, untouched=m == b
                )
            )
            self.headings = {pk: theirs.sections[pk][0] for pk in common}
        return rows

    @property
    def undecided(self):
        """Return the rows the editor still has to choose for."""
        return [row for row in self.rows if not row.choice]

    @property
    def who(self):
        return display.person(self.theirs_revision.user, nobody="someone not recorded")

    @property
    def when(self):
        return display.moment(self.theirs_revision.date_created)

    def resolved(self):
        """Return the posted data with each choice applied, starting from the
        colleague's version, for the form and its sections to save."""
        data = self.data.copy()
        theirs = revisions.snapshot(self.theirs_revision.pk, self.article.pk)
        sections = {str(s.pk): s for s in theirs.sections()}
        section_rows = rows_of(data, SECTIONS)
        by_id = {row.get("id"): row for row in section_rows if row.get("id")}
        for row in self.rows:
            if row.key == SECTION_ORDER:
                if row.choice == TAKE_THEIRS:
                    _take_their_order(row.theirs, by_id)
            elif row.choice == TAKE_THEIRS:
                _take_theirs(data, row.key, theirs, sections, section_rows, by_id)
            elif row.key in (REFERENCES, CREDITS):
                _keep_my_rows(data, row.key, theirs)
            elif row.key.startswith("section-") and row.key.count("-") == 1:
                pk = row.key.removeprefix("section-")
                _keep_my_section(pk, row, sections, section_rows, by_id)
        write_rows(data, SECTIONS, section_rows)
        for name in [name for name in data if name.startswith(CHOICE_PREFIX)]:
            del data[name]
        data.pop("conflict_base", None)
        return data


ABSENT_PAIR = ("", "")
LISTS = ("related_articles", REFERENCES, CREDITS, SECTION_ORDER)


def _take_theirs(data, key, theirs, sections, section_rows, by_id):
    values = theirs.fields
    if key in ("title", "slug", "summary", "variants"):
        data[key] = values.get(key) or ""
    elif key in ("topic", "owner"):
        data[key] = str(values.get(key) or "")
    elif key == "is_featured":
        if values.get("is_featured"):
            data[key] = "on"
        else:
            data.pop(key, None)
    elif key == "related_articles":
        data.setlist(key, [str(pk) for pk in theirs.related_ids])
    elif key == REFERENCES:
        write_rows(
            data,
            REFERENCES,
            [
                {
                    "id": str(link.pk),
                    "reference": str(link.reference_id),
                    "order": str(link.order),
                }
                for link in theirs.reference_links()
            ],
        )
    elif key == CREDITS:
        write_rows(
            data,
            CREDITS,
            [
                {
                    "id": str(credit.pk),
                    "reviewer": str(credit.reviewer_id),
                    "role": credit.role,
                    "order": str(credit.order),
                }
                for credit in theirs.credits()
            ],
        )
    else:
        _, pk, *part = key.split("-")
        section = sections.get(pk)
        row = by_id.get(pk)
        if section is None:
            # They deleted it: so is the editor's copy.
            if row is not None:
                section_rows.remove(row)
            return
        if row is None:
            # They added it: it is saved already, and stays.
            return
        row.pop("DELETE", None)
        if part in ([], ["heading"]):
            row["heading"] = section.heading
        if part in ([], ["body"]):
            row["body"] = section.body


def _keep_my_rows(data, prefix, theirs):
    """Keep the editor's list of references or people: rows the colleague
    deleted come back as new rows, and rows they added are deleted."""
    saved = theirs.reference_links() if prefix == REFERENCES else theirs.credits()
    saved_ids = {str(row.pk) for row in saved}
    rows = rows_of(data, prefix)
    for row in rows:
        if row.get("id") and row["id"] not in saved_ids:
            row["id"] = ""
    posted_ids = {row.get("id") for row in rows}
    for row in saved:
        if str(row.pk) not in posted_ids:
            rows.append({"id": str(row.pk), "order": str(row.order), "DELETE": "on"})
    write_rows(data, prefix, rows)


def _take_their_order(order, by_id):
    """Put the sections in the colleague's order, using the order numbers they
    have in the editor's form (so sections the editor added keep their place)."""
    numbers = sorted(_order(by_id[pk].get("order")) for pk in order)
    for pk, number in zip(order, numbers, strict=True):
        by_id[pk]["order"] = str(number)


def _keep_my_section(pk, row, sections, section_rows, by_id):
    posted = by_id.get(pk)
    if row.theirs is ABSENT and posted is not None:
        # They deleted it and the editor keeps it: it comes back as a new section.
        posted["id"] = ""
    elif row.mine is ABSENT and pk in sections:
        section = sections[pk]
        if posted is None:
            posted = {"id": pk, "order": str(section.order), "anchor": section.anchor}
            section_rows.append(posted)
        posted.update(heading=section.heading, body=section.body, DELETE="on")


def _describe(rows, headings):
    """Fill in how each row's two values read, with names for ids."""
    topics, people, articles, references, reviewers = set(), set(), set(), set(), set()
    for row in rows:
        for value in (row.theirs, row.mine):
            match row.key:
                case "topic" if value:
                    topics.add(value)
                case "owner" if value:
                    people.add(value)
                case "related_articles":
                    articles.update(value)
                case "reference_links":
                    references.update(value)
                case "credits":
                    reviewers.update(value)
    names = {
        "topic": _names(Topic.objects, topics),
        "owner": {
            str(user.pk): display.person(user)
            for user in Article.owner.field.related_model.objects.filter(
                pk__in=_ids(people)
            )
        },
        "related_articles": _names(Article.objects.only("title"), articles),
        "reference_links": _names(Reference.objects.all(), references),
        "credits": _names(Reviewer.objects.only("name"), reviewers),
    }
    names[SECTION_ORDER] = headings
    for row in rows:
        row.shown_theirs = _shown(row, row.theirs, names)
        row.shown_mine = _shown(row, row.mine, names)


def _ids(values):
    return [int(value) for value in values if str(value).isdigit()]


def _names(queryset, ids):
    if not ids:
        return {}
    return {str(obj.pk): str(obj) for obj in queryset.filter(pk__in=_ids(ids))}


def _shown(row, value, names):
    key = row.key
    if key == "is_featured":
        return "Yes" if value else "No"
    if key == "variants":
        if not value:
            return "(none)"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((v,) for v in value))
        )
    if key in names and key not in LISTS:
        return names[key].get(value, "(none)") if value else "(none)"
    if key in LISTS:
        if not value:
            return "(none)"
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{}</li>",
                ((names[key].get(pk, f"Unknown ({pk})"),) for pk in value),
            ),
        )
    if key.startswith("section-"):
        if value is ABSENT:
            return "(not in this version)"
        if isinstance(value, tuple):
            heading, body = value
            return format_html_join(
                "", "<strong>{}</strong>{}", [(heading, _safe(body))]
            )
        if key.endswith("-body"):
            # Shown as readers would see it; the sanitiser makes typed input safe.
            return _safe(value)
    return value if value else "(empty)"


def find(article, data):
    """Return the conflict the posted form is resolving, or None.

    The form names the version the editor started from (``conflict_base``) and
    the colleague's version (``base_revision``); both must be saved versions of
    this article, or ``ValueError`` is raised.
    """
    base_id, theirs_id = data.get("conflict_base"), data.get("base_revision")
    if not base_id:
        return None
    if not (str(base_id).isdigit() and str(theirs_id).isdigit()):
        raise ValueError("not a version")
    theirs = revisions.revisions_of(article).filter(pk=int(theirs_id)).first()
    if theirs is None or not is_version_of(article, int(base_id)):
        raise ValueError("not a version of this article")
    return EditConflict(article, int(base_id), theirs, data)


def is_version_of(article, revision_id):
    """Return True when ``revision_id`` is a saved version of ``article``."""
    return ArticleRevision.objects.filter(
        article=article, revision_id=revision_id
    ).exists()
