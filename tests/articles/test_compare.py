import pytest
import reversion

from articles import compare, revisions
from articles.models import Section
from tests import builders


def _edit_first_section(article, **values):
    """Save new values on the first section in a new revision, as the admin would."""
    with reversion.create_revision():
        section = article.sections.first()
        for name, value in values.items():
            setattr(section, name, value)
        section.save()
        reversion.add_to_revision(article)


def _first_section_change(article, **values):
    old = revisions.current_revision(article)
    _edit_first_section(article, **values)
    result = compare.compare(article, old.pk, revisions.current_revision(article).pk)
    return result, next(c for c in result.changes if c.label == "Section heading 1")


def test_a_body_is_shown_block_by_block_with_each_kind_and_link_address():
    html = (
        "<p>First &amp; <em>one</em>.</p><ul><li>a <strong>b</strong></li>"
        '<li><p>c</p><ol start="3"><li><p>d</p></li></ol></li></ul>'
        '<h3>Sub</h3><h4>Smaller</h4><p>See <a href="https://x.org/">this</a></p>'
    )
    assert compare.body_diff(html, html) == (
        "First &amp; <em>one</em>."
        "<br>• a <strong>b</strong>"
        "<br>• c"
        "<br>\u20033. d"
        "<br>Sub-heading: Sub"
        "<br>Smaller sub-heading: Smaller"
        '<br>See <span class="diff-link">this</span> [link: https://x.org/]'
    )


def test_inline_diff_marks_removed_and_added_words_and_escapes_text():
    diff = compare.inline_diff("Take <one> tablet daily.", "Take two tablets daily.")
    assert diff == (
        "Take <del>&lt;one&gt;</del><ins>two</ins> <del>tablet</del><ins>tablets</ins> daily."
    )


@pytest.mark.django_db
def test_comparison_shows_each_changed_added_and_removed_section(draft):
    old = revisions.current_revision(draft)
    with reversion.create_revision():
        first, second, _third = draft.sections.all()
        first.body = "<p>Body text of section one, now longer.</p>"
        first.save()
        second.delete()
        Section.objects.create(
            article=draft, heading="New part", body="<p>Fresh.</p>", order=9
        )
        reversion.add_to_revision(draft)
    new = revisions.current_revision(draft)

    result = compare.compare(draft, old.pk, new.pk)

    by_label = {change.label: change for change in result.changes}
    assert by_label["Section heading 1"].status == "changed"
    assert by_label["Section heading 1"].diff == (
        "Body text of section <del>1.</del><ins>one, now longer.</ins>"
    )
    assert by_label["Section heading 2"].status == "removed"
    assert by_label["New part"].status == "added"
    assert by_label["Section heading 3"].status == "unchanged"
    assert by_label["Title"].status == "unchanged"
    assert result.has_changes


@pytest.mark.django_db
def test_comparison_lists_reference_and_credit_changes(draft):
    old = revisions.current_revision(draft)
    added = builders.make_reference("Early and locally advanced breast cancer")
    with reversion.create_revision():
        draft.reference_links.create(reference=added, order=5)
        writer = draft.credits.filter(role="wrote").first()
        writer.delete()
        reversion.add_to_revision(draft)
    result = compare.compare(draft, old.pk, revisions.current_revision(draft).pk)
    by_label = {change.label: change for change in result.changes}
    assert any(
        "Early and locally advanced" in line for line in by_label["References"].added
    )
    assert by_label["Credits"].removed == [f"Written by {writer.reviewer}"]


@pytest.mark.django_db
def test_identical_revisions_have_no_changes(draft):
    rev = revisions.current_revision(draft)
    assert not compare.compare(draft, rev.pk, rev.pk).has_changes


@pytest.mark.django_db
def test_a_link_address_changed_under_the_same_words_shows_both_addresses(draft):
    _edit_first_section(draft, body='<p>Read <a href="https://a.org/x">NICE</a>.</p>')

    result, change = _first_section_change(
        draft, body='<p>Read <a href="https://b.org/y">NICE</a>.</p>'
    )

    assert result.has_changes
    assert change.status == "changed"
    assert change.diff == (
        'Read <span class="diff-link">NICE</span> '
        "[link: <del>https://a.org/x</del> → <ins>https://b.org/y</ins>]."
    )


