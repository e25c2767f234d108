"""The alert-repeat decision (dags/scoreline/repeats.py): a pure function, no Airflow needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scoreline.repeats import decide, duration, incident_start, variable

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
KEY = "predict exit 5"


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def state(key=KEY, first_at=T0, last_sent_at=T0, suppressed=0) -> dict:
    return {
        "key": key,
        "first_at": first_at.isoformat(),
        "last_sent_at": last_sent_at.isoformat(),
        "suppressed": suppressed,
    }


def test_one_variable_per_dag():
    assert variable("scoreline_batch") == "scoreline_alert_state__scoreline_batch"


def test_first_failure_alerts_and_starts_the_incident():
    d = decide(None, KEY, T0, 60)
    assert (d.send, d.state, d.note) == (True, state(), "")


def test_the_same_failure_within_the_interval_is_suppressed_and_counted():
    d = decide(state(), KEY, minutes(5), 60)
    assert not d.send
    assert d.state == state(suppressed=1)  # first_at and last_sent_at unchanged
    assert "same failure (predict exit 5)" in d.note and "08:00 UTC" in d.note
    assert "1 suppressed, next alert from 2026-03-01 09:00 UTC" in d.note
    d = decide(d.state, KEY, minutes(10), 60)
    assert (d.send, d.state["suppressed"]) == (False, 2)


def test_the_same_failure_after_the_interval_alerts_again_saying_since_when():
    d = decide(state(suppressed=11), KEY, minutes(60), 60)
    assert d.send
    assert d.state == state(last_sent_at=minutes(60), suppressed=0)
    assert d.note == (
        "Still failing since 2026-03-01 08:00 UTC (1 h 0 min); "
        "11 alerts suppressed since 2026-03-01 08:00 UTC."
    )
    # the next interval counts from the repeat, the incident still from its start
    d = decide(d.state, KEY, minutes(65), 60)
    assert (d.send, d.state["first_at"], d.state["suppressed"]) == (False, T0.isoformat(), 1)


def test_a_different_failure_alerts_at_once_and_starts_a_new_incident():
    for other in ("fetch exit 3", "predict exit 1"):
        d = decide(state(suppressed=4), other, minutes(5), 60)
        assert (d.send, d.state, d.note) == (True, state(other, minutes(5), minutes(5)), "")


@pytest.mark.parametrize("repeat", [0, 0.0])
def test_repeat_zero_alerts_every_run(repeat):
    d = decide(state(), KEY, minutes(5), repeat)
    assert d.send and d.state == state(last_sent_at=minutes(5))
    assert d.note == "Still failing since 2026-03-01 08:00 UTC (5 min)."


@pytest.mark.parametrize("repeat", [-1, "60", None, True])
def test_an_invalid_repeat_setting_alerts_every_run(repeat):
    assert decide(state(), KEY, minutes(5), repeat).send


def test_fractional_minutes():
    assert not decide(state(), KEY, minutes(0.4), 0.5).send
    assert decide(state(), KEY, minutes(0.5), 0.5).send


@pytest.mark.parametrize(
    "corrupt",
    [
        "not a dict",
        [],
        {},
        {"key": KEY},
        {**state(), "key": 5},
        {**state(), "first_at": "yesterday"},
        {**state(), "last_sent_at": None},
        {**state(), "suppressed": -1},
        {**state(), "suppressed": "3"},
        {**state(), "suppressed": True},
        state(first_at=T0.replace(tzinfo=None), last_sent_at=T0.replace(tzinfo=None)),
        state(last_sent_at=minutes(30)),  # from the future (as seen at minute 5)
        state(first_at=minutes(1), last_sent_at=T0),  # began after it was last sent
    ],
)
def test_a_corrupt_state_counts_as_none_so_the_alert_is_sent(corrupt):
    d = decide(corrupt, KEY, minutes(5), 60)
    assert (d.send, d.state, d.note) == (
        True,
        state(first_at=minutes(5), last_sent_at=minutes(5)),
        "",
    )
    assert incident_start(corrupt, minutes(5)) is None


def test_incident_start():
    assert incident_start(state(last_sent_at=minutes(60)), minutes(90)) == T0
    assert incident_start(None, T0) is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(-3, "0 s"), (40, "40 s"), (60, "1 min"), (12 * 60 + 59, "12 min"), (3900, "1 h 5 min")],
)
def test_duration(seconds, text):
    assert duration(timedelta(seconds=seconds)) == text
