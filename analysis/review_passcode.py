"""Who may record review decisions: the passcode, where it is configured, and how often
a session may guess it.

:func:`configured_passcode` reads the passcode from Streamlit secrets or the environment;
:func:`passcode_ok` compares a guess with it in constant time; :class:`PasscodeAttempts`
makes a session that keeps guessing wrong wait longer and longer. The words the Review
page says about it are the page's (``app_pages/review_wording.py``).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

#: Environment variable holding the passcode that unlocks recording decisions.
PASSCODE_ENV = "ANCHOR_THEMES_REVIEW_PASSCODE"
#: Key of the passcode in Streamlit secrets (``.streamlit/secrets.toml``).
PASSCODE_SECRET = "review_passcode"

#: Wrong passcodes a session may enter before it has to wait.
FREE_ATTEMPTS = 5
#: Seconds of the first wait; each wrong passcode after a wait doubles it, up to MAX_WAIT.
FIRST_WAIT = 30
MAX_WAIT = 15 * 60


def configured_passcode(
    environ: Mapping[str, str] = os.environ, secrets: Mapping | None = None
) -> str | None:
    """The passcode that unlocks recording decisions, or None when there is none.

    Parameters
    ----------
    environ : mapping, default ``os.environ``
        Read for ``ANCHOR_THEMES_REVIEW_PASSCODE``.
    secrets : mapping, optional
        Streamlit secrets (the dashboard passes them as a dict); its top-level
        ``review_passcode`` comes first.

    An empty value counts as unset, so an empty secret falls through to the
    environment. A number in ``secrets.toml`` (``review_passcode = 1234``) is
    read as its text.
    """
    for value in ((secrets or {}).get(PASSCODE_SECRET), environ.get(PASSCODE_ENV)):
        if value is not None and str(value) != "":
            return str(value)
    return None


def passcode_ok(given: str | None, expected: str | None) -> bool:
    """Whether ``given`` is the review passcode, compared in constant time.

    False when either is None or empty, so an unset passcode never unlocks
    anything. The comparison is :func:`hmac.compare_digest` of the SHA-256 digests of
    the UTF-8 bytes, so neither the content nor the length of the passcode shows in
    how long a wrong guess takes.
    """
    if not given or not expected:
        return False
    return hmac.compare_digest(_digest(given), _digest(expected))


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass(frozen=True)
class Attempt:
    """What one try at the passcode gave.

    Attributes
    ----------
    unlocked : bool
        Whether it unlocks editing.
    wait : int
        Whole seconds before the next try is allowed: 0 after the right passcode or a
        wrong one that is still free, else the wait this try earned or met.
    attempts : PasscodeAttempts
        The session's state after this try.
    """

    unlocked: bool
    wait: int
    attempts: PasscodeAttempts


@dataclass(frozen=True)
class PasscodeAttempts:
    """One session's tries at the review passcode, and the wait they have earned.

    The first :data:`FREE_ATTEMPTS` wrong passcodes only fail; the one that reaches the
    limit locks the session for :data:`FIRST_WAIT` seconds, and each wrong passcode after a
    wait locks it for twice as long as the last (30 s, 60 s, 120 s, ... up to
    :data:`MAX_WAIT`). While locked, a try is refused without looking at the passcode,
    so even the right one must wait. The right passcode, when allowed, starts the count
    again. Times are seconds on any monotonic clock (the page passes
    :func:`time.monotonic`; tests pass numbers), so the policy is pure and immutable:
    :meth:`attempt` returns the new state.

    Examples
    --------
    >>> tries = PasscodeAttempts()
    >>> for now in range(5):
    ...     result = tries.attempt("guess", "secret", now=now)
    ...     tries = result.attempts
    >>> result.wait
    30
    >>> tries.attempt("secret", "secret", now=10).unlocked
    False
    >>> tries.attempt("secret", "secret", now=34).unlocked
    True
    """

    failures: int = 0
    locked_until: float | None = None

    def wait(self, now: float) -> int:
        """Whole seconds before the next try is allowed; 0 when it is allowed now."""
        if self.locked_until is None:
            return 0
        return max(0, math.ceil(self.locked_until - now))

    def attempt(self, given: str | None, expected: str | None, now: float) -> Attempt:
        """Try ``given`` against ``expected`` (see :func:`passcode_ok`) at time ``now``."""
        wait = self.wait(now)
        if wait:
            return Attempt(False, wait, self)
        if passcode_ok(given, expected):
            return Attempt(True, 0, PasscodeAttempts())
        failures = self.failures + 1
        if failures < FREE_ATTEMPTS:
            return Attempt(False, 0, replace(self, failures=failures))
        wait = min(FIRST_WAIT * 2 ** (failures - FREE_ATTEMPTS), MAX_WAIT)
        return Attempt(False, wait, PasscodeAttempts(failures, now + wait))
