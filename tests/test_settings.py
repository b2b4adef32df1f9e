"""Settings are read when a function runs, not when a module is imported (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

import corridormap
from corridormap import settings

ROOT = Path(__file__).resolve().parents[1]
GEO, DATA = ROOT / "geo", ROOT / "data"


def test_year_range_changed_at_run_time_is_used_by_validate(monkeypatch: pytest.MonkeyPatch):
    assert corridormap.validate(GEO, DATA).ok
    monkeypatch.setattr(settings, "year_range", (2000, 2001))
    report = corridormap.validate(GEO, DATA)
    assert not report.ok
    # projects.csv dates CAGP line A's opening in 2009: outside the new range, named as such.
    outside = [e for e in report.errors if "is outside 2000-2001" in e]
    assert outside, report.errors[:5]
    assert any("projects.csv" in e and "opened" in e for e in outside)


def test_year_range_restored_validates_again(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(settings, "year_range", (2000, 2001))
    assert not corridormap.validate(GEO, DATA).ok
    monkeypatch.setattr(settings, "year_range", (1950, 2045))
    assert corridormap.validate(GEO, DATA).ok


def test_region_bbox_changed_at_run_time_is_used_by_validate(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(settings, "region_bbox", (70.0, 38.0, 80.0, 45.0))
    errors = corridormap.validate(GEO, DATA).errors
    assert any("70, 38, 80, 45" in e for e in errors), errors[:5]


def test_max_input_mb_changed_at_run_time_refuses_the_layers(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(settings, "max_input_mb", 0.001)
    errors = corridormap.validate(GEO, DATA).errors
    assert any("max_input_mb" in e for e in errors), errors[:5]
