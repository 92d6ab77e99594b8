"""Themes the codebook misses: groups of posts that share distinctive vocabulary.

:func:`discover` looks at the posts given (all of them, or those a ``mask`` picks, such as
the posts with no theme) and finds groups that share words and phrases the other posts do
not use:

1. each post's title, summary and full text become a TF-IDF vector (scikit-learn's
   ``TfidfVectorizer``: English stop words dropped, words and two-word phrases, sublinear
   term frequency, a term kept only when at least two posts use it and at most half do);
2. non-negative matrix factorisation (``NMF``) finds up to ``max_groups`` topics, each a
   weighting of terms, and how much of each topic every post holds;
3. a post joins the topic it holds most of, when that is clear (at least
   :data:`CLEAR_MARGIN` times its next topic); other posts join no group;
4. a topic with fewer than ``min_size`` posts is dropped, as is one whose top terms are not
   shared by at least two of its posts.

Each :class:`Group` is named by its top terms (``Group.label``), lists its posts (best
first), a few example titles and its size, and can become a What if? theme
(``Group.as_theme``) whose terms are written in the codebook's term language and were
chosen because they are found in the group's posts and seldom elsewhere.

Honest on small corpora: with fewer than :func:`min_posts` posts there is too little to tell
shared vocabulary from chance, so :func:`discover` returns no group, and :func:`why_none` says
why in one sentence (also when the posts were enough but no group passed the tests). Fast on
thousands: ``bench/discover.py`` times it against fitting the TF-IDF vectoriser alone.
"""

from __future__ import annotations

import bisect
import math
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.codebook import Codebook, CodebookError, check_terms
from analysis.codebook_terms import term_regex
from analysis.formatting import count

#: A post joins its strongest topic only when that topic's weight is at least this many
#: times the next one's.
CLEAR_MARGIN = 1.5

#: The fewest posts discovery works on, whatever ``min_size``.
MIN_POSTS = 10

#: Top terms kept per group, and the most terms a group's theme lists.
TOP_TERMS = 8
THEME_TERMS = 6

#: A term joins a group's theme only if at least this share of the posts it is found in
#: belong to the group.
THEME_PRECISION = 0.5

#: A group's term must be used by at least this much larger a share of the group's posts
#: than of the other posts searched (0.25: by 40% of the group and 15% of the others, say).
MIN_LIFT = 0.25

#: A group's term must be used by its posts more than chance allows at this level, after
#: multiplying by the number of terms tried (see :func:`_distinctive`).
ALPHA = 0.05

#: The most topics looked for when ``max_groups`` is smaller (the largest groups are kept):
#: two more than the default 8 groups, so that topics of noise need not crowd out a real one.
MAX_TOPICS = 10

#: Above this many posts, the number of topics is chosen on a sample of this many.
SAMPLE = 1_000
SAMPLE_TERMS = 3_000

#: Example titles per group.
EXAMPLES = 3

#: Fields read, in order. They are joined with a separator no term can match across.
_FIELDS = ("title", "summary", "text")
_JOIN = " | "

#: Words of two or more letters (no digits or underscores): what a term is made of.
_TOKEN = r"(?u)\b[^\W\d_]{2,}\b"


