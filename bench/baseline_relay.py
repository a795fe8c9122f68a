"""The bench's baselines, on the same gunicorn + gevent stack as Hearth, so the bench
compares protocol and storage costs, not servers. Neither has a login or storage.

/ws, the bare relay: each socket's first text message names a room; every later message is
forwarded to the other socket in the same room.

/protocol, the protocol's floor: the same rooms, but each message is a frame of
docs/protocol.md §6 and is answered with the frames Hearth answers it with, in Hearth's
order: a `send` becomes `deliver` to the other socket, then `sent` to the sender, with a
cursor counted in memory; an `ack` gets `acked`. No check, no storage, no commit: what
Hearth cannot do with less, whatever its relay does.
"""

import itertools
import json
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


cursors = itertools.count(1)


@sock.route("/protocol")
def protocol(ws):
    room = ws.receive()
    members = rooms.setdefault("protocol " + room, [])
    members.append(ws)
    locks[id(ws)] = threading.Lock()
    try:
        while True:
            frame = json.loads(ws.receive())
            if frame["type"] == "send":
                cursor = next(cursors)
                deliver = json.dumps({"type": "deliver", "cursor": cursor, "body": frame["body"]})
                for other in list(members):
                    if other is not ws:
                        with locks[id(other)]:
                            other.send(deliver)
                answer = {"type": "sent", "seq": frame["seq"], "cursor": cursor}
            else:
                answer = {"type": "acked", "cursor": frame["cursor"]}
            with locks[id(ws)]:
                ws.send(json.dumps(answer))
    finally:
        members.remove(ws)
        locks.pop(id(ws), None)
