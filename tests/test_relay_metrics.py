"""/metrics: off unless the setting turns it on; then Prometheus's text format, with counts
and latencies that follow what the relay did, and nothing that names a device, a pair or an
address."""

from prometheus_client.parser import text_string_to_metric_families

from wsproto_helpers import paired


def samples(client) -> dict:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = answer.get_data(as_text=True)
    return text, {sample.name + ("" if not sample.labels else str(sorted(sample.labels.items()))): sample.value
                  for family in text_string_to_metric_families(text) for sample in family.samples}


def test_metrics_are_off_unless_turned_on(local_relay):
    answer = local_relay.app.test_client().get("/metrics")
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "not_found"


def test_metrics_count_connections_envelopes_acks_queue_and_commits(local_relay_factory):
    local = local_relay_factory(env={"HEARTH_METRICS": "1"})
    client = local.app.test_client()
    _, before = samples(client)
    assert before["hearth_connections"] == 0 and before["hearth_queue_envelopes"] == 0

    a, b, invite = paired(local.ws_url)
    for _ in range(3):
        a.send_envelope()
    text, now = samples(client)
    assert now["hearth_connections"] == 2
    assert now["hearth_envelopes_stored_total"] == 3
    assert now["hearth_envelopes_delivered_total"] == 3   # b is connected: at once
    assert now["hearth_queue_envelopes"] == 3 and now["hearth_queue_bytes"] > 0
    assert now["hearth_commit_seconds_count"] >= 3 and now["hearth_commit_seconds_sum"] > 0
    last = [b.expect("deliver") for _ in range(3)][-1]
    b.send({"type": "ack", "cursor": last["cursor"]})
    b.expect("acked")
    text, after = samples(client)
    assert after["hearth_acks_total"] == 1 and after["hearth_queue_envelopes"] == 0
    for secret in (a.id, b.id, a.pair, invite, "127.0.0.1"):   # counts only: no ids, no addresses
        assert secret not in text
    b.close()
    assert samples(client)[1]["hearth_connections"] == 1
