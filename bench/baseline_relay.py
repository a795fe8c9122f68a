"""The bench's baseline: a bare two-party flask-sock relay with no login, no storage.

Each socket's first text message names a room; every later message is forwarded to the
other socket in the same room. It runs on the same gunicorn + gevent stack as Hearth,
so the bench compares protocol and storage costs, not servers.
"""

import threading

from flask import Flask
from flask_sock import Sock

app = Flask(__name__)
sock = Sock(app)
rooms: dict[str, list] = {}
locks: dict[int, threading.Lock] = {}


@sock.route("/ws")
def relay(ws):
    room = ws.receive()
    members = rooms.setdefault(room, [])
    members.append(ws)
    locks[id(ws)] = threading.Lock()
    try:
        while True:
            message = ws.receive()
            for other in list(members):
                if other is not ws:
                    with locks[id(other)]:
                        other.send(message)
    finally:
        members.remove(ws)
        locks.pop(id(ws), None)
