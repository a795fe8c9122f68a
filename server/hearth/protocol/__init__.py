"""The Hearth wire protocol (docs/protocol.md), shared by the relay and the clients.

Nothing here does I/O: it turns keys, secrets and bytes into other bytes.
"""

VERSION = 1
SUITE_P256 = 1
SUITES = frozenset({SUITE_P256})
