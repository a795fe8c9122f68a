"""Pairing by link in each engine, with hearth-client and with a second phone of the same
engine, and journal entries travelling both ways once paired."""

from client_helpers import Client
from engines.flows import expect_status, go, open_app, pair_by_link, pair_with_client, write_journal

FROM_CLIENT = "We lay close and listened to the rain for a while."
FROM_PAGE = "Holding hands on the sofa felt easy tonight."


def test_the_page_pairs_with_hearth_client_by_link_and_entries_travel_both_ways(new_phone, shared_relay, tmp_path):
    page = new_phone()
    client = Client(tmp_path / "client")
    code = pair_with_client(shared_relay.url, client, page)
    assert len(code.replace(" ", "")) == 6 and code.replace(" ", "").isdigit(), code
    expect_status(page, "Synced")

    client.put("journal", {"text": FROM_CLIENT, "shared": True})
    client.sync()
    go(page, "journal")
    page.find(".entry-text", FROM_CLIENT)   # arrives live, over the page's open connection

    write_journal(page, FROM_PAGE)
    expect_status(page, "Synced")
    client.sync()
    assert {r["text"]: r["mine"] for r in client.list("journal")} == {FROM_CLIENT: True, FROM_PAGE: False}
    assert page.errors == []


def test_two_phones_of_the_same_engine_pair_by_link(new_phone, shared_relay):
    alex, sam = new_phone(), new_phone()   # two browsers, two empty profiles
    open_app(alex, shared_relay.url)
    open_app(sam, shared_relay.url)
    pair_by_link(alex, sam)
    assert "s=" not in sam.url(), "the pairing secret stayed in the address bar"

    write_journal(alex, FROM_PAGE)
    go(sam, "journal")
    sam.find(".entry-text", FROM_PAGE)
    assert alex.errors == [] and sam.errors == []
