"""No alert storm from a failure that persists: the decision, as a pure function.

While the same failure (same DAG, failed task and exit code; or the DAG's "stale") goes on,
only the first run alerts, then one run every ``alert_repeat_minutes`` (saying since when and
how many alerts were suppressed). A different failure alerts at once. The state is one small
JSON object per DAG (the Variable ``scoreline_alert_state__<dag_id>``, read and written by
:mod:`scoreline.alerts` when a callback runs)::

    {"key": "predict exit 5", "first_at": "2026-...+00:00", "last_sent_at": "...", "suppressed": 3}

Anything unexpected in it (missing, corrupt, from the future) counts as no state: the alert
is sent, since a duplicate is better than a lost alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

VARIABLE_PREFIX = "scoreline_alert_state__"


def variable(dag_id: str) -> str:
    return VARIABLE_PREFIX + dag_id


@dataclass(frozen=True)
class Decision:
    send: bool
    state: dict  # what to store for the next run
    note: str  # appended to the message when sent; the log line's reason when suppressed


def decide(state, key: str, now: datetime, repeat_minutes) -> Decision:
    """Whether this run's alert for failure ``key`` goes out, given the stored ``state``.

    ``repeat_minutes`` 0 (or anything that is not a non-negative number) alerts every run.
    """
    previous = parse(state, now)
    if previous is None or previous["key"] != key:
        return Decision(True, new_state(key, now, now, 0), "")
    first_at, last_sent_at, suppressed = (
        previous["first_at"],
        previous["last_sent_at"],
        previous["suppressed"],
    )
    since = f"since {stamp(first_at)} ({duration(now - first_at)})"
    if valid_minutes(repeat_minutes) and repeat_minutes > 0:
        next_at = last_sent_at + timedelta(minutes=repeat_minutes)
        if now < next_at:
            return Decision(
                False,
                new_state(key, first_at, last_sent_at, suppressed + 1),
                f"the same failure ({key}) as the alert sent at {stamp(last_sent_at)}, failing "
                f"{since}; {suppressed + 1} suppressed, next alert from {stamp(next_at)}",
            )
    note = f"Still failing {since}"
    if suppressed:
        note += f"; {suppressed} alert{'s' if suppressed != 1 else ''} suppressed since {stamp(last_sent_at)}"
    return Decision(True, new_state(key, first_at, now, 0), note + ".")


def incident_start(state, now: datetime) -> datetime | None:
    """When the stored incident began, or None (no state, or a corrupt one)."""
    previous = parse(state, now)
    return previous["first_at"] if previous else None


def new_state(key: str, first_at: datetime, last_sent_at: datetime, suppressed: int) -> dict:
    return {
        "key": key,
        "first_at": first_at.isoformat(),
        "last_sent_at": last_sent_at.isoformat(),
        "suppressed": suppressed,
    }


def parse(state, now: datetime) -> dict | None:
    """The stored state with datetimes, or None when it is missing or does not make sense."""
    if not isinstance(state, dict) or not isinstance(state.get("key"), str):
        return None
    suppressed = state.get("suppressed")
    if isinstance(suppressed, bool) or not isinstance(suppressed, int) or suppressed < 0:
        return None
    try:
        first_at = datetime.fromisoformat(state["first_at"])
        last_sent_at = datetime.fromisoformat(state["last_sent_at"])
        if not first_at <= last_sent_at <= now:  # also raises for naive datetimes
            return None
    except (KeyError, TypeError, ValueError):
        return None
    return {
        "key": state["key"],
        "first_at": first_at,
        "last_sent_at": last_sent_at,
        "suppressed": suppressed,
    }


def valid_minutes(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def duration(delta: timedelta) -> str:
    """1 h 5 min, 12 min, 40 s."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
