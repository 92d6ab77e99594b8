"""analysis.whatiflink: What if? edits written into a link and read back, safely."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.codebook import CodebookError, load_codebook
from analysis.viewstate import link
from analysis.whatif import add_exclusions, add_terms, add_theme, remove_exclusions, remove_terms
from analysis.whatiflink import MAX_LINK, MAX_PARTS, MAX_VALUE, PARAM, decode, encode, fit

BASE = load_codebook()
URL = "http://localhost:8501/"


def test_no_edit_writes_nothing_and_reads_as_the_file():
    assert encode(BASE, None) == ""
    assert decode(BASE, "") == (None, [])


def test_added_and_removed_terms_read_back():
    first = BASE.theme("workforce").terms[0]
    edited = remove_terms(add_terms(BASE, "workforce", ["employ*"]), "workforce", [first])
    value = encode(BASE, edited)
    assert value == f"workforce:+employ*,-{first}"
    decoded, notes = decode(BASE, value)
    assert notes == []
    assert decoded.themes == edited.themes
    assert decoded.version == edited.version == BASE.version + "+what-if"


def test_a_new_theme_with_awkward_label_reads_back():
    edited = add_theme(BASE, "Supply: chain, +more; 100%", ["procure*", "supply chain*"])
    value = encode(BASE, edited)
    assert value.startswith("+Supply%3A chain%2C %2Bmore%3B 100%25:")
    decoded, notes = decode(BASE, value)
    assert notes == []
    assert decoded.themes == edited.themes


def test_a_term_removed_and_added_again_keeps_its_place():
    a = BASE.theme("workforce").terms[0]
    edited = add_terms(remove_terms(BASE, "workforce", [a]), "workforce", [a])
    assert edited.theme("workforce").terms[-1] == a
    decoded, _ = decode(BASE, encode(BASE, edited))
    assert decoded.theme("workforce").terms == edited.theme("workforce").terms


def test_hostile_parts_are_skipped_with_a_note_and_the_rest_kept():
    value = ";".join(
        [
            "bogus:+x",  # no such theme
            "workforce:+**",  # outside the term language
            "workforce",  # no terms at all
            "+:a",  # a new theme without a label
            "workforce:employ",  # neither + nor -
            "+None:x",  # the no-theme label
            "+<script>alert(1)</script>:x y",  # a label is only text: kept, shown safely
            "living_wage:+fairer pay deal*",
        ]
    )
    decoded, notes = decode(BASE, value)
    assert len(notes) == 6
    assert all(note.startswith(f"{PARAM}: ") for note in notes)
    assert "bogus:+x (not a theme here)" in notes[0]
    assert "must start with a letter or digit" in notes[1]
    assert decoded.theme("living_wage").terms[-1] == "fairer pay deal*"
    assert decoded.labels["script_alert_1_script"] == "<script>alert(1)</script>"
    # Everything else is the file's.
    assert decoded.theme("workforce") == BASE.theme("workforce")


def test_removing_every_term_is_refused():
    every = ",".join("-" + term for term in BASE.theme("workforce").terms)
    decoded, notes = decode(BASE, f"workforce:{every}")
    assert decoded is None
    assert "needs at least one term" in notes[0]


def test_an_overlong_value_is_not_read():
    value = "workforce:+employ*" + ";" * MAX_VALUE
    decoded, notes = decode(BASE, value)
    assert decoded is None
    assert notes == [f"{PARAM}: edits longer than {MAX_VALUE:,} characters (not read)"]


def test_too_many_terms_break_the_limits_and_are_refused():
    terms = ",".join(f"+t{i}" for i in range(250))
    decoded, notes = decode(BASE, f"workforce:{terms}")
    assert decoded is None
    assert "at most" in notes[0]


def test_the_edits_go_in_a_link_that_fits():
    value = encode(BASE, add_terms(BASE, "workforce", ["employ*"]))
    params, note = fit(URL, {"granularity": "month", PARAM: "stale"}, value)
    assert note == ""
    address = link(URL, params)
    assert parse_qs(urlsplit(address).query)[PARAM] == [value]
    assert (
        decode(BASE, parse_qs(urlsplit(address).query)[PARAM][0])[0].theme("workforce").terms[-1]
        == "employ*"
    )


def test_a_link_past_2000_characters_leaves_the_edits_out_and_says_so():
    terms = [f"long term number {i}" for i in range(120)]
    value = encode(BASE, add_terms(BASE, "workforce", terms))
    params, note = fit(URL, {"granularity": "month"}, value)
    assert PARAM not in params and params == {"granularity": "month"}
    assert "not in this link" in note and f"{MAX_LINK:,}" in note
    # Just within the limit the edits stay.
    short = "workforce:+" + "a" * (MAX_LINK - len(URL) - len("?whatif=workforce%3A%2B"))
    params, note = fit(URL, {}, short)
    assert len(link(URL, params)) == MAX_LINK and params[PARAM] == short and note == ""
    params, note = fit(URL, {}, short + "a")
    assert PARAM not in params and note


def test_no_edits_leave_no_parameter_and_no_note():
    assert fit(URL, {"granularity": "month", PARAM: "stale"}, "") == ({"granularity": "month"}, "")


def test_the_too_long_note_says_who_sees_what_and_how_to_share_the_edits():
    terms = [f"long term number {i}" for i in range(120)]
    _, note = fit(URL, {}, encode(BASE, add_terms(BASE, "workforce", terms)))
    assert note == (
        "The What if? edits are not in this link: with them it would be longer than "
        f"{MAX_LINK:,} characters, too long to share safely. Whoever opens it sees the "
        "file's codebook; download the edited codebook to share the edits."
    )


def test_a_value_of_exactly_the_limit_is_read():
    edit = "workforce:+employ*"
    decoded, notes = decode(BASE, edit + ";" * (MAX_VALUE - len(edit)))
    assert notes == [] and decoded.theme("workforce").terms[-1] == "employ*"


def test_up_to_the_most_edits_are_read_and_one_more_is_said():
    assert decode(BASE, ";".join(["workforce:+employ*"] * MAX_PARTS))[1] == []
    _, notes = decode(BASE, ";".join(["workforce:+employ*"] * (MAX_PARTS + 1)))
    assert notes == [f"{PARAM}: more than {MAX_PARTS} edits (the rest not read)"]


def test_a_part_is_quoted_whole_up_to_80_characters_and_clipped_beyond():
    fits = "nosuchtheme:+" + "a" * (80 - len("nosuchtheme:+"))
    assert decode(BASE, fits) == (None, [f"{PARAM}: {fits} (not a theme here)"])
    long = fits + "bb"
    assert decode(BASE, long) == (None, [f"{PARAM}: {long[:79]}\u2026 (not a theme here)"])


def test_each_term_needs_a_sign_and_the_theme_ends_at_the_first_colon():
    assert decode(BASE, "workforce:Xemploy*") == (
        None,
        [f"{PARAM}: workforce:Xemploy* (each term needs a + or a - in front)"],
    )
    decoded, notes = decode(BASE, "workforce:+employ*:x")  # a term holding a colon
    assert notes == []
    assert len(decoded.theme("workforce").terms) == len(BASE.theme("workforce").terms) + 1


# --- round trip over any sequence of edits -------------------------------------------------------

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
TERMS = st.lists(
    st.builds(
        lambda words, star: " ".join(words) + ("*" if star else ""),
        st.lists(WORDS, min_size=1, max_size=3),
        st.booleans(),
    ),
    min_size=1,
    max_size=4,
)
LABELS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
)
EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(BASE.ids), TERMS),
        st.tuples(st.just("remove"), st.sampled_from(BASE.ids), st.integers(0, 30)),
        st.tuples(st.just("theme"), LABELS, TERMS),
        st.tuples(st.just("exclude"), st.sampled_from(BASE.ids), TERMS),
        st.tuples(st.just("unexclude"), st.sampled_from(BASE.ids), st.integers(0, 30)),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EDITS)
def test_any_sequence_of_edits_reads_back_from_its_link(steps):
    edited = BASE
    for kind, target, arg in steps:
        try:
            if kind == "add":
                edited = add_terms(edited, target, arg)
            elif kind == "remove":
                terms = edited.theme(target).terms
                edited = remove_terms(edited, target, [terms[arg % len(terms)]])
            elif kind == "exclude":
                edited = add_exclusions(edited, target, arg)
            elif kind == "unexclude":
                phrases = edited.theme(target).exclude or ("none listed",)
                edited = remove_exclusions(edited, target, [phrases[arg % len(phrases)]])
            else:
                edited = add_theme(edited, target, arg)
        except CodebookError:
            continue  # the page refuses it too
    value = encode(BASE, edited)
    query = parse_qs(urlsplit(link(URL, {PARAM: value})).query)
    decoded, notes = decode(BASE, query.get(PARAM, [""])[0])
    assert notes == []
    if edited is BASE:
        assert decoded is None
        return
    assert decoded is not None
    # The same themes, labels, colours, terms and exclusions in the same order: the same tags.
    assert [(t.id, t.label, t.colour, t.terms, t.exclude) for t in decoded.themes] == [
        (t.id, t.label, t.colour, t.terms, t.exclude) for t in edited.themes
    ]


def test_a_part_quoted_in_a_note_stays_on_one_line():
    _, notes = decode(BASE, "no%0Asuch:+a")
    assert notes == [f"{PARAM}: no such:+a (not a theme here)"]


def test_context_term_edits_read_back_from_the_link():
    """A term made a context term, a new context term and a removed one survive the link (else
    the link would read "housing" as removed and tag differently from the sender)."""
    from analysis.whatif import add_context_terms, remove_context_terms

    edited = add_context_terms(BASE, "health_justice", ["housing", "rent arrears"])
    edited = remove_context_terms(edited, "health_justice", ["rent arrears"])
    edited = add_context_terms(edited, "health_justice", ["debt", "a~b^c"])
    value = encode(BASE, edited)
    assert value == "health_justice:-debt,-housing,~housing,~debt,~a%7Eb%5Ec"
    decoded, notes = decode(BASE, value)
    assert notes == []
    assert decoded.themes == edited.themes
    removed = remove_context_terms(edited, "health_justice", ["housing"])
    value = encode(edited, removed)
    assert value == "health_justice:^housing"
    assert decode(edited, value)[0].themes == removed.themes


def test_a_new_themes_context_terms_read_back_from_the_link():
    from analysis.whatif import add_context_terms

    estates = add_theme(BASE, "Estates", ["estates", "housing"])
    edited = add_context_terms(estates, "estates", ["housing"])
    value = encode(BASE, edited)
    assert value == "+Estates:estates;estates:~housing"
    decoded, notes = decode(BASE, value)
    assert notes == []
    theme = decoded.theme("estates")  # its made-up definition names only the terms in the link
    assert (theme.terms, theme.context_terms) == (("estates",), ("housing",))
    assert decoded.themes[:4] == edited.themes[:4]


def test_exclusion_edits_read_back_from_the_link():
    """An exclusion added (as an "exclude" suggestion applies it) and one removed survive the
    link: else whoever opens it would see the sender's excluded phrase counted again."""
    first = BASE.theme("workforce").exclude[0]
    edited = add_exclusions(BASE, "workforce", ["staff room", "a!b=c"])
    edited = remove_exclusions(edited, "workforce", [first])
    value = encode(BASE, edited)
    assert value == f"workforce:={first},!staff room,!a%21b%3Dc"
    query = parse_qs(urlsplit(link(URL, {PARAM: value})).query)
    decoded, notes = decode(BASE, query[PARAM][0])
    assert notes == []
    assert decoded.themes == edited.themes
    assert decoded.theme("workforce").exclude == ("staff room", "a!b=c")


def test_a_new_themes_exclusions_and_a_removed_one_put_back_read_back():
    estates = add_exclusions(add_theme(BASE, "Estates", ["estates"]), "estates", ["real estate"])
    value = encode(BASE, estates)
    assert value == "+Estates:estates;estates:!real estate"
    assert decode(BASE, value)[0].theme("estates").exclude == ("real estate",)
    first = BASE.theme("health_justice").exclude[0]  # moved to the end of eight
    moved = remove_exclusions(BASE, "health_justice", [first])
    moved = add_exclusions(moved, "health_justice", [first])
    assert decode(BASE, encode(BASE, moved))[0].themes == moved.themes
    unchanged, notes = decode(BASE, "workforce:=not excluded")  # nothing to remove: no change
    assert unchanged.themes == BASE.themes and notes == []
