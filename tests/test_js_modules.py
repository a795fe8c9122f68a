"""The app's pure JS modules (pwa/js/core) under node, and against the Python protocol code.

`node --test` runs tests/js/*.test.mjs, which check docs/test-vectors.json; the interop
tests below go further, with fresh random keys and nonces: envelopes sealed by one
implementation are opened by the other, signatures cross over, and a whole pairing runs
with Python as the inviter and the browser code as the joiner. Node is required (CI
installs it), so a missing node fails rather than skips.
"""

import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import ZERO_HASH, envelope_hash, open_envelope, seal_envelope, sender_key
from hearth.protocol.identity import DeviceKeys, device_id, login_message, register_message
from hearth.protocol.pairing import (invite_id, make_accept_box, new_secret, open_join_box, pair_keys,
                                     pairing_link, root_key, safety_code, transcript1, transcript2)
from hearth.protocol.primitives import CryptoError, new_private_key, public_raw, sign, verify

ROOT = Path(__file__).resolve().parent.parent
JS_TESTS = ROOT / "tests" / "js"
CLI = JS_TESTS / "interop_cli.mjs"
TIMEOUT = 120


def node_command() -> list[str]:
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "node is required for the app's module tests (CI installs nodejs)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
    major = int(re.match(r"v(\d+)", version).group(1))
    # Node 18 has WebCrypto but only puts it on globalThis behind this flag.
    return [node] + (["--experimental-global-webcrypto"] if major < 19 else [])


