"""Lint in the test run: ruff for Python, and node's own module parser for every app file.

Ruff's rule set is small on purpose (pyproject.toml says why); a plain `node --check` reads
a .js file as a script and misses errors a browser then throws on load, such as the same
`const` declared twice in one function, so each module is parsed as a module.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "server", "tests", "bench", "docs"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_app_module_parses_as_a_module():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed for the app's tests (.ci/run installs it)")
    files = sorted(p for p in (ROOT / "pwa").rglob("*.js") if "vendor" not in p.parts)
    assert len(files) > 30, files
    broken = {}
    for path in files:
        done = subprocess.run([node, "--check", "--input-type=module"], input=path.read_bytes(),
                              capture_output=True)
        if done.returncode:
            broken[str(path.relative_to(ROOT))] = done.stderr.decode(errors="replace").strip().splitlines()[-1]
    assert not broken, broken
