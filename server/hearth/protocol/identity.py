"""Device identity, login and registration messages (sections 2 and 3)."""

from dataclasses import dataclass

from . import SUITE_P256
from .encoding import b64u, canon, u32, u64, u8
from .primitives import new_private_key, public_raw, sha256, sign


def device_id(sig_pub: bytes, dh_pub: bytes, suite: int = SUITE_P256) -> str:
    return b64u(sha256(canon("hearth/v1/device-id", u8(suite), sig_pub, dh_pub))[:16])


def login_message(challenge: bytes, device: str) -> bytes:
    return canon("hearth/v1/login", challenge, device.encode())


def register_message(challenge: bytes, suite: int, sig_pub: bytes, dh_pub: bytes) -> bytes:
    return canon("hearth/v1/register", challenge, u8(suite), sig_pub, dh_pub)


def unpair_message(pair_id: str, epoch: int, device: str, at: int) -> bytes:
    """What a device signs to end its pairing (protocol §11.2)."""
    return canon("hearth/v1/unpair", pair_id.encode(), u32(epoch), device.encode(), u64(at))


REPLACED, MOVED = 1, 2   # a succession notice's reason (§11.1)


def succession_message(pair_id: str, new_epoch: int, reason: int, old: str, new: str,
                       new_sig_pub: bytes, new_dh_pub: bytes) -> bytes:
    """What names a device's successor (§11.1): signed by the remaining partner for a
    replacement, by the old device itself for a move."""
    return canon("hearth/v1/succession", pair_id.encode(), u32(new_epoch), u8(reason),
                 old.encode(), new.encode(), new_sig_pub, new_dh_pub)


@dataclass
class DeviceKeys:
    """A device's two private keys; the public halves and id follow from them."""

    sig: object
    dh: object
    suite: int = SUITE_P256

    @classmethod
    def generate(cls) -> "DeviceKeys":
        return cls(new_private_key(), new_private_key())

    @property
    def sig_pub(self) -> bytes:
        return public_raw(self.sig)

    @property
    def dh_pub(self) -> bytes:
        return public_raw(self.dh)

    @property
    def device_id(self) -> str:
        return device_id(self.sig_pub, self.dh_pub, self.suite)

    def public_frame(self) -> dict:
        return {"suite": self.suite, "sig_pub": b64u(self.sig_pub), "dh_pub": b64u(self.dh_pub)}

    def sign_register(self, challenge: bytes) -> bytes:
        return sign(self.sig, register_message(challenge, self.suite, self.sig_pub, self.dh_pub))

    def sign_login(self, challenge: bytes) -> bytes:
        return sign(self.sig, login_message(challenge, self.device_id))