def run_node(*args: str, stdin: str | None = None, timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(node_command() + list(args), input=stdin, capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"})


def cli(*args: str) -> str:
    result = run_node(str(CLI), *args, timeout=60)
    assert result.returncode == 0, f"interop_cli.mjs {args[0]} failed:\n{result.stderr}"
    return result.stdout.strip()


def test_node_test_suite_passes():
    # Explicit files: how `node --test <dir>` treats a directory differs across node versions.
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.mjs"))
    assert any(f.endswith("crypto.test.mjs") for f in files), files
    result = run_node("--test", *files)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"node --test failed (exit {result.returncode}):\n{output}"
    assert re.search(r"^# fail 0$", output, re.M), output


def test_backup_format_passes_its_vectors():
    """pwa/js/core/backup.js against docs/backup-vectors.json (tests/js/backup/), as
    tests/test_backup_vectors.py holds hearth-client's to the same file."""
    files = sorted(str(p) for p in (JS_TESTS / "backup").glob("*.test.mjs"))
    assert files
    result = run_node("--test", *files)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and re.search(r"^# fail 0$", output, re.M), output
    passed = int(re.search(r"^# pass (\d+)$", output, re.M).group(1))
    assert passed >= 20, output  # guards against node quietly finding no tests


def fresh_pair() -> tuple[bytes, str, str]:
    root, pair_id = os.urandom(32), b64u(os.urandom(16))
    sender = DeviceKeys.generate().device_id
    return sender_key(root, pair_id, 1, sender), pair_id, sender


@pytest.mark.parametrize("size", [0, 1, 252, 253, 5000, 32764])
def test_node_seals_python_opens(size):
    key, pair_id, sender = fresh_pair()
    body, prev = os.urandom(size), os.urandom(32)
    env = unb64u(cli("seal", key.hex(), pair_id, sender, "7", "42", prev.hex(), b64u(body)))
    assert open_envelope(key, pair_id, sender, env) == body
    assert env[:46] == bytes([1, 1]) + (7).to_bytes(4, "big") + (42).to_bytes(8, "big") + prev
    with pytest.raises(CryptoError):
        open_envelope(key, pair_id + "x", sender, env)


@pytest.mark.parametrize("size", [0, 1, 252, 253, 5000, 32764])
def test_python_seals_node_opens(size):
    key, pair_id, sender = fresh_pair()
    body = os.urandom(size)
    first = seal_envelope(key, pair_id, sender, 1, 1, ZERO_HASH, b"first")
    env = seal_envelope(key, pair_id, sender, 1, 2, envelope_hash(first), body)
    assert unb64u(cli("open", key.hex(), pair_id, sender, b64u(env))) == body


def test_node_refuses_what_python_sealed_for_another_place():
    key, pair_id, sender = fresh_pair()
    env = seal_envelope(key, pair_id, sender, 1, 1, ZERO_HASH, b"{}")
    for args in ((key.hex(), "another-pair", sender), (key.hex(), pair_id, "another-sender"),
                 (os.urandom(32).hex(), pair_id, sender)):
        result = run_node(str(CLI), "open", *args, b64u(env), timeout=60)
        assert result.returncode == 2 and "CryptoError" in result.stderr, result.stderr


def test_signatures_cross_over():
    message = login_message(os.urandom(32), "x" * 22)
    made_by_node = json.loads(cli("sign", message.hex()))
    assert verify(bytes.fromhex(made_by_node["sig_pub"]), bytes.fromhex(made_by_node["signature"]), message)
    assert not verify(bytes.fromhex(made_by_node["sig_pub"]), bytes.fromhex(made_by_node["signature"]), message + b"!")
    keys = DeviceKeys.generate()
    signature = sign(keys.sig, message)
    assert cli("verify", keys.sig_pub.hex(), signature.hex(), message.hex()) == "true"
    assert cli("verify", keys.sig_pub.hex(), signature.hex(), (message + b"!").hex()) == "false"


class JoinerProcess:
    """interop_cli.mjs join, spoken to a line at a time, killed if it hangs."""

    def __init__(self):
        self.proc = subprocess.Popen(node_command() + [str(CLI), "join"], cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.watchdog = threading.Timer(60, self.proc.kill)
        self.watchdog.start()

    def ask(self, message: dict) -> dict:
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, f"the node joiner stopped:\n{self.proc.stderr.read()}"
        return json.loads(line)

    def close(self):
        self.watchdog.cancel()
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0, self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()


def test_pairing_python_inviter_with_node_joiner():
    a, eph_a = DeviceKeys.generate(), new_private_key()
    secret, pair_id, epoch, challenge = new_secret(), b64u(os.urandom(16)), 1, os.urandom(32)
    invite = invite_id(secret)
    joiner = JoinerProcess()
    try:
        join = joiner.ask({"link": pairing_link("https://relay.example", secret, public_raw(eph_a)),
                           "challenge": b64u(challenge), "pair_id": pair_id, "epoch": epoch,
                           "peer": {"device": a.device_id, **a.public_frame()}, "reply": "hello from node"})
        # What the relay checks of a join frame, then what A checks of the box.
        b_sig, b_dh, eph_b = unb64u(join["sig_pub"]), unb64u(join["dh_pub"]), unb64u(join["eph"])
        assert join["invite"] == invite
        assert join["device"] == device_id(b_sig, b_dh)
        assert verify(b_sig, unb64u(join["sig"]), register_message(challenge, 1, b_sig, b_dh))
        th1 = transcript1(invite, public_raw(eph_a), eph_b)
        k_join, k_accept = pair_keys(eph_a, eph_b, secret, th1)
        open_join_box(unb64u(join["box"]), th1, k_join, b_sig, b_dh)
        with pytest.raises(CryptoError):
            open_join_box(unb64u(join["box"]), th1, k_join, a.sig_pub, a.dh_pub)

        th2 = transcript2(th1, a.sig_pub, a.dh_pub, b_sig, b_dh)
        root = root_key(a.dh, b_dh, th2, pair_id, epoch)
        body = json.dumps({"ops": [{"type": "journal", "id": "A" * 22, "fields": {"text": "ça va ♥"}}]})
        env = seal_envelope(sender_key(root, pair_id, epoch, a.device_id), pair_id, a.device_id, epoch, 1,
                            ZERO_HASH, body.encode())
        done = joiner.ask({"box": b64u(make_accept_box(a, th1, th2, pair_id, k_accept)), "envelope": b64u(env)})
    finally:
        joiner.close()

    assert done["peer_device"] == a.device_id
    assert done["safety"] == safety_code(th2, secret)
    assert unb64u(done["body"]).decode() == body
    reply = open_envelope(sender_key(root, pair_id, epoch, join["device"]), pair_id, join["device"],
                          unb64u(done["envelope"]))
    assert reply == b"hello from node"
