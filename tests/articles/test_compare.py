import pytest
import reversion

from articles import compare, revisions
from articles.models import Section
from tests import builders


def test_readable_text_keeps_blocks_on_their_own_lines():
    html = "<p>First &amp; one.</p><ul><li>a <strong>b</strong></li><li>c</li></ul><h3>Sub</h3>"
    assert compare.readable_text(html) == "First & one.\na b\nc\nSub"


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
        draft.credits.filter(role="approved").delete()
        reversion.add_to_revision(draft)
    result = compare.compare(draft, old.pk, revisions.current_revision(draft).pk)
    by_label = {change.label: change for change in result.changes}
    assert any(
        "Early and locally advanced" in line for line in by_label["References"].added
    )
    assert by_label["Credits"].removed == [
        "Approved by Dr Sample Oncologist, Consultant Medical Oncologist"
    ]


@pytest.mark.django_db
def test_identical_revisions_have_no_changes(draft):
    rev = revisions.current_revision(draft)
    assert not compare.compare(draft, rev.pk, rev.pk).has_changes
