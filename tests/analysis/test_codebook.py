"""analysis.codebook: the bundled codebook, term matching, overlap rules and validation."""

from __future__ import annotations

import re
import tomllib

import pytest

from analysis.codebook import (
    BUNDLED_CODEBOOK,
    MAX_CODEBOOK_BYTES,
    MAX_TERM_LENGTH,
    MAX_TERM_WORDS,
    Codebook,
    CodebookError,
    Theme,
    check_terms,
    load_codebook,
    normalise_term,
    parse_codebook,
    term_regex,
)


def theme_toml(
    theme_id: str = "alpha",
    label: str | None = "Alpha",
    colour: str = "#112233",
    definition: str | None = "About alpha.",
    terms: str = '["alpha"]',
    exclude: str | None = None,
) -> str:
    lines = ["[[themes]]", f'id = "{theme_id}"']
    if label is not None:
        lines.append(f'label = "{label}"')
    lines.append(f'colour = "{colour}"')
    if definition is not None:
        lines.append(f'definition = "{definition}"')
    lines.append(f"terms = {terms}")
    if exclude is not None:
        lines.append(f"exclude = {exclude}")
    return "\n".join(lines) + "\n"


# --- the bundled codebook ---------------------------------------------------------------------


def test_bundled_codebook_themes_in_order(codebook, theme_ids):
    # The file read as plain TOML, not through the loader under test.
    themes = tomllib.loads(BUNDLED_CODEBOOK.read_text(encoding="utf-8"))["themes"]
    assert codebook.ids == [theme["id"] for theme in themes] == theme_ids
    assert list(codebook.labels.items()) == [(theme["id"], theme["label"]) for theme in themes]
    assert len(theme_ids) == 4
    assert codebook.source == BUNDLED_CODEBOOK.name


def test_bundled_codebook_settings(codebook):
    assert codebook.title_weight == 2.0
    assert codebook.min_score == 1.0
    assert codebook.no_theme_label == "No theme"
    assert codebook.no_theme_colour == "#8C8C8C"
    assert codebook.version != "unversioned"


def test_bundled_themes_are_complete(codebook):
    colours = list(codebook.colours.values())
    assert len(set(colours)) == len(colours)
    for theme in codebook.themes:
        assert re.fullmatch(r"#[0-9A-F]{6}", theme.colour)
        assert theme.definition and "\n" not in theme.definition
        assert theme.terms
        assert all(term == normalise_term(term) for term in (*theme.terms, *theme.exclude))


def test_theme_lookup(codebook):
    assert codebook.theme("living_wage").label == "Living wage"
    with pytest.raises(KeyError):
        codebook.theme("nope")


# --- one term ---------------------------------------------------------------------------------


def found(term: str, text: str) -> str | None:
    match = re.search(term_regex(term), text)
    return match.group() if match else None


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        # a * matches any run of letters or digits, on whole words
        ("apprentice*", "new apprentices start", "apprentices"),
        ("apprentice*", "an apprenticeship scheme", "apprenticeship"),
        ("apprentice*", "one apprentice", "apprentice"),
        ("apprentice*", "preapprentice training", None),
        ("t-level*", "new t levels", "t levels"),
        ("job-seeker*", "help for jobseekers", "jobseekers"),
        ("job-seeker*", "help for job-seekers", "job-seekers"),
        # whole words at the end too
        ("wages", "wagesheet", None),
        ("debt", "indebted", None),
        ("debt", "debts", None),
        # a space matches any white space or a hyphen
        ("living wage", "a living-wage employer", "living-wage"),
        ("living wage", "a living\nwage employer", "living\nwage"),
        ("living wage", "a living  \t wage employer", "living  \t wage"),
        ("living wage", "a livingwage employer", None),
        ("living wage", "living wages", None),
        # a hyphen matches a space, a hyphen or nothing
        ("anti-racis*", "an antiracist trust", "antiracist"),
        ("anti-racis*", "an anti racist trust", "anti racist"),
        ("anti-racis*", "anti-racism work", "anti-racism"),
        ("cost-of-living", "the cost of living crisis", "cost of living"),
        # straight and typographic apostrophes match each other
        ("guy's", "guy’s and st thomas’", "guy’s"),
        ("guy's", "guy's and st thomas'", "guy's"),
        ("guy’s", "guy's hospital", "guy's"),
        # punctuation is literal
        ("black, asian", "black, asian and minoritised", "black, asian"),
        ("black, asian", "black asian", None),
    ],
)
def test_term_regex(term, text, expected):
    assert found(term, text) == expected


