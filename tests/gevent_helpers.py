"""Run a script in a process of its own under gevent's patches, as a serving relay's worker
runs: the committer groups jobs, and a worker stops, only there."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

SERVER = Path(__file__).resolve().parents[1] / "server"


def run_under_gevent(script: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    source = "from gevent import monkey\nmonkey.patch_all()\n" + textwrap.dedent(script)
    return subprocess.run([sys.executable, "-c", source, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={"PYTHONPATH": str(SERVER), "PATH": "/usr/bin:/bin"})


def last_json(run: subprocess.CompletedProcess) -> dict:
    """The script's last line of output, after checking that it ended well."""
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])
