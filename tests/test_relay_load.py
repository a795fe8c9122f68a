"""A small bench/load.py in the suite: pairs of phones against real relay processes while
phones come and go, a relay process is SIGKILLed and started again, and (on PostgreSQL, with
two relay processes) the database restarts. Nothing may be lost, applied twice or delivered
to anyone else. Figures of time are the bench's to print, never asserted here."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

LOAD = Path(__file__).resolve().parents[1] / "bench" / "load.py"


@pytest.mark.slow
@pytest.mark.parametrize("engine, processes", [("sqlite", 1), ("postgresql", 2)])
def test_nothing_is_lost_or_applied_twice_through_kills_and_restarts(engine, processes, postgres_server):
    # postgres_server: asked for so a machine without PostgreSQL fails here, as the suite's other
    # PostgreSQL tests do; the load run starts a durable server of its own.
    done = subprocess.run([sys.executable, str(LOAD), "--pairs", "6", "--seconds", "6", "--drain", "60",
                           "--interval", "0.3", "--warmup", "1", "--settle", "0", "--engine", engine, "--processes", str(processes), "--kills", "1"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["sent"] > 0 and result["kills_survived"] == 1
    assert result["lost"] == 0 and result["duplicated_applied"] == 0 and result["misdelivered"] == 0
    assert result["phone_failures"] == 0
    if engine == "postgresql":
        assert result["pg_restarts"] == 1
