"""Every relay setting in one table: its default, its environment variable and its meaning.

README.md documents this table and tests/test_relay_settings.py keeps the two in step.
"""

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

# The app in a source tree, beside server/: what an editable install and the tests serve.
REPO_PWA = Path(__file__).resolve().parents[3] / "pwa"


def app_dir() -> Path:
    """The app served at / when pwa_dir is not set: the package data of an installed Hearth
    (hearth/pwa in a wheel, built from pwa/), else the source tree's pwa/ this runs from."""
    packaged = resources.files("hearth") / "pwa"
    if packaged.is_dir() and packaged.joinpath("index.html").is_file():
        return Path(str(packaged))
    return REPO_PWA


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    env: str = ""

    @property
    def env_var(self) -> str:
        return self.env or f"HEARTH_{self.name.upper()}"


def _bool(text: str) -> bool:
    return str(text).strip().lower() in {"1", "true", "yes", "on"}


SETTINGS = [
    Setting("host", "127.0.0.1", "Address to listen on; 0.0.0.0 for every interface."),
    Setting("port", 8000, "Port to listen on.", env="PORT"),
    Setting("data", "./hearth-data", "Directory holding the SQLite database."),
    Setting("database_url", "", "A database URL that replaces the SQLite file, e.g. postgresql://user:pw@host/db.",
            env="DATABASE_URL"),
    Setting("database_pool", 10, "PostgreSQL connections each worker keeps at most, besides the one it listens on."),
    Setting("sqlite_sync", "full", "full: a stored envelope survives a power cut; normal: only a crash of the relay, for less disk work."),
    Setting("workers", 1, "Worker processes. More than 1 needs PostgreSQL (DATABASE_URL); SQLite refuses."),
    Setting("max_connections", 10000, "Simultaneous connections per worker."),
    Setting("max_connections_per_address", 50,
            "Simultaneous websockets from one client address per worker; more get HTTP 429. Behind a proxy, set trust_proxy."),
    Setting("login_timeout_seconds", 10, "Seconds a new websocket has to register, log in or join before it is closed; 0 turns this off."),
    Setting("ws_ping_interval", 25, "Seconds between websocket pings; 0 turns them off."),
    Setting("max_frame_bytes", 65536, "Largest frame accepted; four times this closes the socket."),
    Setting("envelope_ttl_days", 30, "Days an envelope nobody acknowledged is kept."),
    Setting("invite_ttl_seconds", 600, "Seconds a pairing invite stays valid."),
    Setting("unpaired_ttl_hours", 24, "Hours after which a device that never paired, with no open invite, is deleted with its pair."),
    Setting("quota_envelopes", 50000, "Envelopes a pair may have waiting at once."),
    Setting("quota_bytes", 200 * 1024 * 1024, "Bytes of envelopes a pair may have waiting at once."),
    Setting("invite_rate_per_hour", 20, "Invites one device may open per hour."),
    Setting("login_rate_per_minute", 60, "Logins, registrations and joins per client address per minute."),
    Setting("allowed_origins", "", "Extra browser origins allowed on /ws, comma-separated; the relay's own is always allowed."),
    Setting("trust_proxy", False, "Trust X-Forwarded-For/-Proto from one reverse proxy in front."),
    Setting("pwa_dir", "", "Directory of the app served at /; empty: the app installed with Hearth."),
    Setting("app_cache", "", "Directory for the app's compressed copy, made once per version; empty: app-cache in the data directory."),
    Setting("log_level", "info", "debug, info, warning or error. Logs never hold frame contents."),
    Setting("metrics", False, "Serve counts and latencies (no ids, no addresses) at /metrics in Prometheus's format, "
            "per worker; keep it off the public internet."),
]


CHOICES = {"sqlite_sync": ("full", "normal"), "log_level": ("debug", "info", "warning", "error")}


class Settings(dict):
    """Settings by attribute: settings.port."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def load(overrides: dict | None = None, environ: dict | None = None) -> Settings:
    """Defaults, then environment variables, then explicit overrides (command-line flags)."""
    environ = os.environ if environ is None else environ
    values = Settings()
    for s in SETTINGS:
        value = s.default
        if s.env_var in environ and environ[s.env_var] != "":
            value = environ[s.env_var]
        if overrides and overrides.get(s.name) is not None:
            value = overrides[s.name]
        if isinstance(s.default, bool):
            value = _bool(value)
        elif isinstance(s.default, int):
            try:
                value = int(value)
            except ValueError as exc:
                raise ValueError(f"setting {s.name} ({s.env_var}) must be a whole number, not {value!r}") from exc
        if s.name in CHOICES and value not in CHOICES[s.name]:
            raise ValueError(f"setting {s.name} ({s.env_var}) must be one of {', '.join(CHOICES[s.name])}, not {value!r}")
        values[s.name] = value
    return values


def table() -> str:
    """The settings as a Markdown table, as the README shows them."""
    rows = ["| setting | environment | default | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default != "" else "(none)"
        rows.append(f"| `{s.name}` | `{s.env_var}` | {default} | {s.help} |")
    return "\n".join(rows)
