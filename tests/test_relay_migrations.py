"""The schema's upgrade path, on SQLite and on a real PostgreSQL server.

migrations.py freezes each version's DDL. A database made at version 1, with rows in it,
must upgrade to exactly the schema of a fresh install (tables, columns, types, keys,
indexes), and store.py's models must describe exactly that schema.
"""

import hashlib
import json

import pytest

from hearth.relay import migrations, store

ENGINES = ["sqlite", "postgresql"]

# What each released version's statements hash to, in every dialect (0: the bootstrap).
# A released migration is never edited, since a database made by it exists somewhere:
# append a version, and its hash here, instead.
RELEASED = {
    0: "2b5fe3612c36766c0cf8057f913303f4f2c586b5e6f9c5cfc7593e0690ccbce9",
    1: "9f1145823a81b4b10983fe83ebc6208f41fab16f40a3e2ba9668565b4559ebf4",
    2: "bd0e592abe159e3d65d7fa66737805f54a0ffbfa345f40f23c1b649bda95b2eb",
    3: "e810ec54988ca53ef9845087d9ae342d6b39adae46df0648c8de3d8e7b9a70ae",
    4: "de489781204c59d0ab052addace3a9e73a0fe708673c7a8c3567b5cd200fdff8",
    5: "24841b4f9946878f0df0de05ad28087c130ee52c413def4ab3ab7522ff5f3773",
    6: "13949abfc1d9d5622c04e0966f679449f278ea4df00dd8db801ea861c4c0a9ab",
}


@pytest.fixture(params=ENGINES)
def new_database(request, tmp_path):
    """new_database(name) -> an empty database of the engine under test, bound to the store."""
    made = []

    def make(name: str):
        if request.param == "sqlite":
            from peewee import SqliteDatabase

            database = SqliteDatabase(str(tmp_path / f"{name}.db"))
        else:
            database = request.getfixturevalue("postgres_server").create_database(f"{name}_{len(made)}")
        made.append(database)
        store.bind(database)
        return database

    yield make
    for database in made:
        database.close()


def schema(database) -> dict:
    """Everything about the schema a relay depends on, comparable across two databases of one engine."""
    store.bind(database)
    with database.connection_context():
        if store.dialect() == "sqlite":
            return sqlite_schema(database)
        return postgres_schema(database)


def sqlite_schema(database) -> dict:
    out = {}
    tables = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    for table, sql in tables:
        columns = sorted((name, kind.upper(), bool(notnull), default, pk)
                         for _, name, kind, notnull, default, pk in database.execute_sql(f'PRAGMA table_info("{table}")'))
        indexes = sorted(
            (name, bool(unique), origin, tuple(row[2] for row in database.execute_sql(f'PRAGMA index_info("{name}")')))
            for _, name, unique, origin, _ in database.execute_sql(f'PRAGMA index_list("{table}")'))
        out[table] = {"columns": columns, "indexes": indexes, "autoincrement": "AUTOINCREMENT" in sql.upper()}
    return out


def postgres_schema(database) -> dict:
    out = {}
    for table, name, kind, length, nullable, default in database.execute_sql(
            "SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = 'public'"):
        out.setdefault(table, {"columns": [], "indexes": [], "constraints": []})
        out[table]["columns"].append((name, kind, length, nullable, default))
    for table, name, definition in database.execute_sql(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"):
        out[table]["indexes"].append((name, definition))
    for table, name, kind, column in database.execute_sql(
            "SELECT tc.table_name, tc.constraint_name, tc.constraint_type, kcu.column_name "
            "FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu "
            "ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema "
            "WHERE tc.table_schema = 'public'"):
        out[table]["constraints"].append((name, kind, column))
    out["sequences"] = database.execute_sql(
        "SELECT sequence_name, data_type FROM information_schema.sequences WHERE sequence_schema = 'public'").fetchall()
    return {table: ({k: sorted(v) for k, v in parts.items()} if isinstance(parts, dict) else sorted(parts))
            for table, parts in out.items()}


def test_upgrading_a_database_made_at_version_1_gives_the_schema_of_a_fresh_install(new_database):
    old = new_database("old")
    assert store.upgrade(until=1) == (0, 1)
    with old.connection_context():
        # As version 1 made it: the model has columns since (written out, like the migrations).
        old.execute_sql('INSERT INTO "pair" ("id", "epoch", "created_hour") VALUES (?, 1, 1)'.replace("?", old.param),
                        ("P" * 22,))
        store.Device.create(id="D" * 22, pair_id="P" * 22, suite=1, sig_pub=b"\x04" * 65, dh_pub=b"\x04" * 65,
                            last_seq=7, created_hour=1)
        store.Invite.create(id="I" * 22, pair_id="P" * 22, creator="D" * 22, expires_at=2**40)
        cursor = store.Envelope.insert(pair_id="P" * 22, recipient="E" * 22, seq=7, body=b"sealed", size=6,
                                       created_hour=1).execute()
    assert "receipt" not in schema(old)
    assert store.upgrade() == (1, migrations.LATEST)
    assert store.upgrade() == (migrations.LATEST, migrations.LATEST)   # again: nothing to do
    upgraded = schema(old)

    new_database("fresh")
    assert store.upgrade() == (0, migrations.LATEST)
    assert upgraded == schema(store.db.obj)

    store.bind(old)   # what was there before is still there, and the new table takes rows
    with old.connection_context():
        assert store.Device.get_by_id("D" * 22).last_seq == 7
        assert bytes(store.Envelope.get_by_id(cursor).body) == b"sealed"
        assert store.Invite.get_by_id("I" * 22).used_at is None
        assert store.queue_totals("P" * 22) == [1, 6]   # version 6 counted what was waiting
        store.Receipt.create(device="D" * 22, body=b"receipt", created_hour=2)
        assert store.schema_version() == migrations.LATEST


def test_the_models_describe_exactly_the_migrated_schema(new_database):
    """A model changed without a migration fails here, before any database is made with it."""
    new_database("migrated")
    store.upgrade()
    migrated = schema(store.db.obj)
    modelled = new_database("modelled")
    with modelled.connection_context():
        modelled.create_tables(store.MODELS)
    assert schema(modelled) == migrated


def test_released_migrations_are_append_only_and_never_edited():
    versions = [version for version, _ in migrations.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))
    assert {0: frozen(migrations.BOOTSTRAP), **{v: frozen(steps) for v, steps in migrations.MIGRATIONS}} == RELEASED


def frozen(steps: list[str]) -> str:
    rendered = {dialect: migrations.statements(steps, dialect) for dialect in sorted(migrations.DIALECTS)}
    return hashlib.sha256(json.dumps(rendered).encode()).hexdigest()
