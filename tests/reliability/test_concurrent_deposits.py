"""Parallel deposits behave alike on the embedded SQLite and on PostgreSQL: one flow per
content (the others answered with it), duplicates refused, no flow left unfinished."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from invoices.enums import FlowItemStatus, FlowStatus
from tests.reliability.concurrent_deposits import DEPOSITS, scenario

ROOT = Path(__file__).resolve().parents[2]


def _check(result: dict) -> None:
    identical, same_number = result["identical"], result["same_number"]
    assert [outcome for outcome, _ in identical + same_number if outcome == "error"] == [], result
    # Five identical deposits: one flow, the four others answered with it.
    assert sorted(outcome for outcome, _ in identical) == ["answered"] * 4 + ["created"]
    assert len({flow for _, flow in identical}) == 1
    # Five invoices numbered alike: five flows, one integrated, four refused as duplicates.
    assert [outcome for outcome, _ in same_number] == ["created"] * DEPOSITS
    flows = {int(pk): status for pk, status in result["flows"].items()}
    assert len(flows) == 1 + DEPOSITS
    assert set(flows.values()) <= FlowStatus.final(), flows  # none left unfinished
    numbered = sorted(flows[flow] for _, flow in same_number)
    assert numbered == [FlowStatus.INTEGRE] + [FlowStatus.REJETE] * (DEPOSITS - 1)
    refused = [rules for _, status, rules in result["items"] if status == FlowItemStatus.REFUSEE]
    assert refused == [["CPP-011"]] * (DEPOSITS - 1)
    assert result["invoices"] == ["FA-1", "FA-2"]


def test_parallel_deposits_on_a_sqlite_file(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"}
    } | {"MEDIA_ROOT": str(tmp_path / "media"), "CHORUS_FAST_PASSWORD_HASHER": "true"}
    completed = subprocess.run(
        [sys.executable, "-m", "tests.reliability.concurrent_deposits", str(tmp_path / "db")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    _check(json.loads(completed.stdout.strip().splitlines()[-1]))


@pytest.mark.django_db(transaction=True)
def test_parallel_deposits_on_postgresql(settings):
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://..., as CI does)")
    _check(json.loads(json.dumps(scenario())))