def test_term_regex_without_head_leaves_out_the_leading_boundary():
    assert term_regex("debt") == r"\bdebt\b"
    assert term_regex("debt", head=False) == r"debt\b"


@pytest.mark.parametrize(
    ("term", "expected"),
    [("  Living   Wage ", "living wage"), ("Guy’s", "guy's"), ("APPRENTICE*", "apprentice*")],
)
def test_normalise_term(term, expected):
    assert normalise_term(term) == expected


# --- all phrases together ---------------------------------------------------------------------


def test_exclusion_beats_a_shorter_term_at_the_same_start(codebook):
    pattern = codebook.pattern()
    assert pattern.findall("the benefits of apprenticeships") == [
        "benefits of",
        "apprenticeships",
    ]
    assert pattern.findall("help with benefits and debt") == ["benefits", "debt"]


def test_longest_phrase_starting_first_wins(codebook):
    pattern = codebook.pattern()
    assert pattern.findall("the london living wage") == ["london living wage"]
    assert pattern.findall("welfare benefits advice") == ["welfare benefits"]
    assert pattern.findall("debt advice services") == ["debt advice"]
    # "in-work poverty" starts before "poverty", so it takes the word
    assert pattern.findall("in-work poverty") == ["in-work poverty"]
    assert pattern.findall("community benefits") == ["community benefits"]


def test_grouped_pattern_matches_like_a_flat_alternation(codebook):
    flat = re.compile("|".join(f"(?:{phrase.regex})" for phrase in codebook.phrases()))
    text = (
        "the benefits of the london living wage and real living wages for cleaners; "
        "anti-racism, black, asian and minoritised staff; apprenticeships, work academies, "
        "young people into work; health justice and legal advice for homeless people in "
        "fuel poverty; the workforce race equality standard and the workforce disability "
        "equality standard; a race to the top; t-levels and jobseekers; debt advice"
    )
    assert codebook.pattern().findall(text) == flat.findall(text)


def test_phrases_longest_first_with_their_themes():
    book = parse_codebook(
        theme_toml("alpha", terms='["care", "shared term", "b"]', exclude='["care home"]')
        + theme_toml("beta", colour="#445566", terms='["shared term", "a"]')
    )
    phrases = [(phrase.text, phrase.themes) for phrase in book.phrases()]
    assert phrases == [
        ("shared term", ("alpha", "beta")),
        ("care home", ()),  # an exclusion counts for no theme
        ("care", ("alpha",)),
        ("a", ("beta",)),  # ties alphabetical
        ("b", ("alpha",)),
    ]


def test_exclusion_in_a_small_codebook():
    book = parse_codebook(theme_toml(terms='["benefits"]', exclude='["benefits of"]'))
    assert book.pattern().findall("benefits of exercise; benefits advice") == [
        "benefits of",
        "benefits",
    ]


# --- reading and validation -------------------------------------------------------------------


