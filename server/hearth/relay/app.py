"""The Flask application factory."""

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import domain, guard, settings as settings_mod, store, ws
from .http import bp as http_bp
from .http import security_headers


def create_app(settings=None) -> Flask:
    settings = settings or settings_mod.load()
    app = Flask(__name__, static_folder=None)
    app.config["HEARTH"] = settings
    app.config["SOCK_SERVER_OPTIONS"] = {
        "ping_interval": settings.ws_ping_interval or None,
        "max_message_size": 4 * settings.max_frame_bytes,
    }
    logging.getLogger("hearth").setLevel(settings.log_level.upper())
    store.bind(store.open_database(settings))
    app.extensions["hearth.hub"] = ws.Hub()
    app.extensions["hearth.slots"] = guard.AddressSlots()
    app.extensions["hearth.limits"] = {
        "login": domain.RateLimiter(settings.login_rate_per_minute, 60),
        "invite": domain.RateLimiter(settings.invite_rate_per_hour, 3600),
    }
    if settings.trust_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    ws.sock.init_app(app)
    app.register_blueprint(ws.bp)
    app.register_blueprint(http_bp)
    app.after_request(security_headers)
    return app
