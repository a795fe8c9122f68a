"""Lint in the test run: ruff for Python, and node's own module parser for every app file.

Ruff's rule set is small on purpose (pyproject.toml says why); a plain `node --check` reads
a .js file as a script and misses errors a browser then throws on load, such as the same
`const` declared twice in one function, so each module is parsed as a module.
"""

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "server", "tests", "bench", "docs", "scripts"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_app_module_parses_as_a_module():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed for the app's tests (.ci/run installs it)")
    files = sorted(p for p in (ROOT / "pwa").rglob("*.js") if "vendor" not in p.parts)
    assert len(files) > 30, files

    def parse(path):
        done = subprocess.run([node, "--check", "--input-type=module"], input=path.read_bytes(), capture_output=True)
        return path, done.returncode, done.stderr.decode(errors="replace").strip().splitlines()[-1:]

    with ThreadPoolExecutor(max_workers=4) as pool:
        broken = {str(p.relative_to(ROOT)): err for p, code, err in pool.map(parse, files) if code}
    assert not broken, broken
