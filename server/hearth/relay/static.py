"""The app's files on the wire: compressed once, served by WhiteNoise.

A phone's first visit is often over a slow mobile network, and neither this relay's own
server nor a default nginx or Caddy compresses JavaScript. So at start the relay copies
the app into a cache directory named for its contents and writes a gzip and a Brotli
copy of each file beside it (WhiteNoise's own compressor). WhiteNoise then answers each
request with the smallest copy the browser accepts, an ETag, and 304 to a revalidation.

Every file is `no-cache` (kept, but checked with its ETag before use): the paths carry no
version, and a page that is not yet under the service worker must never mix modules of
two versions. The service worker keeps the whole shell for offline use (pwa/sw.js).
"""

import hashlib
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

log = logging.getLogger("hearth.relay")


def contents_key(root: Path) -> str:
    """A digest of every file's path and bytes under `root`: a new app, a new cache."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


KEEP_OTHER_VERSIONS_SECONDS = 7 * 86400


def compressed_copy(root: Path, cache: Path) -> Path:
    """`root` copied under `cache` with .gz and .br beside each compressible file, made once
    per version of the app. Concurrent workers each build their own and the first rename
    wins, so nobody ever serves a half-written copy. Another version's copy may still be
    served by a relay that has not restarted yet, so it goes only after a week unused."""
    done = cache / f"app-{contents_key(root)}"
    if not done.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=".building-", dir=cache))
        try:
            shutil.copytree(root, building, dirs_exist_ok=True)
            compressor = Compressor(quiet=True)
            for path in building.rglob("*"):
                if path.is_file() and compressor.should_compress(path.name):
                    for _ in compressor.compress(str(path)):
                        pass
            os.rename(building, done)
        except OSError:
            shutil.rmtree(building, ignore_errors=True)
            if not done.is_dir():
                raise
    os.utime(done)   # in use from now
    for old in cache.glob("app-*"):
        if old != done and time.time() - old.stat().st_mtime > KEEP_OTHER_VERSIONS_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    return done


def _cache_control(headers, path, url):
    headers["Cache-Control"] = "no-cache"


class _AppFiles:
    """The app's files before Flask. `/` is the app's page (WhiteNoise's own index handling
    would redirect /index.html, which the service worker precaches, to `/`), and a
    websocket upgrade is never a file: Flask's routing refuses it anywhere but /ws."""

    def __init__(self, files, app):
        self.files, self.app = files, app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_UPGRADE"):
            return self.app(environ, start_response)
        if environ.get("PATH_INFO") == "/":
            environ = {**environ, "PATH_INFO": "/index.html"}
        return self.files(environ, start_response)


def serve_app(wsgi_app, pwa_dir: str, cache_dir: str):
    """`wsgi_app` with the app's files in front of it; anything else (/ws, /healthz, a
    missing file's JSON 404) goes on to `wsgi_app`."""
    root = Path(pwa_dir)
    if not (root / "index.html").is_file():
        log.warning("no app to serve: %s has no index.html", root)
        return wsgi_app
    try:
        served = compressed_copy(root, Path(cache_dir))
    except OSError as exc:
        log.warning("serving the app uncompressed: could not write %s (%s)", cache_dir, exc.strerror)
        served = root
    files = WhiteNoise(wsgi_app, root=str(served), prefix="/", autorefresh=False, allow_all_origins=False,
                       add_headers_function=_cache_control, mimetypes={".webmanifest": "application/manifest+json"})
    return _AppFiles(files, wsgi_app)
