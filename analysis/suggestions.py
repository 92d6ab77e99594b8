"""Suggestions: how labelled posts say the codebook should change, with the effect of each.

The labels file (and reviewers' decisions, through :func:`labels_from_reviews`) say where
the codebook is wrong: a post labelled with a theme the codebook misses means a term is
missing; a post tagged but not labelled means a term is too broad. :func:`suggest` turns
that into edits a person can adopt on What if?, one :class:`Suggestion` each:

- ``add``: a word (a stem with ``*`` when several forms share it, such as ``recruit*``)
  or a two- or three-word phrase, as written, that the theme's labelled posts share and
  its other posts mostly lack;
- ``drop``: a term of the theme that makes it fire on posts not labelled with it;
- ``exclude``: a phrase holding such a term (``benefits of``), listed under the theme's
  ``exclude`` so the term no longer counts inside it.
- ``context``: such a term made a context term of the theme (it then counts only beside
  another of the theme's terms), for a broad word also found beside the theme's other terms
  in its labelled posts; of a ``context`` and a ``drop`` with the same effect, ``context``
  is kept.

Words and phrases come from scikit-learn's :class:`~sklearn.feature_extraction.text.CountVectorizer`
over each post's title, summary and text (posts vectorised once; no phrase crosses a
sentence's punctuation), ranked on the training posts by the F1 the theme would have with
the term, then by a smoothed log-odds ratio. Stop words, numbers, words of fewer than
three letters and phrases that start or end with a stop word are never suggested to add.

Every suggestion is applied as What if? applies an edit (:mod:`analysis.whatif`), and its
effect is measured by the codebook's own tagger (:class:`~analysis.tagging.ThemeTagger`),
so the tagging rule stays the codebook's. A suggestion never changes another theme's tags
on the labelled posts (one that would, say because a new phrase hides another theme's
shorter term, is not made).

What ``before`` and ``after`` estimate
---------------------------------------
The theme's precision, recall and F1 on posts the suggestion was not learned from, by
``folds``-fold cross-validation over the labelled posts (scikit-learn's
:class:`~sklearn.model_selection.KFold`, shuffled with ``random_state``). In each fold,
suggestions are learned from the other folds' posts alone, exactly as :func:`suggest`
learns them from all of them. A held-out post is then tagged as the codebook with this
suggestion applied tags it when this suggestion (the same action and term) was among those
learned in that fold, and as the unchanged codebook tags it otherwise. The held-out tags of
all folds are pooled and compared with the labels: that is ``after``; ``before`` is the
unchanged codebook on the same posts (nothing in it is learned, so it is its plain score).
So a term found in a single post cannot raise ``after``: while that post is held out the
term is never learned. ``gained`` and ``lost`` are plain, not cross-validated: the labelled
posts that gain or lose the theme when the suggestion is applied.

:func:`improved` applies the suggestions that raise cross-validated F1 (and, given the
labels, the specific terms to add that cross-validation cannot judge).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import whatif
from analysis.codebook import Codebook, CodebookError, term_problem, term_regex
from analysis.formatting import count, decimal
from analysis.tagging import FIELDS, ThemeTagger
from analysis.whatif import add_exclusions, add_terms, remove_terms

#: The actions a suggestion can take, as :attr:`Suggestion.action` names them.
ACTIONS = ("add", "drop", "exclude", "context")
#: Of two suggestions with the same effect, the one whose action comes first here is kept:
#: a broad term is better made a context term (it still counts beside the theme's others)
#: than dropped.
PREFERENCE = ("add", "context", "drop", "exclude")
#: Whether the codebook has context terms (analysis.whatif can make one).
_CONTEXT = hasattr(whatif, "add_context_terms")

#: Labelled posts a term must be found in (for ``add``, labelled with the theme; for
#: ``drop`` and ``exclude``, tagged with it but not labelled) before it is suggested.
MIN_SUPPORT = 2
#: Of the labelled posts a term to add is found in, the share that must be labelled with
#: the theme (on the training posts): a term mostly found elsewhere is too broad to add.
MIN_PRECISION = 0.5
#: Shortest word suggested to add, and the shortest stem worth a ``*``.
MIN_WORD = 3
MIN_STEM = 4
#: Shortest word offered as a stem with * because it begins other words read.
MIN_PREFIX = 5
#: Candidates of each kind learned per theme and fold, at least (``per_theme`` x 3 if more).
MIN_CANDIDATES = 8
#: Longest phrase suggested, in words.
MAX_PHRASE_WORDS = 3
#: Posts a phrase must be found in to be read at all (scikit-learn's min_df).
MIN_DF = 2

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
#: Punctuation that ends a run of words: no phrase is read across it.
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"\u201c\u201d\u2018|/\n\u2013\u2014]+")


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


# --- the suggestion -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """One edit to one theme, with its effect on the labelled posts.

    ``term`` is in the codebook's term language: the term to add or drop, or the
    exclusion phrase; ``guards`` is, for ``exclude``, the theme's term it stops counting.
    ``gained`` and ``lost`` are the ids of labelled posts that gain or lose the theme once
    it is applied (in the posts' order). ``before`` and ``after`` are the theme's
    cross-validated ``precision``, ``recall`` and ``f1`` (see the module docstring);
    ``support`` is how many labelled posts it was learned from: for ``add``, posts labelled
    with the theme that hold the term; otherwise the posts not labelled with the theme
    that it untags. Suggestions are hashable
    (by everything but ``before`` and ``after``), so they can key a dict or sit in a set.
    """

    theme: str
    action: str
    term: str
    gained: tuple[str, ...]
    lost: tuple[str, ...]
    before: dict = field(hash=False)
    after: dict = field(hash=False)
    support: int
    label: str = ""
    guards: str = ""

    @property
    def f1_change(self) -> float:
        """Cross-validated F1 after less before."""
        return self.after["f1"] - self.before["f1"]

    @property
    def text(self) -> str:
        """One plain sentence: what to do, to which posts, and the estimated effect."""
        label = self.label or self.theme
        what = {
            "add": f"Add “{self.term}” to {label}",
            "drop": f"Drop “{self.term}” from {label}",
            "exclude": f"Exclude “{self.term}” in {label}, so “{self.guards}” does not count "
            "inside it",
            "context": f"Make “{self.term}” a context term of {label}",
        }[self.action]
        changes = []
        if self.gained:
            changes.append(f"{count(len(self.gained))} gain it")
        if self.lost:
            changes.append(f"{count(len(self.lost))} lose it")
        effect = " and ".join(changes) or "no labelled post changes"
        before, after = decimal(self.before["f1"]), decimal(self.after["f1"])
        verdict = (
            f"cross-validated F1 {before} → {after}"
            if before != after
            else f"cross-validated F1 stays {before}"
        )
        return f"{what}: {effect} ({verdict}; learned from {count(self.support, 'labelled post')})."

    def apply(self, codebook: Codebook) -> Codebook:
        """``codebook`` with this edit made, as What if? makes it (version ``+what-if``).

        Raises :class:`~analysis.codebook.CodebookError` as the What if? edit would (an
        unknown theme, a term the theme no longer lists, a theme left with no term).
        """
        if self.action == "add":
            return add_terms(codebook, self.theme, [self.term])
        if self.action == "drop":
            return remove_terms(codebook, self.theme, [self.term])
        if self.action == "exclude":
            return add_exclusions(codebook, self.theme, [self.term])
        if self.action == "context":  # the term moves from terms to context terms
            return whatif.add_context_terms(codebook, self.theme, [self.term])
        raise ValueError(f"unknown action {self.action!r}")


# --- turning words into terms -------------------------------------------------------------------


def stem(word: str) -> str:
    """A light stem for grouping a word's forms: plural, -ed and -ing endings and a final
    ``e`` go (houses, housing and house all give ``hous``); nothing else is touched."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def term_for(forms: Sequence[str]) -> str | None:
    """The codebook term for a group of forms of one word: the word itself for one form,
    their common beginning with ``*`` for several (``recruit``, ``recruiting`` and
    ``recruits`` give ``recruit*``), or None when that beginning is shorter than
    :data:`MIN_STEM` letters or the term would be outside the term language.

    The term matches each of ``forms`` as a whole word (a test checks it)."""
    forms = sorted({f.lower() for f in forms})
    if not forms:
        return None
    if len(forms) == 1:
        term = forms[0]
    else:
        prefix = forms[0]
        for form in forms[1:]:
            while not form.startswith(prefix):
                prefix = prefix[:-1]
        if len(prefix) < MIN_STEM or not re.fullmatch(r"\w+", prefix):
            return None
        term = prefix + "*"
    return term if term_problem(term) is None else None


def _runs(text: str) -> list[list[str]]:
    """Runs of lower-case words between punctuation."""
    return [_WORD.findall(part) for part in _BREAK.split(text.lower())]


def _words(text: str) -> list[str]:
    """Every word (the word vectoriser's analyzer)."""
    return [word for words in _runs(text) for word in words]


def _phrases(text: str) -> list[str]:
    """Every two- and three-word phrase within a run (the phrase vectoriser's analyzer)."""
    out = []
    for words in _runs(text):
        for n in range(2, MAX_PHRASE_WORDS + 1):
            out.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return out


# --- the labelled posts, vectorised once ---------------------------------------------------------


@dataclass
class _Data:
    posts: pd.DataFrame  # labelled posts, in the posts' order
    ids: np.ndarray
    themes: list[str]
    y: np.ndarray  # posts x themes, labels
    joined: str  # every post's lower-cased fields, posts apart by NUL (no term matches across)
    starts: np.ndarray  # where each post starts in ``joined``
    base: object  # TagResult of the codebook
    pred: np.ndarray  # posts x themes, the codebook's tags
    terms: list[str]  # candidate terms to add, columns of `present`
    present: sparse.csc_matrix  # posts x terms, 1 where the term's word or phrase is found
    phrase_cols: dict[str, list[int]]  # word -> columns of vocabulary phrases holding it
    vocab: np.ndarray
    x: sparse.csc_matrix  # posts x vocabulary
    guard_cache: dict = field(default_factory=dict)

    def found(self, term: str) -> np.ndarray:
        """Posts in which ``term`` matches somewhere (one scan of all the text)."""
        rows = np.zeros(len(self.ids), dtype=bool)
        # Without the leading \b the expression starts with a literal, which re finds fast;
        # matches inside a word only add posts that are then tagged and found unchanged.
        ends = [m.start() for m in re.finditer(term_regex(term, head=False), self.joined)]
        if ends:
            rows[np.searchsorted(self.starts, ends, side="right") - 1] = True
        return rows


def _prepare(posts: pd.DataFrame, labels: pd.DataFrame, codebook: Codebook) -> _Data | None:
    from sklearn.feature_extraction.text import CountVectorizer

    themes = [t for t in codebook.ids if t in labels.columns]
    by_id = labels.assign(id=labels["id"].astype(str)).drop_duplicates("id").set_index("id")
    chosen = posts[posts["id"].astype(str).isin(by_id.index)]
    if len(chosen) < 2 or not themes:
        return None
    chosen = chosen.reset_index(drop=True)
    ids = chosen["id"].astype(str).to_numpy()
    y = by_id.loc[ids, themes].eq(True).to_numpy()  # a missing label (NaN) is not a yes
    fields = [chosen[f].fillna("").astype(str) for f in FIELDS if f in chosen.columns]
    texts = ["\n".join(parts).lower() for parts in zip(*fields, strict=True)]
    base = ThemeTagger(codebook).fit().tag(chosen)
    pred = base.tags[themes].to_numpy(dtype=bool)
    # Words are read wherever they are found, so a form found once still joins its stem;
    # phrases only when found in MIN_DF posts.
    matrices, names = [], []
    for analyzer, min_df in ((_words, 1), (_phrases, min(MIN_DF, len(chosen)))):
        vectoriser = CountVectorizer(analyzer=analyzer, binary=True, min_df=min_df)
        try:
            matrices.append(vectoriser.fit_transform(texts))
        except ValueError:  # no words, or no phrase in enough posts
            continue
        names.append(vectoriser.get_feature_names_out())
    if not matrices:
        return None
    x = sparse.hstack(matrices).tocsc()
    vocab = np.concatenate(names)
    stop = _stop_words()
    # Words to add: grouped by stem, each group one term (a stem with * or the word).
    groups: dict[str, list[int]] = {}
    phrase_cols: dict[str, list[int]] = {}
    columns: list[list[int]] = []
    terms: list[str] = []
    for col, gram in enumerate(vocab):
        words = gram.split(" ")
        if len(words) == 1:
            if len(gram) >= MIN_WORD and gram not in stop and "'" not in gram:
                groups.setdefault(stem(gram), []).append(col)
            continue
        for word in set(words):
            phrase_cols.setdefault(word, []).append(col)
        if words[0] in stop or words[-1] in stop or len(set(words)) < len(words):
            continue
        if any(len(w) < 2 for w in words) or term_problem(gram) is not None:
            continue
        terms.append(gram)
        columns.append([col])
    # Words: each on its own, and stems with * (what a * term matches is every word
    # read that starts with its stem): a stem the forms of one word share (hous* for
    # house, houses and housing), and a word of MIN_PREFIX letters or more that begins
    # another (ethnic* for ethnic and ethnicity); not a beginning that is no word
    # (inter* for interview and interest would read oddly and match too much).
    words = sorted((str(vocab[c]), c) for cols in groups.values() for c in cols)
    every = sorted((str(w), c) for c, w in enumerate(vocab) if " " not in w)
    every_words = [w for w, _ in every]
    stems = {term_for([vocab[c] for c in cols]) for cols in groups.values() if len(cols) > 1}
    for (first, _), (second, _) in itertools.pairwise(words):
        if len(first) >= MIN_PREFIX and second.startswith(first):
            stems.add(first + "*")
    for word, col in words:
        terms.append(word)
        columns.append([col])
    for term in sorted(t for t in stems if t and term_problem(t) is None):
        prefix = term[:-1]
        start = bisect.bisect_left(every_words, prefix)
        end = bisect.bisect_left(every_words, prefix + "\U0010ffff")
        terms.append(term)
        columns.append([c for _, c in every[start:end]])
    rows = [c for cols in columns for c in cols]
    owner = [n for n, cols in enumerate(columns) for _ in cols]
    grouping = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, owner)), shape=(len(vocab), len(terms))
    )
    present = ((x @ grouping) > 0).astype(np.float64).tocsc()
    return _Data(
        posts=chosen,
        ids=ids,
        themes=themes,
        y=y,
        joined="\0".join(texts),
        starts=np.cumsum([0] + [len(t) + 1 for t in texts[:-1]]),
        base=base,
        pred=pred,
        terms=terms,
        present=present,
        phrase_cols=phrase_cols,
        vocab=vocab,
        x=x,
    )


