"""`hearth`: run the relay and look after its database."""

import argparse
import json
import logging
import sys
import time

from . import settings as settings_mod
from .store import MissingDriver


def serve(settings) -> None:
    from gunicorn.app.base import BaseApplication

    from . import store

    store.bind(store.open_database(settings))
    before, after = store.upgrade()
    store.db.close_all() if hasattr(store.db.obj, "close_all") else store.db.close()

    class Relay(BaseApplication):
        def load_config(self):
            host = f"[{settings.host}]" if ":" in settings.host else settings.host
            for key, value in {
                "bind": f"{host}:{settings.port}",
                "workers": settings.workers,
                "worker_class": "hearth.relay.worker.Worker",   # gevent's, stopping quietly
                "worker_connections": settings.max_connections,
                "timeout": 60,
                "graceful_timeout": 5,
                "loglevel": settings.log_level,
                "errorlog": "-",
                "accesslog": None,   # paths carry no secrets, but addresses and times are still personal
                "proc_name": "hearth",
                "control_socket_disable": True,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            from .app import create_app  # imported in the worker, after gevent has patched threading

            return create_app(settings)

    log = logging.getLogger("hearth.relay")
    where = settings.database_url.split("://", 1)[0] if settings.database_url else f"SQLite in {settings.data}"
    log.warning("Hearth relay on http://%s:%s (database: %s, schema %s -> %s)",
                settings.host, settings.port, where, before, after)
    Relay().run()


def with_database(settings):
    from . import store

    store.bind(store.open_database(settings))
    return store


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="hearth", description="The Hearth relay.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="run the relay (gunicorn with the gevent worker)")
    p_serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p_serve.add_argument("--port", type=int, help="port (default 8000, or $PORT)")
    p_serve.add_argument("--data", help="data directory for SQLite (default ./hearth-data)")
    p_serve.add_argument("--workers", type=int, help="worker processes (default 1)")
    p_db = sub.add_parser("db", help="database maintenance")
    p_db.add_argument("action", choices=["upgrade", "version"])
    for name, text in (("stats", "print counts only: pairs, devices, queued envelopes"),
                       ("purge", "delete expired envelopes and invites, and devices that never paired, now"),
                       ("settings", "print every setting and its current value")):
        p = sub.add_parser(name, help=text)
        if name != "settings":
            p.add_argument("--data", help="data directory for SQLite")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    try:
        settings = settings_mod.load({k: getattr(args, k, None) for k in ("host", "port", "data", "workers")})
    except ValueError as exc:
        print(f"hearth: {exc}", file=sys.stderr)
        return 2
    logging.getLogger("hearth").setLevel(settings.log_level.upper())
    try:
        return run(args, settings)
    except MissingDriver as exc:
        print(f"hearth: {exc}", file=sys.stderr)
        return 2


def run(args, settings) -> int:
    if args.command == "serve":
        if settings.workers > 1 and not settings.database_url:
            print(f"hearth: {settings.workers} workers need PostgreSQL: SQLite is one process's database. "
                  "Set DATABASE_URL=postgresql://..., or serve with one worker.", file=sys.stderr)
            return 2
        serve(settings)
        return 0
    if args.command == "settings":
        for s in settings_mod.SETTINGS:
            print(f"{s.name} = {settings[s.name]!r}  ({s.env_var})")
        return 0
    store = with_database(settings)
    if args.command == "db":
        if args.action == "upgrade":
            before, after = store.upgrade()
            print(f"schema version {before} -> {after}")
        else:
            print(f"schema version {store.schema_version()} (latest {store.LATEST})")
    elif args.command == "stats":
        with store.reading():
            print(json.dumps(store.stats(int(time.time())), indent=2))
    elif args.command == "purge":
        from .service import Relay

        envelopes, invites, unpaired = Relay(settings).purge()
        print(f"deleted {envelopes} expired envelopes, {invites} old invites and {unpaired} devices that never paired")
    return 0


if __name__ == "__main__":
    sys.exit(main())
