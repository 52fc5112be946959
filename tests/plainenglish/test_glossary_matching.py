"""Glossary matching: which uses of a term are marked, and the HTML around them."""

import subprocess
import sys

import nh3
import pytest

from plainenglish.glossary import (
    Marker,
    Term,
    escape,
    is_everyday_word,
    mark_html,
    phrase_key,
)

BREAST_CANCER = Term(1, "breast-cancer", ("breast cancer",))
SECONDARY = Term(2, "secondary-breast-cancer", ("Secondary breast cancer",))
LYMPH_NODES = Term(3, "lymph-nodes", ("lymph node", "lymph nodes"))
EAR = Term(4, "ear-canal", ("ear",))
NODE = Term(5, "node", ("node",))
PAGET = Term(6, "pagets-disease", ("Paget’s disease",))
ONCOLOGIST = Term(7, "oncologist", ("oncologist", "oncologists"))


def marked(terms, *sections):
    return Marker(terms).mark(list(sections))


def mark(slug, text):
    return mark_html(slug, text)


def roundtrips(value):
    """Whether a real HTML parser (html5ever, in nh3) reads the HTML as written:
    parsing and writing it again changes nothing."""
    attributes = {
        "a": {"href", "rel", "class", "aria-describedby", "data-article", "title"},
        "p": {"title"},
    }
    return (
        nh3.clean(
            value,
            tags=nh3.ALLOWED_TAGS | {"h2", "h3"},
            attributes=attributes,
            link_rel=None,
        )
        == value
    )


def test_capitals_do_not_matter_and_the_text_is_kept_as_written():
    [html], ids = marked([BREAST_CANCER], "<p>BREAST Cancer can come back.</p>")
    assert html == f"<p>{mark('breast-cancer', 'BREAST Cancer')} can come back.</p>"
    assert ids == [1]


def test_the_mark_links_to_the_definition_and_is_described_by_it():
    assert mark_html("lymph-nodes", "lymph nodes") == (
        '<a class="glossary-term" href="#define-lymph-nodes" '
        'aria-describedby="define-lymph-nodes-text">lymph nodes</a>'
    )


@pytest.mark.parametrize(
    "text",
    ["Early signs.", "A nearby clinic.", "Your ears.", "year", "ear-ring", "re-ear"],
)
def test_whole_words_only(text):
    body = f"<p>{text}</p>"
    assert marked([EAR], body) == ([body], [])


def test_a_plural_is_found_only_when_it_is_a_variant():
    body = "<p>Swollen nodes in the armpit.</p>"
    assert marked([NODE], body) == ([body], [])
    [html], ids = marked([LYMPH_NODES], "<p>Your lymph nodes and a lymph node.</p>")
    assert html == (
        f"<p>Your {mark('lymph-nodes', 'lymph nodes')} and a lymph node.</p>"
    )
    assert ids == [3]


def test_the_longest_term_wins_and_nothing_is_found_inside_it():
    [html], ids = marked(
        [BREAST_CANCER, SECONDARY],
        "<p>Secondary breast cancer is not the same as breast cancer.</p>",
    )
    assert html == (
        f"<p>{mark('secondary-breast-cancer', 'Secondary breast cancer')} is not the "
        f"same as {mark('breast-cancer', 'breast cancer')}.</p>"
    )
    assert ids == [2, 1]


def test_a_shorter_term_inside_a_later_use_of_a_longer_one_is_not_marked():
    [html], ids = marked(
        [BREAST_CANCER, SECONDARY],
        "<p>Secondary breast cancer. Again secondary breast cancer.</p>",
    )
    assert html.count("glossary-term") == 1
    assert ids == [2]


def test_overlapping_terms_never_nest_or_cross():
    crossing = [
        Term(10, "lymph-node", ("lymph node",)),
        Term(11, "node-biopsy", ("node biopsy",)),
    ]
    [html], ids = marked(crossing, "<p>A lymph node biopsy.</p>")
    assert html == f"<p>A {mark('lymph-node', 'lymph node')} biopsy.</p>"
    assert ids == [10]