# --- learning candidates from training posts ----------------------------------------------------


def _f1(tp, fp, fn):
    tp, fp, fn = (np.asarray(v, dtype=float) for v in (tp, fp, fn))
    denominator = 2 * tp + fp + fn
    return np.divide(2 * tp, denominator, out=np.zeros_like(denominator), where=denominator > 0)


def _scores(y: np.ndarray, pred: np.ndarray) -> dict:
    tp = int((y & pred).sum())
    fp = int((~y & pred).sum())
    fn = int((y & ~pred).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": precision, "recall": recall, "f1": float(_f1(tp, fp, fn))}


@dataclass(frozen=True)
class _Candidate:
    theme: str
    action: str
    term: str
    guards: str
    support: int
    rank: float


def _term_columns(data: _Data, codebook: Codebook, theme_id: str) -> dict[str, np.ndarray]:
    """Each term of the theme -> the posts' score from it alone (all fields, weighted)."""
    hits, phrases = data.base.hits, data.base.phrases
    weights = codebook.field_weights
    out = {}
    for term in codebook.theme(theme_id).terms:
        if term not in phrases:
            continue
        col = phrases.index(term)
        out[term] = sum(
            weights[field] * np.asarray(matrix[:, col].todense()).ravel()
            for field, matrix in hits.items()
        )
    return out


def _learn(
    data: _Data, codebook: Codebook, train: np.ndarray, cap: int, contributions: dict
) -> list[_Candidate]:
    """The candidates learned from the posts where ``train`` is True, ``cap`` per kind and theme."""
    found: list[_Candidate] = []
    present = data.present
    scores = data.base.scores
    for n, theme_id in enumerate(data.themes):
        theme = codebook.theme(theme_id)
        y, pred = data.y[:, n], data.pred[:, n]
        pos, neg = y & train, ~y & train
        tp, fp, fn = (pos & pred).sum(), (neg & pred).sum(), (pos & ~pred).sum()
        f1 = float(_f1(tp, fp, fn))
        # add: words and phrases found in positives the codebook misses
        m = present.T @ (pos & ~pred).astype(float)
        a = present.T @ pos.astype(float)
        b = present.T @ neg.astype(float)
        b_new = present.T @ (neg & ~pred).astype(float)
        new_f1 = _f1(tp + m, fp + b_new, fn - m)
        odds = np.log((a + 0.5) / (pos.sum() - a + 0.5)) - np.log((b + 0.5) / (neg.sum() - b + 0.5))
        specific = a >= MIN_PRECISION * (a + b)
        ok = (m >= 1) & (a >= MIN_SUPPORT) & specific & (new_f1 > f1 + 1e-12)
        order = sorted(np.flatnonzero(ok), key=lambda j: (-new_f1[j], -odds[j], data.terms[j]))
        taken = 0
        for j in order:
            if data.terms[j] in theme.terms:
                continue
            found.append(
                _Candidate(theme_id, "add", data.terms[j], "", int(a[j]), float(new_f1[j]))
            )
            taken += 1
            if taken >= cap:
                break
        # drop and exclude: the theme's terms that tag posts not labelled with it
        score = scores[theme_id].to_numpy()
        drops, excludes, contexts = [], [], []
        for term, alone in contributions[theme_id].items():
            lost = pred & ~codebook.applies(score - alone) & (alone > 0)
            lost_neg, lost_pos = (lost & neg).sum(), (lost & pos).sum()
            if lost_neg < MIN_SUPPORT:
                continue
            # context: the term stops counting alone, but still counts beside another of
            # the theme's terms; offered for a term found so in the theme's own posts
            # (else it would only ever be dropped).
            others = (score - alone) > 0
            if _CONTEXT and len(theme.terms) > 1 and (pos & (alone > 0) & others).any():
                alone_only = pred & (alone > 0) & ~others
                c_neg, c_pos = (alone_only & neg).sum(), (alone_only & pos).sum()
                new = float(_f1(tp - c_pos, fp - c_neg, fn + c_pos))
                if c_neg >= MIN_SUPPORT and new > f1 + 1e-12:
                    contexts.append(_Candidate(theme_id, "context", term, "", int(c_neg), new))
            if len(theme.terms) > 1:
                new = float(_f1(tp - lost_pos, fp - lost_neg, fn + lost_pos))
                if new > f1 + 1e-12:
                    drops.append(_Candidate(theme_id, "drop", term, "", int(lost_neg), new))
            for phrase, inside in _guards(data, term):
                gone = lost & inside
                g_neg, g_pos = (gone & neg).sum(), (gone & pos).sum()
                if g_neg < MIN_SUPPORT:
                    continue
                new = float(_f1(tp - g_pos, fp - g_neg, fn + g_pos))
                if new > f1 + 1e-12:
                    excludes.append(_Candidate(theme_id, "exclude", phrase, term, int(g_neg), new))
        for kind in (contexts, drops, excludes):
            kind.sort(key=lambda c: (-c.rank, -c.support, len(c.term), c.term))
            found.extend(kind[:cap])
    return found


def _guards(data: _Data, term: str) -> list[tuple[str, np.ndarray]]:
    """Phrases of the posts holding a match of ``term``, each with the posts it is in."""
    cached = data.guard_cache
    if term in cached:
        return cached[term]
    first = re.split(r"[ \-]", term)[0]
    if first.endswith("*"):
        words = [w for w in data.phrase_cols if w.startswith(first[:-1])]
    else:
        words = [first] if first in data.phrase_cols else []
    pattern = re.compile(term_regex(term))
    out = []
    for col in sorted({c for w in words for c in data.phrase_cols[w]}):
        phrase = str(data.vocab[col])
        if not pattern.search(phrase) or term_problem(phrase) is not None:
            continue
        if normalise(phrase) == term:
            continue
        inside = np.asarray(data.x[:, col].todense()).ravel() > 0
        out.append((phrase, inside))
    cached[term] = out
    return out


def normalise(phrase: str) -> str:
    return " ".join(phrase.split())


# --- measuring a candidate exactly --------------------------------------------------------------


def _effect(
    data: _Data, codebook: Codebook, candidate: _Candidate
) -> tuple[Codebook, np.ndarray] | None:
    """The edited codebook and its tags for the candidate's theme on every labelled post;
    None when the edit cannot be made or would change another theme's tags."""
    suggestion = Suggestion(candidate.theme, candidate.action, candidate.term, (), (), {}, {}, 0)
    try:
        edited = suggestion.apply(codebook)
    except CodebookError:
        return None
    # Only posts where the term (or the exclusion) is found can change.
    rows = data.found(candidate.term)
    tags = data.pred.copy()
    if rows.any():
        after = ThemeTagger(edited).fit().tag(data.posts[rows]).tags
        tags[rows] = after[data.themes].to_numpy(dtype=bool)
    n = data.themes.index(candidate.theme)
    others = np.ones(len(data.themes), dtype=bool)
    others[n] = False
    if (tags[:, others] != data.pred[:, others]).any():
        return None
    return edited, tags[:, n]


# --- the public functions -----------------------------------------------------------------------


def suggest(
    posts: pd.DataFrame,
    labels: pd.DataFrame,
    codebook: Codebook,
    *,
    folds: int = 5,
    per_theme: int = 5,
    random_state: int = 0,
) -> list[Suggestion]:
    """Ranked suggestions for the codebook from labelled posts, best first.

    ``posts`` have ``id``, ``title`` and ``summary`` and/or ``text`` columns; ``labels`` is
    the frame :func:`analysis.metrics.load_labels` gives (``id`` and one boolean column per
    theme id). Only posts with a label row, and themes with a label column, are used.
    At most ``per_theme`` suggestions per theme; ``before``/``after`` are estimated by
    ``folds``-fold cross-validation (see the module docstring for exactly what). Ranked by
    the rise in cross-validated F1, then by support; suggestions that would lower it are
    left out. [] with fewer than two labelled posts.
    """
    from sklearn.model_selection import KFold

    data = _prepare(posts, labels, codebook)
    if data is None:
        return []
    n_posts = len(data.ids)
    cap = max(MIN_CANDIDATES, 3 * per_theme)
    contributions = {t: _term_columns(data, codebook, t) for t in data.themes}
    everything = np.ones(n_posts, dtype=bool)
    candidates = _learn(data, codebook, everything, cap, contributions)
    splits = KFold(n_splits=max(2, min(folds, n_posts)), shuffle=True, random_state=random_state)
    learned = []
    for train_index, test_index in splits.split(data.ids):
        train = np.zeros(n_posts, dtype=bool)
        train[train_index] = True
        keys = {
            (c.theme, c.action, c.term) for c in _learn(data, codebook, train, cap, contributions)
        }
        learned.append((keys, test_index))
    befores = {t: _scores(data.y[:, n], data.pred[:, n]) for n, t in enumerate(data.themes)}
    results: dict[str, list[Suggestion]] = {t: [] for t in data.themes}
    for candidate in candidates:
        effect = _effect(data, codebook, candidate)
        if effect is None:
            continue
        n = data.themes.index(candidate.theme)
        tags = effect[1]
        base = data.pred[:, n]
        held_out = base.copy()
        key = (candidate.theme, candidate.action, candidate.term)
        for keys, test_index in learned:
            if key in keys:
                held_out[test_index] = tags[test_index]
        after = _scores(data.y[:, n], held_out)
        if after["f1"] < befores[candidate.theme]["f1"] - 1e-12:
            continue
        support = candidate.support
        if candidate.action != "add":  # the wrongly tagged posts it untags, exactly
            support = int((base & ~tags & ~data.y[:, n]).sum())
            if not support:
                continue
        results[candidate.theme].append(
            Suggestion(
                theme=candidate.theme,
                action=candidate.action,
                term=candidate.term,
                gained=tuple(data.ids[tags & ~base]),
                lost=tuple(data.ids[base & ~tags]),
                before=befores[candidate.theme],
                after=after,
                support=support,
                label=codebook.theme(candidate.theme).label,
                guards=candidate.guards,
            )
        )
    chosen = []
    for theme_id in data.themes:
        seen: set[tuple] = set()  # two suggestions with the same effect: keep the better
        for suggestion in sorted(results[theme_id], key=_order):
            effect = (suggestion.gained, suggestion.lost)
            if effect in seen or len(seen) >= per_theme:
                continue
            seen.add(effect)
            chosen.append(suggestion)
    order = {t: n for n, t in enumerate(data.themes)}
    return sorted(chosen, key=lambda s: (*_order(s)[:2], order[s.theme], *_order(s)[2:]))


def _order(s: Suggestion) -> tuple:
    words = len(re.split(r"[ \-]", s.term))
    return (
        -round(s.f1_change, 9),
        -s.support,
        PREFERENCE.index(s.action),
        words,
        len(s.term),
        s.term,
    )


def improved(
    codebook: Codebook, suggestions: Iterable[Suggestion], labels: pd.DataFrame | None = None
) -> Codebook:
    """``codebook`` with every suggestion that raises cross-validated F1 applied, best
    first. An edit that no longer applies (dropping a term already dropped) is passed over,
    as is an exclusion guarding a term already dropped. Their effects were estimated one at
    a time, not together.

    With ``labels`` (those the suggestions were learned from), terms to add that
    cross-validation cannot judge are applied too, after those: a term found in only a few
    labelled posts is never learned while they are held out, so its cross-validated F1
    stays as it was (``after == before``) however specific it is. Such a term is added
    when it was learned from at least :data:`MIN_SUPPORT` posts labelled with the theme
    and every labelled post it gains is labelled with the theme (black, racis*: precise
    on every post they were seen in, but in too few for a held-out one to hold them).
    """
    return improvements(codebook, suggestions, labels)[0]


def improvements(
    codebook: Codebook, suggestions: Iterable[Suggestion], labels: pd.DataFrame | None = None
) -> tuple[Codebook, tuple[Suggestion, ...]]:
    """:func:`improved`'s codebook, and the suggestions it made, in the order made (those
    passed over, as no longer applying, are left out)."""
    suggestions = list(suggestions)
    rising = [s for s in sorted(suggestions, key=_order) if s.f1_change > 1e-12]
    unjudged = [] if labels is None else _unjudged(suggestions, labels)
    result, made = codebook, []
    for suggestion in [*rising, *unjudged]:
        if (edited := _applied(result, suggestion)) is not None:
            result = edited
            made.append(suggestion)
    return result, tuple(made)


def _unjudged(suggestions: list[Suggestion], labels: pd.DataFrame) -> list[Suggestion]:
    """The terms to add that cross-validation could not judge and that are right on every
    labelled post they gain, best supported first (see :func:`improved`)."""
    by_id = labels.assign(id=labels["id"].astype(str)).drop_duplicates("id").set_index("id")
    out = []
    for s in suggestions:
        if s.action != "add" or abs(s.f1_change) > 1e-12 or s.support < MIN_SUPPORT:
            continue
        if not s.gained or s.theme not in by_id.columns:
            continue
        truth = by_id[s.theme].reindex(list(s.gained))
        if truth.eq(True).all():  # a post without a label row, or a NaN label, is no yes
            out.append(s)
    return sorted(out, key=lambda s: (-s.support, *_order(s)[2:]))


def _applied(codebook: Codebook, suggestion: Suggestion) -> Codebook | None:
    """``codebook`` with ``suggestion`` made, or None when it no longer applies."""
    if suggestion.action == "exclude" and not _lists(codebook, suggestion):
        return None  # the term it guards has been dropped already
    if suggestion.action == "add" and _covered(codebook, suggestion):
        return None  # a term added before matches it already (patient* before patients)
    try:
        return suggestion.apply(codebook)
    except CodebookError:
        return None


def _lists(codebook: Codebook, suggestion: Suggestion) -> bool:
    try:
        return suggestion.guards in codebook.theme(suggestion.theme).terms
    except KeyError:
        return False


def _covered(codebook: Codebook, suggestion: Suggestion) -> bool:
    """Whether a term the theme lists already says what the term to add says: one that
    matches inside it (patient* in patients, ethnic* in ethnic minority: every post it would
    find is found already), or, for a stem, a listed word that the stem matches whole
    (patients before patient*: the stem only widens a word that was applied first, as better
    or better supported, and listing both says one thing twice). A stem that reaches beyond
    a listed phrase (eviction* beside eviction notices) is not covered."""
    text = suggestion.term.rstrip("*")
    stem = re.compile(term_regex(suggestion.term)) if suggestion.term.endswith("*") else None
    return any(
        re.search(term_regex(term), text) or (stem is not None and stem.fullmatch(term))
        for term in codebook.theme(suggestion.theme).terms
        if term != suggestion.term
    )


def labels_from_reviews(
    posts: pd.DataFrame, current: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """Reviewers' latest decisions as a labels frame, for :func:`suggest`.

    ``current`` is :meth:`analysis.review_store.ReviewStore.current` (``post_id``, ``theme``,
    ``value``). One row per post of ``posts`` with at least one decision, in the posts'
    order: ``id``, one boolean column per theme id and ``note``. A theme decided on takes
    the reviewer's value; one not decided on keeps the codebook's tag (the reviewer saw it
    and let it stand), as :func:`analysis.review.reviewed_tags` reads them.
    """
    from analysis.review import reviewed_tags

    machine = ThemeTagger(codebook).fit().tag(posts).tags[codebook.ids]
    tags = reviewed_tags(posts, machine, current)
    known = current["post_id"].astype(str).isin(posts["id"].astype(str)) & current["theme"].isin(
        codebook.ids
    )
    reviewed = posts["id"].astype(str).isin(set(current.loc[known, "post_id"].astype(str)))
    labels = pd.DataFrame({"id": posts.loc[reviewed, "id"].astype(str).to_numpy()})
    for theme_id in codebook.ids:
        labels[theme_id] = tags.loc[reviewed, theme_id].to_numpy(dtype=bool)
    labels["note"] = "from reviews"
    return labels
