"""HTTP: the app's static files, health checks, the security headers on everything, and one
JSON shape for every failure, that of a websocket error frame."""

import mimetypes
from pathlib import Path

from flask import Blueprint, abort, current_app, request, send_from_directory
from werkzeug.exceptions import HTTPException

from hearth import __version__

from . import domain, store

bp = Blueprint("http", __name__)
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/javascript", ".js")
NEVER_CACHE = {"/sw.js", "/index.html", "/", "/manifest.webmanifest"}


@bp.get("/healthz")
def healthz():
    return {"status": "ok", "version": __version__}


def error(code: str, message: str | None = None, status: int | None = None):
    """An HTTP failure: (body, status), the body shaped like a websocket error frame."""
    default_status, default_message = domain.HTTP_ERRORS[code]
    return {"type": "error", "code": code, "message": message or default_message}, status or default_status


@bp.app_errorhandler(HTTPException)
def http_failure(exc: HTTPException):
    if exc.code == 404:
        return error("not_found")
    if exc.code == 405:
        body, status = error("method_not_allowed")
        return body, status, {"Allow": ", ".join(exc.valid_methods or ())}
    return error("http_error", f"{exc.code} {exc.name}.", exc.code)


@bp.get("/readyz")
def readyz():
    try:
        version = store.schema_version()
    except Exception as exc:  # noqa: BLE001 - any database failure means not ready
        current_app.logger.warning("readiness check failed: %s", type(exc).__name__)
        return error("database_unavailable")
    if version != store.LATEST:
        return error("schema_mismatch", f"The database is at schema version {version} and this relay "
                     f"needs {store.LATEST}: run 'hearth db upgrade'.")
    return {"status": "ok", "schema": version, "version": __version__}


@bp.get("/")
def index():
    return static_file("index.html")


@bp.get("/<path:name>")
def static_file(name: str):
    root = Path(current_app.config["HEARTH"].pwa_dir)
    if not (root / "index.html").exists():
        abort(404)
    return send_from_directory(root, name, max_age=0)


def security_headers(response):
    host = request.host
    scheme = "wss" if request.scheme == "https" else "ws"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        f"media-src 'self' blob:; connect-src 'self' {scheme}://{host}; worker-src 'self'; "
        "manifest-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'")
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.path in NEVER_CACHE:
        response.headers["Cache-Control"] = "no-cache"
    if request.scheme == "https":
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response