@pytest.mark.parametrize(
    "inside",
    [
        '<a href="/articles/x/">breast cancer</a>',
        '<a href="/x"><strong>breast cancer</strong></a>',
        "<h2>Breast cancer</h2>",
        "<h3>About breast cancer</h3>",
        "<h4>breast cancer</h4>",
        "<h6>breast cancer</h6>",
        f"{mark('breast-cancer', 'breast cancer')}",
        "<code>breast cancer</code>",
        "<dfn>breast cancer</dfn>",
    ],
)
def test_never_inside_a_link_heading_or_mark(inside):
    body = f"<p>{inside}</p>" if not inside.startswith("<h") else inside
    assert marked([BREAST_CANCER], body) == ([body], [])


def test_never_inside_an_attribute():
    body = '<p title="breast cancer"><a href="/breast cancer" title="x">More</a></p>'
    assert marked([BREAST_CANCER], body) == ([body], [])


def test_a_use_in_a_heading_leaves_the_first_use_in_the_text_to_be_marked():
    [heading, body], ids = marked(
        [BREAST_CANCER],
        "<h3>Breast cancer</h3>",
        '<p><a href="/x">breast cancer</a> then breast cancer.</p>',
    )
    assert heading == "<h3>Breast cancer</h3>"
    assert body == (
        f'<p><a href="/x">breast cancer</a> then '
        f"{mark('breast-cancer', 'breast cancer')}.</p>"
    )
    assert ids == [1]


def test_text_split_across_inline_tags_is_not_matched_and_left_intact():
    body = "<p><strong>breast</strong> cancer and <em>secondary breast</em> cancer</p>"
    assert marked([BREAST_CANCER, SECONDARY], body) == ([body], [])


def test_a_term_inside_inline_formatting_is_marked_inside_it():
    [html], _ = marked([BREAST_CANCER], "<p><strong>breast cancer</strong></p>")
    assert html == f"<p><strong>{mark('breast-cancer', 'breast cancer')}</strong></p>"
    assert roundtrips(html)


def test_only_the_first_use_in_the_whole_article_is_marked_variants_included():
    sections, ids = marked(
        [LYMPH_NODES, ONCOLOGIST],
        "<p>Your lymph nodes. A lymph node.</p>",
        "<p>Your oncologist. The lymph nodes.</p><p>Oncologists meet.</p>",
    )
    assert sections == [
        f"<p>Your {mark('lymph-nodes', 'lymph nodes')}. A lymph node.</p>",
        f"<p>Your {mark('oncologist', 'oncologist')}. The lymph nodes.</p>"
        "<p>Oncologists meet.</p>",
    ]
    assert ids == [3, 7]


def test_entities_and_non_breaking_spaces_are_read_and_written_back():
    body = "<p>Breast&nbsp;cancer &amp; secondary\n  breast cancer &lt;3&gt;</p>"
    [html], ids = marked([BREAST_CANCER, SECONDARY], body)
    assert html == (
        f"<p>{mark('breast-cancer', 'Breast\xa0cancer')} &amp; "
        f"{mark('secondary-breast-cancer', 'secondary\n  breast cancer')} "
        "&lt;3&gt;</p>"
    )
    assert "Breast&nbsp;cancer</a>" in html
    assert ids == [1, 2]
    assert roundtrips(html)


def test_curly_and_straight_apostrophes_are_the_same():
    for written in ("Paget's disease", "PAGET’S DISEASE", "Paget‘s disease"):
        [html], ids = marked([PAGET], f"<p>{written} of the nipple.</p>")
        assert ids == [6], written
        assert mark("pagets-disease", written) in html


def test_a_possessive_still_counts_as_a_use():
    [html], ids = marked([ONCOLOGIST], "<p>Your oncologist’s team.</p>")
    assert html == f"<p>Your {mark('oncologist', 'oncologist')}’s team.</p>"


def test_text_beyond_ascii_keeps_its_place():
    body = "<p>İstanbul 😀 café — breast cancer.</p>"
    [html], _ = marked([BREAST_CANCER], body)
    assert (
        html == f"<p>İstanbul 😀 café — {mark('breast-cancer', 'breast cancer')}.</p>"
    )


