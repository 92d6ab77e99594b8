"""Benchmark: term matching stays linear in the text, however many stars a term has.

Before terms had a language, ``*`` became ``\\w*`` anywhere, and ``a********************q``
took 37 s on the 18 bundled posts: each extra star multiplied the time. Now a ``*`` only
ends a word and compiles to the possessive ``\\w*+`` (see analysis/codebook.py).

In one run, this times (median CPU time of ``--repeat`` runs each):

1. One term at a time, on texts of 10k, 100k and 1M characters built to make
   backtracking struggle (one long word of ``a``; ``a a a ...``; ``a-a-a-...``) and on
   ordinary text (words of the bundled posts): terms with 1, 2, 4 and 7 word-ending
   stars (``a*``, ``a* q`` ... ``a* a* a* a* a* a* a* q``), and the same-shaped term with
   no star (``a a a a a a a q``). Yardstick: the plain literal regex ``\\bq\\b`` on the
   same text. Flat means: each ratio stays the same as the text grows (time per
   character constant) and as stars are added (within the cost of the term's words).
2. Whole codebooks: the bundled one (the yardstick here) against two codebooks within
   every limit built to be slow (2,000 terms each: ``a*`` or ``a `` then 1,000 different
   symbols; and the worst shape found, where stars and hyphens keep terms of every
   length apart), on the same texts.
3. For scale, the old greedy compile of ``a`` + k stars + ``q`` on just 40 characters.

Targets: time per character at 1M over 10k between 0.8 and 1.25 for every term (linear
in the text); 7 stars within 3x the 8-word term without a star; a codebook within the
limits under 10 µs per character on any text (the bundled one takes about 0.05).
Measured here (2 shared cores): growth 0.83 to 1.14; 7 stars 5.8x the yardstick against
2.6x for the plain 8-word term on ``a a a ...``, 1.1x against 0.9x on posts; the slowest
codebook 6 µs per character on ``a a a ...`` and 0.4 on posts. Before, 6 stars on 40
characters took 65 ms and each star multiplied it.

    python bench/terms.py [--repeat 5] [--max-chars 1000000]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.codebook import (  # noqa: E402
    MAX_TERMS,
    MAX_THEME_TERMS,
    Codebook,
    Theme,
    check_limits,
    load_codebook,
    term_regex,
)
from analysis.loading import load_posts  # noqa: E402

TERMS = {
    "1 star": "a*",
    "1 star, 2 words": "a* q",
    "2 stars": "a* a* q",
    "4 stars": "a* a* a* a* q",
    "7 stars": "a* a* a* a* a* a* a* q",
    "no star, 8 words": "a a a a a a a q",
}


def texts(size: int) -> dict[str, str]:
    """Texts of ``size`` characters: three made to make backtracking struggle, one ordinary."""
    posts = load_posts()
    words = " ".join(posts["title"] + " " + posts["summary"]).lower()
    return {
        "aaaa...": "a" * size,
        "a a a ...": ("a " * size)[:size],
        "a-a-a-...": ("a-" * size)[:size],
        "posts": (words + " ") * (size // (len(words) + 1)) + words[: size % (len(words) + 1)],
    }


def median_time(pattern: re.Pattern[str], text: str, repeat: int) -> float:
    """Median CPU time of ``pattern.findall(text)``: CPU, so other work on the machine
    (this one has 2 cores, shared) does not count."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        pattern.findall(text)
        times.append(time.process_time() - start)
    return statistics.median(times)


def within_limits(terms: list[str]) -> Codebook:
    """``terms`` spread over themes of :data:`MAX_THEME_TERMS`, checked against every limit."""
    themes = tuple(
        Theme(f"t{n}", f"T{n}", "#112233", "d", tuple(terms[n : n + MAX_THEME_TERMS]))
        for n in range(0, len(terms), MAX_THEME_TERMS)
    )
    check_limits(themes, "bench")
    return Codebook(themes=themes)


