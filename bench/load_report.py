"""What bench/load.py reports beyond its counts: where lost envelopes are, and what the relay
processes logged."""

import re


def lost_heads(phones: list, queued: dict, trace: bool = False) -> dict:
    """Where the first envelope each stream lacks is, for streams the relay said it had
    (`sent`, or a `ready`'s last_seq): still in the relay's queue, undelivered, or gone from
    it. Those after it in the stream wait behind it, unapplied, so they count as lost too."""
    heads = {"queued": 0, "gone": 0}
    for phone in phones:
        seq = phone.next_seq
        if seq <= phone.partner.seq and seq not in phone.partner.outbox:
            where = queued.get((phone.keys.device_id, seq))
            heads["gone" if where is None else "queued"] += 1
            if trace:
                print(f"lost head: {phone.keys.device_id[:6]} lacks seq {seq} at cursor {where}")
                for who, one in (("its", phone), ("its partner's", phone.partner)):
                    print(f"  {who} last frames:")
                    for at, what in one.trace:
                        print(f"   {at % 1000:8.2f} {what}")
    return heads


def print_unsent(phones: list) -> None:
    """For --trace: the last frames of each phone still holding envelopes its partner lacks
    when the drain ended (the relay never said `sent` for them)."""
    for phone in phones:
        waiting = sorted(seq for seq in phone.outbox if seq >= phone.partner.next_seq)
        if waiting:
            print(f"unsent: {phone.keys.device_id[:6]} holds seq {waiting[0]}..{waiting[-1]} ({len(waiting)}), "
                  f"online {phone.online}, ready {phone.ready}; its last frames:")
            for at, what in phone.trace:
                print(f"   {at % 1000:8.2f} {what}")
            if phone.first_gap:
                print("  and its frames up to the relay's first seq_gap:")
                for at, what in phone.first_gap:
                    print(f"   {at % 1000:8.2f} {what}")


def queued_envelopes(engine: str, database: str) -> set:
    """The cursor of every envelope still in the relay's queue, by (recipient, seq)."""
    sql = 'SELECT "recipient", "seq", "cursor" FROM "envelope"'
    if engine == "sqlite":
        import sqlite3

        with sqlite3.connect(database) as conn:
            rows = conn.execute(sql).fetchall()
    else:
        import psycopg2

        with psycopg2.connect(database) as conn, conn.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
    return {(recipient, seq): cursor for recipient, seq, cursor in rows}


def log_warnings(relays: list) -> dict:
    """How often each warning or error the relay processes logged came, digits folded."""
    counts = {}
    for relay in relays:
        for line in relay.log.read_text(errors="replace").splitlines():
            found = re.search(r"\b(WARNING|ERROR|CRITICAL)\b\]?\s*(.*)", line)
            if found:
                text = re.sub(r"\d+", "N", f"{found[1]} {found[2]}")[:120]
                counts[text] = counts.get(text, 0) + 1
    return counts
