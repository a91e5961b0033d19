"""Acceptance warnings shared by every writer: expired, and expiring within 30 days."""

from __future__ import annotations

import dataclasses
import datetime as dt

from threatplan.writers._common import acceptance_notices, expiring_acceptances


def _with_expiry(report, expires):
    systems = tuple(dataclasses.replace(s, findings=tuple(
        dataclasses.replace(f, acceptance={**f.acceptance, "expires": expires})
        if f.status == "accepted" else f for f in s.findings)) for s in report.systems)
    return dataclasses.replace(report, systems=systems)


def test_window_is_today_to_30_days(report):
    assert [a.days_left for a in expiring_acceptances(report)] == [10]
    for days, warned in [(0, True), (30, True), (31, False)]:
        r = _with_expiry(report, (report.today + dt.timedelta(days=days)).isoformat())
        assert bool(expiring_acceptances(r)) is warned, days


def test_date_objects_work_as_well_as_iso_strings(report):
    r = _with_expiry(report, report.today + dt.timedelta(days=1))
    assert any("tomorrow" in n for n in acceptance_notices(r))


def test_expired_come_first(report):
    notes = acceptance_notices(report)
    assert "expired on 2026-05-29" in notes[0] and "expires on 2026-06-11, in 10 days" in notes[1]


def test_notices_the_engine_already_gave_are_not_repeated(report):
    from threatplan.writers._common import all_notices
    said = ("model/webshop.yaml:80:5: accepted[0]: acceptance of auth.mfa on api expires on "
            "2026-06-11 (in 10 days)")
    notes = all_notices(dataclasses.replace(report, warnings=(said,)))
    assert notes[0] == said and len(notes) == 2  # plus the expired cookies.samesite one
    assert "cookies.samesite" in notes[1]