@pytest.mark.django_db
def test_words_made_bold_are_shown_with_a_note(draft):
    _, change = _first_section_change(
        draft, body="<p>Body text <strong>of section</strong> 1.</p>"
    )
    assert change.status == "changed"
    assert change.diff == (
        'Body text <span class="diff-format"><strong>of section</strong></span> '
        '<span class="diff-note">[now bold]</span> 1.'
    )


@pytest.mark.django_db
def test_a_paragraph_turned_into_a_bullet_point_is_shown(draft):
    _edit_first_section(draft, body="<p>Rest.</p><p>Drink water.</p>")

    _, change = _first_section_change(
        draft, body="<p>Rest.</p><ul><li><p>Drink water.</p></li></ul>"
    )

    assert change.status == "changed"
    assert change.diff == (
        'Rest.<br><span class="diff-note">[was a paragraph, now a bullet point]</span>'
        " • Drink water."
    )


@pytest.mark.django_db
def test_a_sub_heading_made_smaller_is_shown(draft):
    _edit_first_section(draft, body="<h3>Symptoms</h3><p>Pain.</p>")

    _, change = _first_section_change(draft, body="<h4>Symptoms</h4><p>Pain.</p>")

    assert change.status == "changed"
    assert "[was a sub-heading, now a smaller sub-heading]" in change.diff
    assert "Smaller sub-heading: Symptoms" in change.diff


@pytest.mark.django_db
def test_a_changed_section_anchor_is_shown_because_it_breaks_saved_links(draft):
    old_anchor = draft.sections.first().anchor

    result, change = _first_section_change(draft, anchor="what-to-look-for")

    assert result.has_changes
    assert change.status == "changed"
    assert change.anchor_diff == (
        f"<del>#{old_anchor}</del> → <ins>#what-to-look-for</ins>"
    )


@pytest.mark.django_db
def test_text_and_link_addresses_in_a_comparison_are_escaped(draft):
    _, change = _first_section_change(
        draft,
        body='<p>&lt;script&gt;alert(1)&lt;/script&gt; <a href="https://e.org/?q=&quot;'
        '&gt;&lt;script&gt;">link</a></p>',
    )
    raw = compare.body_diff(
        "", '<script>alert(1)</script><p><a href="https://e.org/&quot;>">x</a></p>'
    )

    assert "<script" not in change.diff and "<script" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in change.diff
    assert "https://e.org/?q=&quot;&gt;&lt;script&gt;" in change.diff
    assert "[link: https://e.org/&quot;&gt;]" in raw


@pytest.mark.django_db
def test_a_difference_that_shows_no_words_is_listed_under_other_changes(draft):
    _edit_first_section(draft, body="<p>Take two tablets.</p>")

    result, change = _first_section_change(draft, body="<p>Take\xa0two tablets.</p>")

    assert change.status == "unchanged"
    assert result.has_changes
    other = result.changes[-1]
    assert other.label == "Other changes"
    assert other.status == "changed"
    assert "Section heading 1, text" in other.diff
    assert "Take<del>␣</del><ins>&amp;nbsp;</ins>two" in other.diff


@pytest.mark.django_db
def test_references_added_taken_out_and_moved_are_named_by_citation(draft):
    old = revisions.current_revision(draft)
    first, second = draft.reference_links.order_by("order")
    with reversion.create_revision():
        first.order, second.order = 2, 1
        first.save()
        second.save()
        reversion.add_to_revision(draft)

    result = compare.compare(draft, old.pk, revisions.current_revision(draft).pk)

    references = next(c for c in result.changes if c.label == "References")
    assert references.is_reordered
    assert not references.added and not references.removed
    [moved] = references.moved
    assert moved.endswith("(was number 2, now number 1)")
    assert second.reference.title in moved


@pytest.mark.django_db
def test_approved_content_that_differs_unseen_is_never_called_unchanged(
    draft, monkeypatch
):
    """Even a difference no line of the comparison can show is reported."""
    old = revisions.current_revision(draft)
    builders.edit_section(draft, body="<p>Changed wording.</p>")
    new = revisions.current_revision(draft)
    # A blind spot: suppose the section comparison missed this change.
    monkeypatch.setattr(compare, "_section_changes", lambda *args: [])

    result = compare.compare(draft, old.pk, new.pk)

    assert result.has_changes
    assert [change.label for change in result.changed] == ["Other changes"]
