"""A socket whose close is under way: nothing more is written to it, and nothing escapes.

Seen in a CI run: the relay had begun to close a socket, and another frame was sent on it
meanwhile. The websocket library refused that frame as a protocol error, not as "closed";
closing again after it was refused too, so the error went up to Flask, which wrote an HTTP
500 onto the upgraded socket, and the browser read those bytes as a frame: "Invalid frame
header". Here the relay's real Connection runs on a real simple-websocket server over a
socket pair, held in that window.
"""

import base64
import os
import socket

import simple_websocket
from wsproto.events import CloseConnection

from hearth.relay import ws

CLOSE_1000 = bytes([0x88, 0x82, 1, 2, 3, 4, 0x03 ^ 1, 0xE8 ^ 2])   # a client's masked close, code 1000


def closing_connection(relay_app):
    """(a Connection whose socket has sent its close frame, the client's end of the socket)."""
    server_side, client_side = socket.socketpair()
    environ = {"gunicorn.socket": server_side, "HTTP_HOST": "relay.test", "HTTP_UPGRADE": "websocket",
               "HTTP_CONNECTION": "Upgrade", "HTTP_SEC_WEBSOCKET_VERSION": "13",
               "HTTP_SEC_WEBSOCKET_KEY": base64.b64encode(os.urandom(16)).decode()}
    sock = simple_websocket.Server(environ)
    connection = ws.Connection(sock, relay_app.extensions["hearth.relay"], "127.0.0.1")
    # The window: the close frame is written, and the library still says connected, as it
    # does while its close() waits for room to write.
    sock.sock.send(sock.ws.send(CloseConnection(code=1000)))
    return connection, client_side


def after_the_close_frame(client_side) -> bytes:
    """What the relay wrote after its close frame (which follows the 101 response)."""
    client_side.settimeout(1)
    data = b""
    try:
        while chunk := client_side.recv(65536):
            data += chunk
    except TimeoutError:
        pass
    frames = data.split(b"\r\n\r\n", 1)[1]
    assert frames[:2] == b"\x88\x02", frames[:40]   # the close frame first, nothing before it
    return frames[4:]


def test_frames_for_a_socket_being_closed_are_dropped_and_nothing_escapes_to_flask(local_relay):
    connection, client_side = closing_connection(local_relay.app)
    connection.send({"type": "pong"})
    connection.send_all([{"type": "pong"}, {"type": "pong"}])
    client_side.sendall(CLOSE_1000)   # the client answers the close
    connection.run()   # greets it (dropped, too), hears the close and ends: nothing raised
    assert connection.session.ended
    assert after_the_close_frame(client_side) == b""
