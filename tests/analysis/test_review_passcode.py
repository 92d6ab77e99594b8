"""analysis.review_passcode: who may record review decisions, and how often a session may guess."""

from __future__ import annotations

import pytest

from analysis import review_passcode
from analysis.review_passcode import (
    PasscodeAttempts,
    configured_passcode,
    passcode_ok,
)


@pytest.mark.parametrize(
    ("given", "expected", "ok"),
    [
        ("anchor-2024", "anchor-2024", True),
        ("crème brûlée", "crème brûlée", True),  # compared as UTF-8 bytes
        ("anchor-2023", "anchor-2024", False),
        ("anchor-2024 ", "anchor-2024", False),
        ("", "anchor-2024", False),
        (None, "anchor-2024", False),
        ("", "", False),  # no passcode configured never unlocks
        (None, None, False),
        ("anything", None, False),
    ],
)
def test_passcode_ok(given, expected, ok):
    assert passcode_ok(given, expected) is ok


def test_configured_passcode_prefers_secrets_then_env():
    env = {"ANCHOR_THEMES_REVIEW_PASSCODE": "from-env"}
    assert configured_passcode(env, {"review_passcode": "from-secrets"}) == "from-secrets"
    assert configured_passcode(env, {"review_passcode": ""}) == "from-env"
    assert configured_passcode(env, {"other": "x"}) == "from-env"
    assert configured_passcode(env, None) == "from-env"
    assert configured_passcode(env) == "from-env"
    assert configured_passcode({}, {"review_passcode": 1234}) == "1234"
    assert configured_passcode({}, {}) is None
    assert (
        configured_passcode({"ANCHOR_THEMES_REVIEW_PASSCODE": ""}, {"review_passcode": ""}) is None
    )


def test_configured_passcode_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "from-process")
    assert configured_passcode() == "from-process"
    monkeypatch.delenv("ANCHOR_THEMES_REVIEW_PASSCODE")
    assert configured_passcode() is None


def test_passcodes_are_compared_with_hmac_compare_digest(monkeypatch):
    calls = []
    real = review_passcode.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(review_passcode.hmac, "compare_digest", spy)
    assert passcode_ok("anchor-2024", "anchor-2024")
    assert not passcode_ok("anchor", "anchor-2024")
    assert len(calls) == 2
    # Digests of equal length, so a guess's length does not show in the comparison's time.
    assert {len(a) for a, b in calls} == {len(b) for a, b in calls} == {32}


# --- attempts --------------------------------------------------------------------------------


def wrong_tries(count: int, start: float = 0.0) -> tuple[PasscodeAttempts, list[int]]:
    """``count`` wrong passcodes, one a second from ``start``; the state and each try's wait."""
    tries, waits = PasscodeAttempts(), []
    for n in range(count):
        result = tries.attempt("guess", "secret", now=start + n)
        assert not result.unlocked
        tries = result.attempts
        waits.append(result.wait)
    return tries, waits


def test_four_wrong_passcodes_are_free_and_the_fifth_locks_for_30_seconds():
    tries, waits = wrong_tries(5)
    assert waits == [0, 0, 0, 0, 30]
    # Locked at t=4 for 30 s: allowed again from t=34.
    assert tries.wait(now=4) == 30
    assert tries.wait(now=4.5) == 30  # whole seconds, rounded up
    assert tries.wait(now=33.2) == 1
    assert tries.wait(now=34) == 0


def test_a_locked_session_refuses_even_the_right_passcode_until_the_wait_is_over():
    tries, _ = wrong_tries(5)
    refused = tries.attempt("secret", "secret", now=20)
    assert not refused.unlocked
    assert refused.wait == 14
    assert refused.attempts == tries  # a refused try neither counts nor extends the wait
    allowed = tries.attempt("secret", "secret", now=34)
    assert allowed.unlocked and allowed.wait == 0


def test_each_wrong_passcode_after_a_wait_doubles_it_up_to_the_cap():
    tries, _ = wrong_tries(5)
    now, waits = 4.0, []
    for _ in range(8):
        now += tries.wait(now)
        result = tries.attempt("guess", "secret", now=now)
        tries = result.attempts
        waits.append(tries.wait(now))
        assert result.wait == waits[-1]
    # Doubling would give 960 s next; a user is never told to wait more than 15 minutes.
    assert waits == [60, 120, 240, 480, 900, 900, 900, 900]


def test_the_right_passcode_starts_the_count_again():
    tries, _ = wrong_tries(4)
    result = tries.attempt("secret", "secret", now=10)
    assert result.unlocked
    assert result.attempts == PasscodeAttempts()
    _, waits = wrong_tries(4, start=11)
    assert waits == [0] * 4


def test_a_try_with_no_passcode_configured_never_unlocks():
    result = PasscodeAttempts().attempt("", None, now=0)
    assert not result.unlocked
    assert result.attempts.failures == 1