@dataclass(frozen=True)
class Group:
    """Posts that share distinctive vocabulary, as found by :func:`discover`.

    ``terms`` are its top terms (words and two-word phrases, most telling first);
    ``post_ids`` its posts, the most typical first; ``examples`` the titles of the first
    few; ``size`` how many posts it has. ``theme_terms`` are the terms :meth:`as_theme`
    gives the new theme, in the codebook's term language (``supplier*`` where both
    ``supplier`` and ``suppliers`` are used); ``matched`` how many of the group's posts
    those terms are found in, and ``elsewhere`` how many of the other posts searched (as
    a theme in a codebook, :meth:`as_theme` adds the codebook's longer terms holding
    them, which can find a few more; an exclusion can find fewer).
    """

    terms: tuple[str, ...]
    post_ids: tuple[str, ...]
    examples: tuple[str, ...]
    size: int
    theme_terms: tuple[str, ...] = ()
    matched: int = 0
    elsewhere: int = 0

    @property
    def label(self) -> str:
        """A name from its top three terms: ``"Procurement, suppliers, local firms"``."""
        name = ", ".join(self.terms[:3])
        return name[:1].upper() + name[1:]

    @property
    def text(self) -> str:
        """One plain sentence on the group, its support and what its theme would catch."""
        found = (
            f"its terms are found in {self.matched} of them"
            f"{f' and in {count(self.elsewhere)} outside it' if self.elsewhere else ''}"
        )
        return f"{self.label}: {count(self.size)} share {', '.join(self.terms[:5])}; {found}."

    def as_theme(self, codebook: Codebook) -> Codebook:
        """``codebook`` with this group as a new What if? theme (:func:`analysis.whatif.add_theme`).

        Its terms are :attr:`theme_terms` (the top terms when none was chosen). Where a term
        of the codebook would take a term's words from it (the tagger counts one term per
        place, the longest), the new theme shares that term instead: one matching the whole
        of it replaces it (``living wage*`` for ``living wage``), and longer ones holding it
        are added after it (``real living wage*``, ``london living wage*``), so the new
        theme finds its words wherever they are. It is
        labelled :attr:`label`, or, when the codebook has a theme of that label already (a
        group found among all posts may be one of its themes), ``"<label> (found)"``, then
        ``"<label> (found 2)"`` and so on. Raises :class:`~analysis.codebook.CodebookError`
        when a theme with this label and these terms is there already (added twice), and as
        ``add_theme`` does.
        """
        from analysis.whatif import add_theme, new_theme_id

        terms = []
        for term in self.theme_terms or self.terms[:THEME_TERMS]:
            terms += [spelt for spelt in _spelt_as(term, codebook) if spelt not in terms]
        taken_labels = {label.casefold() for label in codebook.series_labels.values()}
        for n in range(1, len(codebook.themes) + 2):
            label = self.label if n == 1 else f"{self.label} (found{f' {n - 1}' if n > 2 else ''})"
            if any(t.label == label and t.terms == tuple(terms) for t in codebook.themes):
                raise CodebookError(f"“{label}” is a theme already, with the same terms")
            if label.casefold() not in taken_labels and new_theme_id(label) not in codebook.ids:
                break
        return add_theme(codebook, label, terms)


def _spelt_as(term: str, codebook: Codebook) -> list[str]:
    """``term`` as the new theme lists it, with the codebook's terms that would take its
    words from it (see ``as_theme``): a term or context term of another theme matching the
    whole of it replaces it, and the longer ones holding it are added."""
    if not term.endswith("*"):
        same = [p.text for p in _counted(codebook) if re.fullmatch(p.regex, term)]
        term = min(same, key=lambda text: (-len(text), text)) if same else term
    pattern = re.compile(term_regex(term))
    longer = [
        phrase.text
        for phrase in _counted(codebook)
        if phrase.text != term and pattern.search(phrase.text.replace("*", ""))
    ]
    return [term, *longer]


def _counted(codebook: Codebook) -> list:
    """The codebook's terms and context terms (not its exclusions)."""
    return [p for p in codebook.phrases() if p.themes or getattr(p, "context", ())]


def min_posts(min_size: int = 3) -> int:
    """The fewest posts discovery works on: :data:`MIN_POSTS`, or three groups' worth."""
    return max(MIN_POSTS, 3 * min_size)


def discover(
    posts: pd.DataFrame,
    *,
    mask=None,
    min_size: int = 3,
    max_groups: int = 8,
    random_state: int = 0,
) -> list[Group]:
    """Groups of posts sharing distinctive vocabulary, largest first (see the module notes).

    ``mask`` (booleans, one per post, e.g. the posts with no theme) limits the search to
    those posts; None searches all. Groups have at least ``min_size`` posts, and there are
    at most ``max_groups``. Returns ``[]`` when there are too few posts or no group passes;
    :func:`why_none` says which. The result depends only on the posts and the arguments.
    """
    return _search(posts, mask, min_size, max_groups, random_state)[0]


