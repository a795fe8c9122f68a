"""The app's files as a phone downloads them: compressed, validated, never stale.

In-process (Flask's test client through the whole WSGI stack: the proxy fix, the
security headers, WhiteNoise, Flask), on the repository's pwa/.
"""

import gzip
import os
import time
from pathlib import Path

import brotli

from hearth.relay import settings as settings_mod
from hearth.relay.app import create_app

PWA = Path(__file__).resolve().parent.parent / "pwa"


def test_each_file_comes_in_the_smallest_encoding_the_browser_accepts(client):
    source = (PWA / "js" / "main.js").read_bytes()
    plain = client.get("/js/main.js", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.data == source and "Content-Encoding" not in plain.headers
    assert plain.headers["Content-Type"].startswith("text/javascript")

    got_br = client.get("/js/main.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert got_br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(got_br.data) == source and len(got_br.data) < len(source) / 2
    got_gz = client.get("/js/main.js", headers={"Accept-Encoding": "gzip"})
    assert got_gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(got_gz.data) == source
    for response in (plain, got_br, got_gz):
        assert "Accept-Encoding" in response.headers["Vary"]   # so no cache hands br to a browser without it


def test_a_kept_copy_is_checked_with_its_etag_and_not_downloaded_again(client):
    first = client.get("/js/main.js", headers={"Accept-Encoding": "br"})
    assert first.headers["Cache-Control"] == "no-cache"   # kept, but asked about before each use
    again = client.get("/js/main.js", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_page_is_at_the_root_and_at_its_own_name_without_a_redirect(client):
    page = (PWA / "index.html").read_bytes()
    for path in ("/", "/index.html"):
        response = client.get(path, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200 and response.data == page, path
        assert response.headers["Cache-Control"] == "no-cache"
        assert "Access-Control-Allow-Origin" not in response.headers   # the app is for its own origin only
        assert "nosniff" == response.headers["X-Content-Type-Options"]


def test_the_compressed_copy_is_made_once_per_version_of_the_app(tmp_path):
    pwa = tmp_path / "pwa"
    (pwa / "js").mkdir(parents=True)
    (pwa / "index.html").write_text("<!doctype html><title>Hearth</title>" + "<p>words</p>" * 200)
    (pwa / "js" / "main.js").write_text("export const one = 1;\n" * 200)
    cache = tmp_path / "cache"

    def app():
        return create_app(settings_mod.load({"data": str(tmp_path / "data"), "pwa_dir": str(pwa),
                                             "app_cache": str(cache)}, environ={}))

    app()
    (made,) = cache.glob("app-*")
    assert {p.name for p in (made / "js").iterdir()} == {"main.js", "main.js.gz", "main.js.br"}
    stamp = (made / "js" / "main.js.br").stat().st_mtime_ns
    app()
    assert list(cache.glob("app-*")) == [made] and (made / "js" / "main.js.br").stat().st_mtime_ns == stamp

    (pwa / "js" / "main.js").write_text("export const two = 2;\n" * 200)   # an upgrade
    response = app().test_client().get("/js/main.js", headers={"Accept-Encoding": "identity"})
    assert response.data == (pwa / "js" / "main.js").read_bytes()
    # The old copy stays for a relay still serving it (one not yet restarted, sharing the
    # cache), and goes once it has gone a week unused.
    (new,) = [p for p in cache.glob("app-*") if p != made]
    assert (made / "js" / "main.js.br").exists()
    week_ago = time.time() - 8 * 86400
    os.utime(made, (week_ago, week_ago))
    app()
    assert list(cache.glob("app-*")) == [new]


def test_a_cache_it_cannot_write_still_serves_the_app_uncompressed(tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache would go")
    app = create_app(settings_mod.load({"data": str(tmp_path / "data"), "app_cache": str(blocked)}, environ={}))
    response = app.test_client().get("/js/main.js", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200 and response.data == (PWA / "js" / "main.js").read_bytes()