def test_parse_normalises_terms_and_colours():
    book = parse_codebook(
        'version = "7"\n[tagging]\ntitle_weight = 3\nmin_score = 2.5\n'
        + theme_toml(
            colour="#aabbcc",
            definition="Several   spaced    words.",
            terms='["  Living   Wage ", "living wage", "Guy’s"]',
        ),
        "mine.toml",
    )
    theme = book.themes[0]
    assert theme.colour == "#AABBCC"
    assert theme.definition == "Several spaced words."
    assert theme.terms == ("living wage", "guy's")  # normalised, repeats dropped
    assert theme.exclude == ()
    assert (book.version, book.title_weight, book.min_score, book.source) == (
        "7",
        3.0,
        2.5,
        "mine.toml",
    )


def test_parse_defaults():
    book = parse_codebook(theme_toml())
    assert (book.version, book.title_weight, book.min_score) == ("unversioned", 2.0, 1.0)
    assert (book.no_theme_label, book.no_theme_colour) == ("No theme", "#8C8C8C")


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("[[themes]\nid = ", ["not valid TOML"]),
        ('version = "1"\n', ["no [[themes]]"]),
        ("themes = []\n", ["no [[themes]]"]),
        (theme_toml("Bad-Id"), ["theme 1", "id must be", "Bad-Id"]),
        (theme_toml() + theme_toml("beta") + theme_toml(), ["theme 'alpha'", "used twice"]),
        (theme_toml("beta", colour="red"), ["theme 'beta'", "colour", "red"]),
        (theme_toml("beta", colour="#12345"), ["theme 'beta'", "colour"]),
        (theme_toml("beta", label=None), ["theme 'beta'", "label"]),
        (theme_toml("beta", label="  "), ["theme 'beta'", "label"]),
        (theme_toml("beta", definition=None), ["theme 'beta'", "definition"]),
        (theme_toml("beta", terms="[]"), ["theme 'beta'", "at least one term"]),
        (theme_toml("beta", terms='"beta"'), ["theme 'beta'", "list of strings"]),
        (theme_toml("beta", terms='["*beta"]'), ["theme 'beta'", "'*beta'", "letter or digit"]),
        (theme_toml("beta", terms='["-beta"]'), ["theme 'beta'", "letter or digit"]),
        (theme_toml("beta", exclude='["  "]'), ["theme 'beta'", "exclude"]),
        ("[tagging]\nmin_score = -1\n" + theme_toml(), ["min_score"]),
        ("[tagging]\ntitle_weight = true\n" + theme_toml(), ["title_weight"]),
    ],
    ids=[
        "bad TOML",
        "no themes",
        "empty themes",
        "bad id",
        "duplicate id",
        "bad colour",
        "short colour",
        "missing label",
        "blank label",
        "missing definition",
        "empty terms",
        "terms not a list",
        "term starting with *",
        "term starting with -",
        "blank exclusion",
        "negative min_score",
        "boolean title_weight",
    ],
)
def test_validation_errors_name_the_file_and_theme(text, fragments):
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text, "bad.toml")
    message = str(caught.value)
    assert message.startswith("bad.toml: ")
    for fragment in fragments:
        assert fragment in message


def test_load_codebook_from_a_file(tmp_path):
    path = tmp_path / "book.toml"
    path.write_bytes(b"\xef\xbb\xbf" + theme_toml().encode("utf-8"))  # a BOM is accepted
    book = load_codebook(path)
    assert book.ids == ["alpha"]
    assert book.source == "book.toml"


def test_load_codebook_errors_name_the_file(tmp_path):
    with pytest.raises(CodebookError, match=r"^missing\.toml: cannot read"):
        load_codebook(tmp_path / "missing.toml")
    path = tmp_path / "broken.toml"
    path.write_text(theme_toml(colour="blue"), encoding="utf-8")
    with pytest.raises(CodebookError, match=r"^broken\.toml: theme 'alpha': colour"):
        load_codebook(path)


def test_codebook_error_is_a_value_error():
    assert issubclass(CodebookError, ValueError)


# --- the term language: what compiles, and what is refused ------------------------------------