def test_a_term_typed_with_extra_spaces_or_capitals_still_matches():
    term = Term(8, "lymph-nodes", ("  Lymph   Nodes ",))
    assert phrase_key("  Lymph   Nodes ") == "lymph nodes"
    [html], ids = marked([term], "<p>lymph nodes</p>")
    assert ids == [8]


def test_sanitised_html_without_terms_comes_back_unchanged():
    body = nh3.clean(
        "<p>Tea &amp; toast,&nbsp;“quotes” &lt;tags&gt; <a href='/a?b=1&c=2'>x</a></p>"
        "<ul><li>one<br>two</li></ul><table><tbody><tr><td>3 &gt; 2</td></tr>"
        "</tbody></table>"
    )
    assert marked([BREAST_CANCER, LYMPH_NODES], body) == ([body], [])
    assert Marker([]).mark([body, ""]) == ([body, ""], [])


def test_marked_html_is_valid_for_a_real_parser():
    body = nh3.clean(
        "<h3>Lymph nodes</h3><p>Your <strong>lymph nodes</strong> &amp; "
        '<a href="/x">breast cancer</a>, breast cancer.</p>'
        "<ul><li>secondary breast cancer</li></ul><table><tbody><tr><td>"
        "Oncologist</td></tr></tbody></table>"
    )
    [html], ids = marked([BREAST_CANCER, SECONDARY, LYMPH_NODES, ONCOLOGIST], body)
    assert ids == [3, 1, 2, 7]
    assert roundtrips(html)


BC = mark("breast-cancer", "breast cancer")


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("<p>breast cancer < 5 and a > b", f"<p>{BC} &lt; 5 and a &gt; b"),
        (
            "<p>breast cancer <a href='/x'>never closed breast cancer",
            f"<p>{BC} <a href='/x'>never closed breast cancer",
        ),
        (
            "<p><a href='/x'>never closed</p><p>breast cancer</p>",
            "<p><a href='/x'>never closed</p><p>breast cancer</p>",
        ),
        ("<p>breast cancer</a></h3> again</p>", f"<p>{BC}</a></h3> again</p>"),
        ("<p>x <!-- breast cancer --> y</p>", "<p>x <!-- breast cancer --> y</p>"),
        ("<p>breast cancer <", f"<p>{BC} &lt;"),
    ],
)
def test_broken_input_gets_no_mark_inside_a_link_and_no_stray_angle_bracket(
    broken, expected
):
    assert marked([BREAST_CANCER], broken)[0] == [expected]


def test_find_names_each_use_in_plain_text():
    matches = Marker([BREAST_CANCER, SECONDARY]).find(
        "Secondary breast cancer, then breast  cancer."
    )
    assert [(m.term.id, m.start, m.end, m.text) for m in matches] == [
        (2, 0, 23, "Secondary breast cancer"),
        (1, 30, 44, "breast  cancer"),
    ]


def test_escape_writes_text_as_the_sanitiser_does():
    assert escape("a & b < c > d\xa0e \"'") == "a &amp; b &lt; c &gt; d&nbsp;e \"'"


def test_ten_thousand_terms_still_mark_the_right_words():
    terms = [Term(n, f"term-{n}", (f"zq{n}x condition",)) for n in range(10_000)]
    terms.append(SECONDARY)
    marker = Marker(terms)
    assert len(marker) == 10_001
    [html], ids = marker.mark(["<p>zq9999x condition and secondary breast cancer</p>"])
    assert ids == [9999, 2]


@pytest.mark.parametrize("word", ["back", "Back", "breast", "pain", "pains", "ear"])
def test_everyday_words(word):
    assert is_everyday_word(word)


@pytest.mark.parametrize(
    "phrase", ["back pain", "oncologist", "lymphoedema", "metastasis", "", "  "]
)
def test_not_everyday_words(phrase):
    assert not is_everyday_word(phrase)


def test_the_word_list_is_read_without_loading_textstat_or_the_network():
    script = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise AssertionError('network')\n"
        "socket.socket.connect = refuse\n"
        "from plainenglish.glossary import Marker, Term, is_everyday_word\n"
        "assert is_everyday_word('back')\n"
        "Marker([Term(1, 'x', ('x y',))]).mark(['<p>x y</p>'])\n"
        "assert 'textstat' not in sys.modules and 'nltk' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
