"""hearth-client: a command-line Hearth device speaking docs/protocol.md exactly."""