@pytest.mark.parametrize(
    ("term", "regex"),
    [
        ("apprentice*", r"\bapprentice\w*+"),
        ("living wage", r"\bliving[\s\-]++wage\b"),
        ("anti-racis*", r"\banti[\s\-]?+racis\w*+"),
        ("guy's", "\\bguy['\u2019]s\\b"),
        ("black, asian", r"\bblack,[\s\-]++asian\b"),
        ("a* b* c*", r"\ba\w*+[\s\-]++b\w*+[\s\-]++c\w*+"),
        ("a&e", r"\ba\&e\b"),
        ("s.106", r"\bs\.106\b"),
    ],
)
def test_every_piece_of_a_term_compiles_to_a_possessive_or_literal_piece(term, regex):
    assert term_regex(term) == regex


#: Terms outside the language, and what the message says about each.
REFUSED = [
    ("a********************q", "has two * in a row: one * at the end of a word matches any ending"),
    ("ab**", "has two * in a row: one * at the end of a word matches any ending"),
    ("job*seeker*", "has a * inside a word: a * may only end a word"),
    ("a*b", "has a * inside a word: a * may only end a word"),
    ("job*-seeker", "has a * followed by a hyphen: a * ends a word, so put a space after it"),
    ("*ab", "must start with a letter or digit"),
    ("-ab", "must start with a letter or digit"),
    ("", "must start with a letter or digit"),
    ("a *", "has a * that does not follow a letter or digit: a * may only end a word"),
    ("a-*", "has a * that does not follow a letter or digit: a * may only end a word"),
    ("a,*", "has a * that does not follow a letter or digit: a * may only end a word"),
    ("a - b", "has two spaces or hyphens in a row: put one between words"),
    ("a--b", "has two spaces or hyphens in a row: put one between words"),
    ("a -b", "has two spaces or hyphens in a row: put one between words"),
    ("a-", "ends with a hyphen"),
    ("a\x00b", "has a character terms cannot use (U+0000)"),
    ("a\u200bb", "has a character terms cannot use (U+200B)"),
    ("a\x1bb", "has a character terms cannot use (U+001B)"),
    ("a" * 61, "is too long (61 characters; at most 60)"),
    ("a b c d e f g h i", "has too many words (9; at most 8)"),
    ("a-b-c-d-e-f-g-h-i", "has too many words (9; at most 8)"),
]


@pytest.mark.parametrize(("term", "problem"), REFUSED)
def test_terms_outside_the_language_are_refused_in_one_line(term, problem):
    shown = "'" + (term if term.isprintable() else term.encode("unicode_escape").decode()) + "'"
    if len(term) > 40:
        shown = "'" + term[:39] + "\u2026'"
    with pytest.raises(CodebookError) as caught:
        check_terms(["fine", term], "x.toml: theme 'alpha': terms")
    assert str(caught.value) == f"x.toml: theme 'alpha': terms: the term {shown} {problem}"
    with pytest.raises(CodebookError, match=r"^the term "):
        term_regex(term)


def test_terms_at_the_limits_compile():
    assert term_regex("a" * MAX_TERM_LENGTH) == r"\b" + "a" * MAX_TERM_LENGTH + r"\b"
    eight = " ".join("abcdefgh")
    assert len(eight.split()) == MAX_TERM_WORDS
    assert re.search(term_regex(eight), "x a b-c d\ne f g h y")


def test_a_codebook_file_with_a_refused_term_names_file_theme_key_and_term():
    with pytest.raises(CodebookError) as caught:
        parse_codebook(theme_toml(terms='["fine"]', exclude='["job*seeker*"]'), "mine.toml")
    assert str(caught.value) == (
        "mine.toml: theme 'alpha': exclude: the term 'job*seeker*' has a * inside a word: "
        "a * may only end a word"
    )


def test_check_terms_normalises_and_drops_repeats():
    assert check_terms(["Living  Wage", "living wage", "Guy’s", 7], "w") == (
        "living wage",
        "guy's",
        "7",
    )