def many_after_one_piece() -> Codebook:
    """2,000 terms: ``a*`` or ``a `` followed by 1,000 different symbols, then ``x``."""
    symbols = [
        chr(code)
        for code in range(0x21, 0x3000)
        if chr(code).isprintable() and not re.match(r"[\w\s'*\-]", chr(code))
    ][: MAX_TERMS // 2]
    return within_limits([f"a*{s}x" for s in symbols] + [f"a {s}x" for s in symbols])


def order_kept() -> Codebook:
    """The worst shape found: at every length, terms starting ``a ``, ``a*``, ``a-`` and ``ab``,
    so stars and hyphens (which may match nothing) keep the longest-first order apart."""
    terms = []
    for length in range(3, 61):
        for letter in "bcdefghi":
            terms += [
                "a " + letter * (length - 2),
                "a* " + letter * (length - 3) if length > 3 else "a* b",
                "a-" + letter * (length - 2),
                "a" + letter * (length - 1),
            ]
    return within_limits(list(dict.fromkeys(terms))[:MAX_TERMS])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--max-chars", type=int, default=1_000_000)
    args = parser.parse_args()
    sizes = [size for size in (10_000, 100_000, 1_000_000) if size <= args.max_chars]

    yardstick = re.compile(r"\bq\b")
    terms = {name: re.compile(term_regex(term)) for name, term in TERMS.items()}
    print(
        f"1. One term; ratio = median time / median time of \\bq\\b on the same text "
        f"({args.repeat} runs each)"
    )
    header = f"{'text':>10} {'chars':>10} {'yardstick':>10}" + "".join(
        f" {name:>17}" for name in TERMS
    )
    print(header)
    per_char: dict[tuple[str, str], list[float]] = {}
    for size in sizes:
        for kind, text in texts(size).items():
            base = median_time(yardstick, text, args.repeat)
            row = f"{kind:>10} {size:>10,} {base * 1e3:8.2f}ms"
            for name, pattern in terms.items():
                seconds = median_time(pattern, text, args.repeat)
                per_char.setdefault((kind, name), []).append(seconds / size)
                row += f" {seconds / base:16.1f}x"
            print(row)
    if len(sizes) > 1:
        print(
            f"   time per character at {sizes[-1]:,} over at {sizes[0]:,} "
            "(1.0 = linear in the text):"
        )
        for kind in texts(10):
            growth = "".join(
                f" {per_char[kind, name][-1] / per_char[kind, name][0]:16.2f} " for name in TERMS
            )
            print(f"{kind:>10} {'':>10} {'':>10}{growth}")

    print()
    print("2. Whole codebooks; ratio = median time / the bundled codebook's on the same text")
    bundled = load_codebook().pattern()
    books = {"many after one": many_after_one_piece(), "order kept": order_kept()}
    patterns = {name: book.pattern() for name, book in books.items()}
    print(f"{'text':>10} {'chars':>10} {'bundled':>10}" + "".join(f" {n:>27}" for n in books))
    for size in sizes:
        for kind, text in texts(size).items():
            base = median_time(bundled, text, args.repeat)
            row = f"{kind:>10} {size:>10,} {base * 1e3:8.2f}ms"
            for pattern in patterns.values():
                seconds = median_time(pattern, text, args.repeat)
                row += f" {seconds / base:8.1f}x ({seconds / size * 1e6:5.2f} µs/char)"
            print(row)

    print()
    print("3. Before: the old greedy compile of a + k stars + q, on 40 characters of a")
    for stars in range(1, 7):
        old = re.compile(r"\ba" + r"\w*" * stars + r"q\b")
        seconds = median_time(old, "a" * 40, 1)
        print(f"   {stars} stars: {seconds * 1e3:10.2f} ms")
    print("   (each star multiplies the time; a******************** q never finishes here)")


if __name__ == "__main__":
    main()
