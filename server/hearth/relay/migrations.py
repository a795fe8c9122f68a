"""The relay's schema, as frozen DDL: one list of statements per version, append only.

A released migration is never edited: a database made by it exists somewhere, and the
next version must start from what it made. So the DDL is written out here, not derived
from store.py's models, whose next change would otherwise rewrite version 1 under the
feet of every database already at version 1. tests/test_relay_migrations.py checks, on
SQLite and on PostgreSQL, that upgrading a database made at version 1 ends in the schema
of a fresh install, and that the models describe exactly that schema.

To change the schema: change the model, append (n, [statements]) below, and run the tests.
"""

# The few words the two engines spell differently; the rest of each statement is the same.
# These are what peewee wrote for the models when each version was released.
DIALECTS = {
    "sqlite": {
        "blob": "BLOB",
        "bigint": "INTEGER",
        "id": "INTEGER NOT NULL PRIMARY KEY",
        # AUTOINCREMENT: SQLite would otherwise reuse the largest rowid once it is deleted,
        # and a reused cursor would hide an envelope behind an old ack.
        "cursor": "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT",
        "double": "REAL",
        "unlogged": "",
    },
    "postgresql": {
        "blob": "BYTEA",
        "bigint": "BIGINT",
        "id": "SERIAL NOT NULL PRIMARY KEY",
        "cursor": "SERIAL NOT NULL PRIMARY KEY",
        "double": "DOUBLE PRECISION",
        # Rows nobody needs after a crash: no write-ahead log for them, emptied on recovery.
        "unlogged": "UNLOGGED ",
    },
}

# Made before any version, by every upgrade: it records which versions have been applied.
BOOTSTRAP = [
    'CREATE TABLE IF NOT EXISTS "schema_version" ("id" {id}, "version" INTEGER NOT NULL)',
]

MIGRATIONS = [
    (1, [   # pairs, devices, invites and the envelopes waiting for a device
        'CREATE TABLE IF NOT EXISTS "pair" ("id" VARCHAR(22) NOT NULL PRIMARY KEY, '
        '"epoch" INTEGER NOT NULL, "created_hour" INTEGER NOT NULL)',
        'CREATE TABLE IF NOT EXISTS "device" ("id" VARCHAR(22) NOT NULL PRIMARY KEY, '
        '"pair_id" VARCHAR(22) NOT NULL, "suite" INTEGER NOT NULL, "sig_pub" {blob} NOT NULL, '
        '"dh_pub" {blob} NOT NULL, "last_seq" {bigint} NOT NULL, "created_hour" INTEGER NOT NULL)',
        'CREATE INDEX IF NOT EXISTS "device_pair_id" ON "device" ("pair_id")',
        'CREATE TABLE IF NOT EXISTS "invite" ("id" VARCHAR(22) NOT NULL PRIMARY KEY, '
        '"pair_id" VARCHAR(22) NOT NULL, "creator" VARCHAR(22) NOT NULL, "expires_at" {bigint} NOT NULL, '
        '"used_at" {bigint}, "joiner" VARCHAR(22), "join_frame" TEXT, "accept_box" TEXT, '
        '"accept_delivered" INTEGER NOT NULL)',
        'CREATE INDEX IF NOT EXISTS "invite_pair_id" ON "invite" ("pair_id")',
        'CREATE TABLE IF NOT EXISTS "envelope" ("cursor" {cursor}, "pair_id" VARCHAR(22) NOT NULL, '
        '"recipient" VARCHAR(22) NOT NULL, "seq" {bigint} NOT NULL, "body" {blob} NOT NULL, '
        '"size" INTEGER NOT NULL, "created_hour" INTEGER NOT NULL)',
        'CREATE INDEX IF NOT EXISTS "envelope_pair_id" ON "envelope" ("pair_id")',
        'CREATE INDEX IF NOT EXISTS "envelope_recipient" ON "envelope" ("recipient")',
        'CREATE INDEX IF NOT EXISTS "envelope_created_hour" ON "envelope" ("created_hour")',
    ]),
    (2, [   # each device's latest end-to-end receipt (protocol §5.6)
        'CREATE TABLE IF NOT EXISTS "receipt" ("device" VARCHAR(22) NOT NULL PRIMARY KEY, '
        '"body" {blob} NOT NULL, "created_hour" INTEGER NOT NULL)',
    ]),
    (3, [   # an ended pair: who ended it, when, and their signed notice (protocol §11.2)
        'ALTER TABLE "pair" ADD COLUMN "ended_by" VARCHAR(22)',
        'ALTER TABLE "pair" ADD COLUMN "ended_at" {bigint}',
        'ALTER TABLE "pair" ADD COLUMN "end_sig" {blob}',
        'ALTER TABLE "pair" ADD COLUMN "ended_hour" INTEGER',
    ]),
    (4, [   # devices over time (protocol §11.3, 11.4): what an invite is for, a move under way,
            # and devices another took the place of
        'ALTER TABLE "invite" ADD COLUMN "kind" VARCHAR(8)',
        'ALTER TABLE "invite" ADD COLUMN "confirmed_at" {bigint}',
        'ALTER TABLE "invite" ADD COLUMN "move_seq" {bigint}',
        'CREATE TABLE IF NOT EXISTS "retired" ("id" VARCHAR(22) NOT NULL PRIMARY KEY, '
        '"pair_id" VARCHAR(22) NOT NULL, "reason" VARCHAR(8) NOT NULL, "by" VARCHAR(22) NOT NULL, '
        '"successor" VARCHAR(22) NOT NULL, "sig_pub" {blob} NOT NULL, "notice" TEXT, '
        '"retired_hour" INTEGER NOT NULL)',
        'CREATE INDEX IF NOT EXISTS "retired_successor" ON "retired" ("successor")',
    ]),
    (5, [   # rate limits that every relay process on one database takes from (PostgreSQL): a token
            # bucket per hashed key
        'CREATE {unlogged}TABLE IF NOT EXISTS "rate_limit" ("key" VARCHAR(22) NOT NULL PRIMARY KEY, '
        '"tokens" {double} NOT NULL, "at" {double} NOT NULL)',
    ]),
    (6, [   # what a pair has waiting, counted on its row, so a send's quota check costs the same
            # with 50,000 envelopes waiting as with none; and an envelope carries one index fewer:
            # (recipient, cursor) serves delivery and acks, and nothing hot looks up by pair any more
        'ALTER TABLE "pair" ADD COLUMN "queued" INTEGER NOT NULL DEFAULT 0',
        'ALTER TABLE "pair" ADD COLUMN "queued_bytes" {bigint} NOT NULL DEFAULT 0',
        'UPDATE "pair" SET "queued" = (SELECT COUNT(*) FROM "envelope" WHERE "envelope"."pair_id" = "pair"."id"), '
        '"queued_bytes" = (SELECT COALESCE(SUM("size"), 0) FROM "envelope" WHERE "envelope"."pair_id" = "pair"."id")',
        'DROP INDEX IF EXISTS "envelope_pair_id"',
        'DROP INDEX IF EXISTS "envelope_recipient"',
        'CREATE INDEX IF NOT EXISTS "envelope_recipient_cursor" ON "envelope" ("recipient", "cursor")',
    ]),
]
LATEST = MIGRATIONS[-1][0]


def statements(steps: list[str], dialect: str) -> list[str]:
    """The statements in the words of `dialect` ("sqlite" or "postgresql")."""
    words = DIALECTS[dialect]
    return [step.format(**words) for step in steps]