def test_pattern_identifies_the_phrase_that_matched(codebook):
    pattern, phrases = codebook.phrase_pattern()
    assert sorted(phrases) == sorted(phrase.text for phrase in codebook.phrases())
    found = [
        (m.group(), phrases[m.lastindex - 1])
        for m in pattern.finditer("the benefits of anti racist job seekers in fuel poverty")
    ]
    assert found == [
        ("benefits of", "benefits of"),
        ("anti racist", "anti-racis*"),
        ("job seekers", "job-seeker*"),
        ("fuel poverty", "fuel poverty"),
    ]


def test_pattern_shares_beginnings_but_keeps_the_order_where_it_matters():
    # "a-b c" (5 characters) comes before "ab*" (3), and both match at "ab c": sharing "ab"
    # with "abxyzw" (6) must not move "ab*" ahead of "a-b c", whose hyphen may match nothing.
    book = parse_codebook(theme_toml(terms='["ab*", "abxyzw", "a-b c"]'))
    assert [phrase.text for phrase in book.phrases()] == ["abxyzw", "a-b c", "ab*"]
    assert book.pattern().findall("ab c; abxyzw; abd") == ["ab c", "abxyzw", "abd"]
    pattern, phrases = book.phrase_pattern()
    found = [phrases[m.lastindex - 1] for m in pattern.finditer("ab c; abxyzw; abd")]
    assert found == ["a-b c", "abxyzw", "ab*"]


def test_many_terms_differing_in_one_character_each_find_their_own_match():
    """More than 24 alternatives at one point are split in halves behind a look-ahead."""
    ends = [c for c in map(chr, range(0x21, 0x250)) if c.isprintable() and c not in "*'-"][:120]
    terms = [f"a*{end}x" for end in ends if not re.match(r"\w", end)] + [f"a{end}" for end in ends]
    book = Codebook(
        themes=(Theme("t", "T", "#112233", "d", tuple(normalise_term(t) for t in terms)),)
    )
    pattern, phrases = book.phrase_pattern()
    for term in book.phrases():
        text = term.text.replace("*", "bc")
        match = pattern.search(f"({text})")
        assert (match.group(), phrases[match.lastindex - 1]) == (text, term.text)


# --- malformed codebooks: one line naming the file and the key --------------------------------