def why_none(
    posts: pd.DataFrame,
    *,
    mask=None,
    min_size: int = 3,
    max_groups: int = 8,
    random_state: int = 0,
) -> str:
    """Why :func:`discover` finds no group with these arguments, in one sentence; ``""``
    when it finds some."""
    groups, note = _search(posts, mask, min_size, max_groups, random_state)
    return "" if groups else note


# --- the search ---------------------------------------------------------------------------------


def _search(posts, mask, min_size, max_groups, random_state) -> tuple[list[Group], str]:
    min_size = max(int(min_size), 1)
    max_groups = max(int(max_groups), 0)
    chosen = _chosen(posts, mask)
    searched = posts[chosen]
    needed = min_posts(min_size)
    if len(searched) < needed:
        return [], (
            f"Only {count(len(searched))} to search: discovery needs at least {needed} to "
            "tell vocabulary a group shares from chance."
        )
    if max_groups == 0:
        return [], "No groups were asked for."
    texts = _texts(searched)
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = _vectoriser(TfidfVectorizer)
    try:
        matrix = vectoriser.fit_transform(texts)
    except ValueError:  # no word that two posts share, or every word in most posts
        return [], _nothing_shared(len(searched))
    vocabulary = vectoriser.get_feature_names_out()
    # Topics are not capped at max_groups, so that asking for fewer groups lists the largest
    # rather than merging distinct ones to fit.
    most = min(max(max_groups, MAX_TOPICS), len(searched) // min_size, matrix.shape[1])
    if most < 1 or matrix.nnz == 0:
        return [], _nothing_shared(len(searched))
    present = (matrix > 0).tocsc()
    components = _components(matrix, present, most, min_size, random_state)
    found = _topics(matrix, present, components, min_size, random_state) if components else []
    ids = _ids(searched)
    titles = searched["title"].fillna("").astype(str).to_numpy()
    lowered = [text.lower() for text in texts]
    words = sorted(str(term) for term in vocabulary if " " not in term)
    index = {str(term): n for n, term in enumerate(vocabulary)}

    def where(term: str) -> np.ndarray | None:
        """The posts that may hold ``term``: those with its TF-IDF feature (every match of a
        term made of features is one), or None when all must be read (a ``*`` term)."""
        return None if term.endswith("*") else present[:, index[term]].indices

    groups = []
    for members, term_indices in found:
        terms = _readable([str(vocabulary[index]) for index in term_indices])
        theme_terms, matched, elsewhere = _theme_terms(terms, lowered, members, words, where)
        groups.append(
            Group(
                terms=tuple(terms),
                post_ids=tuple(ids[members]),
                examples=tuple(titles[members[:EXAMPLES]]),
                size=len(members),
                theme_terms=theme_terms,
                matched=matched,
                elsewhere=elsewhere,
            )
        )
    groups = sorted(groups, key=lambda group: -group.size)[:max_groups]
    if not groups:
        return [], (
            f"No group of at least {count(min_size)} among the {count(len(searched))} "
            "searched shares vocabulary the others do not use."
        )
    return groups, ""


def _nothing_shared(n: int) -> str:
    return f"The {count(n)} searched share no distinctive word: no group can be formed."


def _chosen(posts: pd.DataFrame, mask) -> np.ndarray:
    if mask is None:
        return np.ones(len(posts), dtype=bool)
    if isinstance(mask, pd.Series):
        mask = mask.reindex(posts.index, fill_value=False)
    chosen = np.asarray(mask, dtype=bool)
    if chosen.shape != (len(posts),):
        raise ValueError(f"mask has {chosen.size} values for {len(posts)} posts")
    return chosen


def _ids(posts: pd.DataFrame) -> np.ndarray:
    if "id" in posts.columns:
        return posts["id"].astype(str).to_numpy()
    return posts.index.astype(str).to_numpy()


def _texts(posts: pd.DataFrame) -> list[str]:
    """Each post's fields joined by a separator that no term matches across."""
    fields = [posts[field].fillna("").astype(str) for field in _FIELDS if field in posts.columns]
    if not fields:
        return [""] * len(posts)
    joined = fields[0]
    for field in fields[1:]:
        joined = joined + _JOIN + field
    return joined.tolist()


def _vectoriser(kind):
    return kind(
        lowercase=True,
        stop_words="english",
        token_pattern=_TOKEN,
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
        max_features=50_000,
        dtype=np.float32,
    )


def _assign(weights: np.ndarray) -> np.ndarray:
    """Each post's topic, or -1 where no topic is clearly its strongest."""
    if weights.shape[1] == 1:
        return np.where(weights[:, 0] > 0, 0, -1)
    order = np.argsort(-weights, axis=1, kind="stable")
    rows = np.arange(len(weights))
    best = weights[rows, order[:, 0]]
    second = weights[rows, order[:, 1]]
    clear = (best > 0) & (best >= CLEAR_MARGIN * second)
    return np.where(clear, order[:, 0], -1)


def _components(matrix, present, most: int, min_size: int, random_state: int) -> int:
    """How many topics to look for: the fewest that find the most.

    A topic count is scored by the posts in groups that use their group's first term (the
    word or phrase it is named by), so two topics that share no word, merged into one
    group, score only the half that uses its name. More topics are used only when they add
    at least ``min_size`` posts to that score, so a clear topic is not split in two to fill
    ``max_groups``. On more than :data:`SAMPLE`
    posts the number is chosen on a random sample of that many (and the
    :data:`SAMPLE_TERMS` terms most of them use), then fitted once on all.
    """
    rows = matrix.shape[0]
    if rows > SAMPLE:
        picked = np.sort(np.random.default_rng(random_state).choice(rows, SAMPLE, replace=False))
        matrix, present = matrix[picked], present[picked]
        users = np.asarray(present.sum(axis=0)).ravel()
        used = np.sort(np.argsort(-users, kind="stable")[:SAMPLE_TERMS])
        used = used[users[used] >= 2]
        matrix, present = matrix[:, used], present[:, used]
    best, covered = 0, 0
    for components in range(1, most + 1):
        topics = _topics(matrix, present, components, min_size, random_state)
        posts_in = sum(int(present[members, terms[0]].sum()) for members, terms in topics)
        if posts_in >= covered + min_size:
            best, covered = components, posts_in
    return best


def _topics(matrix, present, components: int, min_size: int, random_state: int):
    """NMF with ``components`` topics: each kept topic's posts (most typical first) and the
    indices of its distinctive terms (most telling first)."""
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    model = NMF(
        n_components=components, init="nndsvda", random_state=random_state, max_iter=200, tol=1e-3
    )
    with warnings.catch_warnings():  # not converging in 200 steps still gives usable topics
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    assigned = _assign(weights)
    found = []
    for topic in range(components):
        members = np.flatnonzero(assigned == topic)
        if len(members) < min_size:
            continue
        members = members[np.argsort(-weights[members, topic], kind="stable")]
        for _ in range(2):  # drop posts that use none of the terms, then look again
            terms = _distinctive(model.components_[topic], present, members)
            if not terms:
                break
            uses = np.asarray(present[members][:, terms].sum(axis=1)).ravel() > 0
            members = members[uses]
        if terms and len(members) >= min_size:
            found.append((members, terms))
    return found


def _distinctive(topic: np.ndarray, present, members: np.ndarray) -> list[int]:
    """The topic's terms that its posts use far more than chance allows, most telling first.

    Among the topic's heaviest terms, a term is kept when at least two of the posts (and a
    third of them) use it, the share of the posts using it is :data:`MIN_LIFT` above the
    share of the other posts, and a hypergeometric test says so many of the posts would use
    it by chance with probability under :data:`ALPHA` once multiplied by the number of terms
    tried (Bonferroni).
    """
    from scipy.stats import hypergeom

    size, total = len(members), present.shape[0]
    candidates = [i for i in np.argsort(-topic, kind="stable")[: TOP_TERMS * 6] if topic[i] > 0]
    if not candidates:
        return []
    columns = present[:, candidates]
    users = np.asarray(columns.sum(axis=0)).ravel()
    inside = np.asarray(columns[members].sum(axis=0)).ravel()
    lift = inside / size - (users - inside) / max(total - size, 1)
    chance = hypergeom.sf(inside - 1, total, users, size) * len(candidates)
    keep = (inside >= max(2, math.ceil(size / 3))) & (lift >= MIN_LIFT) & (chance < ALPHA)
    order = sorted(np.flatnonzero(keep), key=lambda n: (chance[n], -lift[n]))
    return [int(candidates[n]) for n in order]


def _readable(terms: list[str]) -> list[str]:
    """At most :data:`TOP_TERMS` terms: a word left out when a phrase listed before it holds
    it, or its singular or plural is listed; a phrase replaces its words listed before."""
    kept: list[str] = []
    for term in terms:
        if any(term in phrase.split() for phrase in kept if " " in phrase):
            continue
        if term + "s" in kept or (term.endswith("s") and term[:-1] in kept):
            continue
        if " " in term:
            kept = [word for word in kept if word not in term.split()]
        kept.append(term)
        if len(kept) == TOP_TERMS:
            break
    return kept


def _theme_terms(
    terms: list[str], lowered: list[str], members: np.ndarray, words: list[str], where
) -> tuple[tuple[str, ...], int, int]:
    """Terms in the term language for the group's theme, and where they are found.

    Each candidate is checked against the posts' text as the tagger reads it (whole words,
    a space matching a hyphen), so a phrase whose words only met once stop words were
    dropped ("cost living") is not offered; ``where(term)`` says which posts can hold it.
    Terms are then chosen greedily: each adds the most group posts not yet found, among
    those found mostly in the group (at least :data:`THEME_PRECISION` of the posts it is
    found in).
    """
    in_group = np.zeros(len(lowered), dtype=bool)
    in_group[members] = True
    found = {}
    for term in terms:
        written = _written(term, words)
        if not written:
            continue
        pattern = re.compile(term_regex(written))
        rows = where(term if written == term else written)
        rows = range(len(lowered)) if rows is None else rows
        hits = np.zeros(len(lowered), dtype=bool)
        hits[[row for row in rows if pattern.search(lowered[row])]] = True
        if hits[in_group].sum() >= 2 and hits[in_group].sum() >= THEME_PRECISION * hits.sum():
            found[written] = hits
    chosen: list[str] = []
    covered = np.zeros(len(lowered), dtype=bool)
    while found and len(chosen) < THEME_TERMS:
        term, hits = max(found.items(), key=lambda item: (item[1] & in_group & ~covered).sum())
        if not (hits & in_group & ~covered).any():
            break
        chosen.append(term)
        covered |= hits
        del found[term]
    return tuple(chosen), int((covered & in_group).sum()), int((covered & ~in_group).sum())


def _written(term: str, words: list[str]) -> str:
    """``term`` in the codebook's term language: a plural pair (``supplier``/``suppliers``)
    as ``supplier*`` when no other word of the posts (``words``, sorted) starts the same
    way; '' when it cannot be a term."""
    if " " not in term:
        stem = term[:-1] if term.endswith("s") and _has(words, term[:-1]) else term
        start = bisect.bisect_left(words, stem)
        following = words[start : start + 3]
        if following[:2] == [stem, stem + "s"] and not (
            len(following) == 3 and following[2].startswith(stem)
        ):
            term = stem + "*"
    try:
        return check_terms([term], "discovery")[0]
    except CodebookError:
        return ""


def _has(words: list[str], word: str) -> bool:
    at = bisect.bisect_left(words, word)
    return at < len(words) and words[at] == word


__all__ = ["Group", "discover", "min_posts", "why_none"]
