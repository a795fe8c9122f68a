"""Hearth as a self-hoster installs it: an sdist and a wheel built from this source tree,
the wheel built from the sdist (so the sdist must carry everything), installed into a
fresh virtualenv with its dependencies from the package index, serving the app."""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
# What building needs of the source tree: the rest (tests, docs, bench) is not shipped.
SHIPPED = ["pyproject.toml", "README.md", "server", "pwa"]
ONLY_WITH_AN_EXTRA = ("websockets", "psutil", "psycopg2", "psycopg", "pytest", "playwright")


def run(*args, cwd=None, env=None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers["Content-Type"], response.read()


@pytest.mark.slow
@pytest.mark.process
def test_a_wheel_built_from_the_sdist_installs_into_a_fresh_venv_and_serves_the_app(tmp_path):
    source = tmp_path / "source"   # a copy, so building leaves nothing in the working tree
    source.mkdir()
    for name in SHIPPED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "node_modules"))
        else:
            shutil.copy2(ROOT / name, source / name)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("HEARTH_")}
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, env=env)
    python, pip = venv / "bin" / "python", [venv / "bin" / "python", "-m", "pip", "--quiet"]

    # The sdist, by setuptools' own build backend, then pip's wheel from that sdist alone.
    run(*pip, "install", "setuptools>=68", env=env)
    run(python, "-c", "import sys; from setuptools import build_meta; build_meta.build_sdist(sys.argv[1])",
        tmp_path / "dist", cwd=source, env=env)
    (sdist,) = (tmp_path / "dist").glob("hearth_relay-*.tar.gz")
    run(*pip, "wheel", "--no-deps", "-w", tmp_path / "dist", sdist, env=env)
    (wheel,) = (tmp_path / "dist").glob("hearth_relay-*.whl")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    for init in (ROOT / "server").rglob("__init__.py"):   # pyproject.toml lists the packages by hand
        assert str(init.relative_to(ROOT / "server")) in names, f"the wheel has no {init.parent.name} package"
    for app_file in ("index.html", "sw.js", "manifest.webmanifest", "js/main.js"):
        assert f"hearth/pwa/{app_file}" in names
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    for line in requires:   # the relay alone installs none of what only the client, benches or tests use
        if line.split()[1].startswith(ONLY_WITH_AN_EXTRA):
            assert "extra ==" in line, line

    run(*pip, "install", wheel, env=env)
    installed = run(python, "-m", "pip", "list", "--format=freeze", env=env).lower()
    assert "websockets" not in installed and "psutil" not in installed
    client = subprocess.run([venv / "bin" / "hearth-client", "--state", tmp_path / "c", "list", "journal"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert client.returncode != 0 and "hearth-relay[client]" in client.stderr

    port = free_port()
    log = open(tmp_path / "relay.log", "wb")
    relay = subprocess.Popen([venv / "bin" / "hearth", "serve", "--port", str(port), "--data", tmp_path / "data"],
                             cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            assert relay.poll() is None, (tmp_path / "relay.log").read_text()
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "relay.log").read_text()
                time.sleep(0.1)   # starting: nothing to wait on but the port
        status, kind, body = fetch(base + "/")
        assert status == 200 and kind.startswith("text/html") and b"Hearth" in body
        status, kind, body = fetch(base + "/sw.js")
        assert status == 200 and kind.startswith("text/javascript") and b"SHELL" in body
        status, kind, body = fetch(base + "/manifest.webmanifest")
        assert status == 200 and kind == "application/manifest+json" and b'"start_url"' in body
    finally:
        if relay.poll() is None:
            os.killpg(relay.pid, 9)
            relay.wait(10)