THEME = theme_toml()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tagging = 3\n" + THEME, "bad.toml: [tagging] must be a table (got 3)"),
        ('no_theme = "x"\n' + THEME, "bad.toml: [no_theme] must be a table (got 'x')"),
        ("version = [1]\n" + THEME, "bad.toml: version must be text or a number (got an array)"),
        (
            "[version]\nmajor = 1\n" + THEME,
            "bad.toml: version must be text or a number (got a table)",
        ),
        ("version = true\n" + THEME, "bad.toml: version must be text or a number (got true)"),
        ('version = "  "\n' + THEME, "bad.toml: version is empty"),
        (
            f'version = "{"v" * 101}"\n' + THEME,
            "bad.toml: version is too long (101 characters; at most 100)",
        ),
        ('themes = "x"\n', "bad.toml: themes must be [[themes]] tables (got 'x')"),
        ("themes = [1, 2]\n", "bad.toml: theme 1: must be a table (got 1)"),
        ("themes = [[1]]\n", "bad.toml: theme 1: must be a table (got an array)"),
        (
            THEME.replace('id = "alpha"', "id = 5"),
            "bad.toml: theme 1: id must be 1 to 40 lower-case letters, digits and _, "
            "starting with a letter (got 5)",
        ),
        (
            THEME.replace('id = "alpha"', f'id = "{"a" * 41}"'),
            "bad.toml: theme 1: id must be 1 to 40 lower-case letters, digits and _, "
            f"starting with a letter (got '{'a' * 39}\u2026')",
        ),
        (
            THEME.replace('id = "alpha"', 'id = "alpha\\n"'),
            "bad.toml: theme 1: id must be 1 to 40 lower-case letters, digits and _, "
            "starting with a letter (got 'alpha\\n')",
        ),
        (
            THEME.replace('colour = "#112233"', 'colour = "#112233\\n"'),
            "bad.toml: theme 'alpha': colour must be #RRGGBB (got '#112233\\n')",
        ),
        (
            THEME.replace('label = "Alpha"', "label = 3"),
            "bad.toml: theme 'alpha': label must be text (got 3)",
        ),
        (
            THEME.replace('label = "Alpha"', f'label = "{"L" * 101}"'),
            "bad.toml: theme 'alpha': label is too long (101 characters; at most 100)",
        ),
        (
            THEME.replace('definition = "About alpha."', 'definition = ["d"]'),
            "bad.toml: theme 'alpha': definition must be text (got an array)",
        ),
        (
            THEME.replace('definition = "About alpha."', f'definition = "{"d " * 1001}"'),
            "bad.toml: theme 'alpha': definition is too long (2,001 characters; at most 2,000)",
        ),
        (
            THEME.replace('colour = "#112233"', "colour = 112233"),
            "bad.toml: theme 'alpha': colour must be #RRGGBB (got 112233)",
        ),
        (
            THEME.replace('colour = "#112233"', "colour = {r = 1}"),
            "bad.toml: theme 'alpha': colour must be #RRGGBB (got a table)",
        ),
        (
            theme_toml(terms='["x", 5]'),
            "bad.toml: theme 'alpha': terms must be a list of strings (item 2 is 5)",
        ),
        (
            theme_toml(terms='["x", ["y"]]'),
            "bad.toml: theme 'alpha': terms must be a list of strings (item 2 is an array)",
        ),
        (
            theme_toml(exclude="3"),
            "bad.toml: theme 'alpha': exclude must be a list of strings (got 3)",
        ),
        (
            theme_toml(terms='{a = "b"}'),
            "bad.toml: theme 'alpha': terms must be a list of strings (got a table)",
        ),
        (
            "x = " + "[" * 5000 + "]" * 5000 + "\n" + THEME,
            "bad.toml: not valid TOML (nested too deeply)",
        ),
        (
            "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n" + THEME,
            "bad.toml: not valid TOML (nested too deeply)",
        ),
        (
            "x = " + "9" * 5000 + "\n" + THEME,
            "bad.toml: not valid TOML (a number too long to read)",
        ),
        (
            '[no_theme]\ncolour = "red"\n' + THEME,
            "bad.toml: [no_theme]: colour must be #RRGGBB (got 'red')",
        ),
        ("[no_theme]\nlabel = 5\n" + THEME, "bad.toml: [no_theme]: label must be text (got 5)"),
        ('[no_theme]\nlabel = " "\n' + THEME, "bad.toml: [no_theme]: label is missing or empty"),
        (
            "[tagging]\nmin_score = nan\n" + THEME,
            "bad.toml: [tagging]: min_score must be a number of 0 or more (got nan)",
        ),
        (
            "[tagging]\ntitle_weight = inf\n" + THEME,
            "bad.toml: [tagging]: title_weight must be a number of 0 or more (got inf)",
        ),
        (
            "[tagging]\nmin_score = " + "9" * 400 + "\n" + THEME,
            "bad.toml: [tagging]: min_score must be a number of 0 or more (got a very long number)",
        ),
        (
            '[tagging]\nmin_score = "1"\n' + THEME,
            "bad.toml: [tagging]: min_score must be a number of 0 or more (got '1')",
        ),
        (
            THEME.replace("terms =", 'term = ["y"]\nterms ='),
            "bad.toml: theme 'alpha': unknown key 'term' (did you mean 'terms'?)",
        ),
        (
            THEME.replace("colour =", "color ="),
            "bad.toml: theme 'alpha': unknown key 'color' (did you mean 'colour'?)",
        ),
        (
            THEME.replace("label =", "Label ="),
            "bad.toml: theme 'alpha': unknown key 'Label' (did you mean 'label'?)",
        ),
        (
            THEME.replace("[[themes]]", "[[theme]]"),
            "bad.toml: unknown key 'theme' (did you mean 'themes'?)",
        ),
        (
            "[tagging]\nminscore = 1\n" + THEME,
            "bad.toml: [tagging]: unknown key 'minscore' (did you mean 'min_score'?)",
        ),
        (
            "".join(theme_toml(f"t{n}") for n in range(51)),
            "bad.toml: 51 themes: a codebook has at most 50",
        ),
        (
            theme_toml(terms="[" + ", ".join(f'"t{n}"' for n in range(201)) + "]"),
            "bad.toml: theme 'alpha': terms lists 201 terms: at most 200 per theme",
        ),
        (
            theme_toml(exclude="[" + ", ".join(f'"t{n}"' for n in range(201)) + "]"),
            "bad.toml: theme 'alpha': exclude lists 201 terms: at most 200 per theme",
        ),
        (
            "".join(
                theme_toml(f"t{n}", terms="[" + ", ".join(f'"t{n}w{m}"' for m in range(182)) + "]")
                for n in range(11)
            ),
            "bad.toml: 2,002 distinct terms, context terms and exclusions: a codebook has at most 2,000 in all",
        ),
        (
            "# " + "x" * 1_000_000 + "\n" + THEME,
            "bad.toml: too large for a codebook (at most 1,000,000 bytes)",
        ),
        (
            "# " + "\u00e9" * 500_000 + "\n" + THEME,  # fewer characters than bytes
            "bad.toml: too large for a codebook (at most 1,000,000 bytes)",
        ),
    ],
)
def test_malformed_codebooks_get_one_line_naming_the_file_and_key(text, message):
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text, "bad.toml")
    assert str(caught.value) == message


