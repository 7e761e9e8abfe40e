"""Celery beat's schedule (settings.py calls it): a static table that lives in code review and
needs no database table or admin to be correct. A pure function of the intervals it is given."""

from __future__ import annotations

DAY = 86400.0


def _every(task: str, seconds: float, expires: float | None = None) -> dict:
    """``task`` every ``seconds``; a run not started within ``expires`` (default: the interval) is dropped."""
    return {"task": task, "schedule": float(seconds), "options": {"expires": float(expires or seconds)}}


def beat_schedule(*, sweep_seconds: float, rollup_seconds: float, portal_fetch_seconds: float) -> dict:
    return {
        # The report rollup (reports/rollup.py): a no-op within a day, the closed day just after midnight.
        "refresh-report-rollup": _every("reports.refresh_rollup", rollup_seconds),
        "sweep-deadlines": _every("notifications.sweep_deadlines", sweep_seconds),
        "fire-viewflow-timers": _every("notifications.fire_viewflow_timers", sweep_seconds),
        "deliver-pending": _every("notifications.deliver_pending", 300),
        # Daily: delivered notifications and portal sync rows past ONESTOP_DELIVERED_RETENTION_DAYS.
        "purge-delivered-notifications": _every("notifications.purge_delivered", DAY, 3600),
        "purge-delivered-portal-rows": _every("portal.purge_delivered", DAY, 3600),
        # Daily: the packages of the quarter, six months and year just ended, built once each.
        "build-periodic-reports": _every("periodic.build_ended_periods", DAY, 3600),
        "portal-deliver-pending": _every("portal.deliver_pending", 60),
        "portal-fetch-online": _every("portal.fetch_online", portal_fetch_seconds),
    }
