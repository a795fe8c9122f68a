"""The websocket upgrade, before any socket exists (protocol §7): refused for a page of
another origin, a request that is not an upgrade, or an address already holding its share of
sockets; the address's slot given back when the request ends. ws.py registers these on its
blueprint."""

import logging

from flask import current_app, g, request

from . import guard, http

log = logging.getLogger("hearth.relay")


def refuse_upgrade(code: str):
    log.info("refused a websocket: %s", code)
    return http.error(code)


def guard_upgrade():
    if request.path != "/ws":
        return None
    settings = current_app.config["HEARTH"]
    # request.scheme is X-Forwarded-Proto's when trust_proxy puts ProxyFix in front.
    origin = request.headers.get("Origin")
    if not guard.allowed_origin(origin, request.scheme, request.host, settings.allowed_origins):
        if request.scheme == "http" and origin == f"https://{request.host}":
            log.warning("the app's own https page was refused a websocket: behind a TLS proxy, "
                        "set HEARTH_TRUST_PROXY=1 and pass X-Forwarded-Proto")
        return refuse_upgrade("forbidden_origin")
    if request.headers.get("Upgrade", "").lower() != "websocket":
        return refuse_upgrade("bad_request")
    address = request.remote_addr or "?"
    if not current_app.extensions["hearth.slots"].take(address, settings.max_connections_per_address):
        return refuse_upgrade("too_many_connections")
    g.hearth_slot = address   # given back when the request ends, however it ends
    # Ciphertext does not compress, and permessage-deflate costs memory per socket.
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    return None


def give_back_slot(_exc):
    address = g.pop("hearth_slot", None)
    if address is not None:
        current_app.extensions["hearth.slots"].give_back(address)
