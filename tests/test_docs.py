"""The README's promises hold: CI runs its exact test line, and the links resolve."""

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"README has no '{title}' section"
    return match.group(1)


def first_sh_block(text: str) -> str:
    match = re.search(r"```sh\n(.*?)\n```", text, re.S)
    assert match, "no sh code block"
    return match.group(1).strip()


def test_ci_runs_the_readme_test_line_verbatim():
    line = first_sh_block(section("Test it"))
    assert "pytest" in line
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert line in ci


@pytest.mark.slow
def test_run_line_installs_and_serves_from_a_clean_clone(tmp_path):
    """The README's run line, verbatim, in a copy of the repository with no virtualenv:
    only what `pip install -e .` brings must be enough to serve the app (the test extras
    once hid a dependency gunicorn's gevent worker needs but does not declare)."""
    line = first_sh_block(section("Run it"))
    assert "pip install -e ." in line and line.endswith("hearth serve")
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    clone = tmp_path / "clone"
    for name in files:
        (clone / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, clone / name)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if ".venv" not in p)
    proc = subprocess.Popen(["bash", "-c", f"{line} --port {port}"], cwd=clone, env=env, start_new_session=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as ready:
                    assert json.load(ready)["status"] == "ok"
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
                    assert b"Hearth" in page.read()
                return
            except OSError:
                time.sleep(0.5)   # installing, then starting: there is nothing to wait on but the port
        raise AssertionError(f"the README's run line did not serve the app:\n{proc.stdout.read() if proc.poll() is not None else ''}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def test_local_links_in_readme_exist():
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)\)", README):
        assert (ROOT / target).exists(), f"README links to missing {target}"