def test_unknown_keys_unlike_any_known_one_are_ignored():
    text = 'notes = "x"\n[tagging]\nsource = 1\n' + THEME.replace(
        "terms =", 'examples = ["y"]\nterms ='
    )
    assert parse_codebook(text).ids == ["alpha"]


@pytest.mark.parametrize(
    ("line", "version"),
    [("version = 2026.1", "2026.1"), ("version = 7", "7"), ("version = 2026-01-02", "2026-01-02")],
)
def test_version_may_be_a_number_or_a_date(line, version):
    assert parse_codebook(line + "\n" + THEME).version == version


def test_a_file_name_with_a_line_break_stays_on_one_line():
    with pytest.raises(CodebookError) as caught:
        parse_codebook("tagging = 3\n" + THEME, "two\nlines.toml")
    assert str(caught.value) == "two\\nlines.toml: [tagging] must be a table (got 3)"


def test_a_codebook_at_the_size_limit_is_read(tmp_path):
    text = theme_toml()
    padded = text + "#" * (MAX_CODEBOOK_BYTES - len(text) - 1) + "\n"
    assert len(padded.encode("utf-8")) == MAX_CODEBOOK_BYTES
    path = tmp_path / "full.toml"
    path.write_text(padded, encoding="utf-8")
    assert load_codebook(path).ids == ["alpha"]
    path.write_text(padded + "\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"^full\.toml: too large for a codebook"):
        load_codebook(path)


def test_load_codebook_reads_no_more_than_the_limit_of_an_endless_file():
    with pytest.raises(CodebookError, match=r"^zero: too large for a codebook"):
        load_codebook("/dev/zero")


def test_load_codebook_reports_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(theme_toml(label="Caf\u00e9").encode("latin-1"))
    with pytest.raises(CodebookError, match=r"^latin\.toml: cannot read the codebook \("):
        load_codebook(path)
