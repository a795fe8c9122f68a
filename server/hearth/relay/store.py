"""Persistence, as the use cases call it: `store.X` for every table, query and transaction,
gathered from the modules that hold them by concern:

- database.py: the engine, the pool, `db`, and the transactions queries run in;
- models.py: the tables and the versioned schema (its DDL is migrations.py's);
- devices.py: pairs and their devices, ending a pair, retiring a device;
- invites.py: pairing, replacing a phone and moving to a new one;
- envelopes.py: what waits for a device, with each pair's quota counters, and receipts;
- upkeep.py: purging, PostgreSQL's shared rate limit buckets, stats.

Every write of a use case runs in the group commit (committer.py), so it reads, asks
domain.py and writes with nothing changing in between, and no socket holds a database
connection while it waits. The queries stay portable between SQLite and PostgreSQL.
"""

# ruff: noqa: F401 - each name is here to be called as store.NAME (and patched there by tests)
from .database import (db, BaseModel, MissingDriver, open_database, open_postgres, bind, dialect, transaction, reading,
                       lock_key, only_one, notify, relaxed_transaction, unavailable, describe)
from .models import (SchemaVersion, Pair, Device, Invite, Retired, CursorField, Envelope, Receipt, RateLimit, MODELS,
                     LATEST, schema_version, upgrade)
from .devices import (device, login_key, pair_of, create_pair_with_device, end_pair, end_notice, pair_ended, pair_row,
                      lock_pair, retired, known, predecessor, the_other, devices_in_pair, admit_joiner, retire,
                      new_epoch, replace_device, move_in, json_notice, move_notices)
from .invites import (replace_invites, claim_invite, invite, joiner_admitted, joiner_keys, pending_joiner, pair_view,
                      replaces, set_accept_box, call_off, pending_pairing, mark_accept_delivered, mover_invite,
                      confirm_move, set_move_seq)
from .envelopes import (HOT_SQL, PairState, send_state, store_sends, last_seq, set_last_seq, queue_totals, count_in, take_out, pair_recipients,
                        drop_pair_envelopes, insert_envelope, pending_envelopes, queued_between, acknowledge,
                        set_receipt, receipt_of)
from .upkeep import (purge, take_bucket, set_bucket, forget_buckets, delete_retired, delete_ended, never_paired,
                     devices_among, delete_never_paired, stats)
