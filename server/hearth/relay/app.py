"""The Flask application factory."""

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import green, guard, settings as settings_mod, static, store, ws
from .http import SecurityHeaders
from .http import bp as http_bp
from .service import Relay


def create_app(settings=None, *, spawn=None, clock=None) -> Flask:
    """The relay as a WSGI app. `spawn` and `clock` replace the relay's tasks (threads,
    which gevent makes greenlets) and its clock, for tests that run it in-process: such a
    relay is the only process, and listens for no other's news."""
    settings = settings or settings_mod.load()
    app = Flask(__name__, static_folder=None)
    app.config["HEARTH"] = settings
    app.config["SOCK_SERVER_OPTIONS"] = {
        "ping_interval": settings.ws_ping_interval or None,
        "max_message_size": 4 * settings.max_frame_bytes,
    }
    logging.getLogger("hearth").setLevel(settings.log_level.upper())
    store.bind(store.open_database(settings))
    green.cooperate(store.db.obj)
    relay = app.extensions["hearth.relay"] = Relay(settings, spawn=spawn or ws.spawn, clock=clock)
    if spawn is None and store.dialect() == "postgresql":
        relay.join_others()   # a serving process, perhaps one of several on the database
    app.extensions["hearth.slots"] = guard.AddressSlots()
    ws.sock.init_app(app)
    app.register_blueprint(ws.bp)
    app.register_blueprint(http_bp)
    # Outermost first: the proxy's word on host and scheme, then headers on everything,
    # then the app's files, and Flask for the rest.
    wsgi = static.serve_app(app.wsgi_app, settings.pwa_dir or str(settings_mod.app_dir()),
                            settings.app_cache or f"{settings.data}/app-cache")
    wsgi = SecurityHeaders(wsgi)
    if settings.trust_proxy:
        wsgi = ProxyFix(wsgi, x_for=1, x_proto=1, x_host=1)
    app.wsgi_app = wsgi
    return app
