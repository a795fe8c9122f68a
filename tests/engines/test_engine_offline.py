"""The installed app without a network, in each engine: a reload is served by the service
worker alone, a journal entry written then waits in the outbox, and it reaches the partner
once the phone can reach its relay again.

How "offline" is made: WebKitWebDriver has no way to take WebKitGTK off the network, so
the test's own relay process is stopped (killed) and later started again on the same port.
Firefox is put in its own offline mode through Marionette (navigator.onLine turns false,
as in airplane mode) and its relay is stopped too, because Firefox's offline mode still
lets plain HTTP reach 127.0.0.1: only with the relay gone does a page that loads prove the
service worker served it.
"""

from client_helpers import Client
from engines.flows import (STATUS, expect_status, outbox_count, pair_with_client, service_worker_controls,
                           write_journal)

WRITTEN_OFFLINE = "Written with no signal: a slow bath together, no rush at all."
BACK_ONLINE = 60   # WebKit: the app reconnects on its own backoff (at most 16 s by then), no "online" event


def test_an_offline_reload_comes_from_the_service_worker_and_the_outbox_is_delivered_after(
        new_phone, relay, tmp_path, engine_note):
    page = new_phone()
    client = Client(tmp_path / "client")
    pair_with_client(relay.url, client, page)
    expect_status(page, "Synced")
    service_worker_controls(page)   # as on a phone that has opened the app before

    relay.kill()
    browser_offline = page.set_offline(True)
    engine_note("offline made by", "the browser's offline mode and the relay stopped" if browser_offline
                else "the relay stopped (the driver cannot take the browser offline)")
    page.reload()
    page.find("#view h1")
    assert page.js("return navigator.serviceWorker.controller !== null;"), "the reload was not the service worker's"
    assert page.js("return navigator.onLine;") is (not browser_offline)
    expect_status(page, "Offline")   # the relay cannot be reached, whatever navigator.onLine says

    write_journal(page, WRITTEN_OFFLINE)
    expect_status(page, "1 change waiting")
    assert outbox_count(page) == 1

    relay.start()   # the same port and data: the relay the phone paired with
    if browser_offline:
        page.set_offline(False)
    expect_status(page, "Synced", timeout=BACK_ONLINE)
    assert outbox_count(page) == 0
    client.sync()
    assert [r["text"] for r in client.list("journal") if not r["mine"]] == [WRITTEN_OFFLINE]
    assert page.errors == [], page.errors
    assert "Offline" not in page.text(STATUS)
