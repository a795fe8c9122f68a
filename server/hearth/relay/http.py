"""HTTP: health checks, the security headers on everything, and one JSON shape for every
failure, that of a websocket error frame. The app's files are served by static.py."""

from flask import Blueprint, abort, current_app
from werkzeug.exceptions import HTTPException

from hearth import __version__

from . import domain, store

bp = Blueprint("http", __name__)


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
    bus = current_app.extensions["hearth.relay"].bus
    if bus is not None and bus.listening is None:   # it would not hear the other processes' news
        return error("database_unavailable", "The relay is not yet listening for its other processes.")
    return {"status": "ok", "schema": version, "version": __version__}


@bp.get("/metrics")
def metrics():
    """Prometheus's text format (metrics.py), if the `metrics` setting turned it on."""
    watched = current_app.extensions["hearth.relay"].metrics
    if not watched.enabled:
        abort(404)
    return watched.text(), 200, {"Content-Type": "text/plain; version=0.0.4; charset=utf-8",
                                 "Cache-Control": "no-store"}


@bp.get("/")
@bp.get("/<path:name>")
def not_an_app_file(name: str = ""):
    """The app's files are answered before Flask (static.py): what reaches here is none."""
    abort(404)


class SecurityHeaders:
    """WSGI middleware: the same headers on every response, the app's files (which never
    reach Flask) as much as Flask's own. The websocket may only go to this relay's host."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        https = environ.get("wsgi.url_scheme") == "https"
        extra = [
            ("Content-Security-Policy",
             "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
             f"media-src 'self' blob:; connect-src 'self' {'wss' if https else 'ws'}://{host}; worker-src 'self'; "
             "manifest-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
             "form-action 'self'; frame-ancestors 'none'"),
            ("Referrer-Policy", "no-referrer"),
            ("Permissions-Policy", "camera=(self), microphone=(), geolocation=()"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
        if https:
            extra.append(("Strict-Transport-Security", "max-age=31536000"))

        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, *extra], exc_info)
        return self.app(environ, start)
