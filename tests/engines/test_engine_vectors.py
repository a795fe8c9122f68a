"""The protocol's vectors, computed inside each engine by the app's own modules: the bytes a
phone's WebCrypto seals, signs and derives must be the bytes every other implementation
expects (docs/test-vectors.json), and a phone's merge of its partner's changes must end
where every other implementation's does (docs/merge-vectors.json)."""

import json
from pathlib import Path

from engines.flows import open_app

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def run_in_page(page, script: str, data_file: str):
    return page.js((HERE / script).read_text(), json.loads((ROOT / "docs" / data_file).read_text()))


def test_every_crypto_vector_reproduces_in_the_page(module_phone, shared_relay, engine_note):
    open_app(module_phone, shared_relay.url)
    found = run_in_page(module_phone, "page_crypto_vectors.js", "test-vectors.json")
    checks = found["checks"]
    for key, value in found["notes"].items():
        engine_note(key, value)
    wrong = [f"{name}: got {got!r}, expected {expected!r}" for name, got, expected in checks if got != expected]
    assert not wrong, f"{module_phone.engine}: " + "\n".join(wrong)
    assert len(checks) >= 100, f"only {len(checks)} checks ran"   # guards against a section quietly skipped
    assert module_phone.errors == []


def test_every_merge_vector_ends_with_the_same_records_in_the_page(module_phone, shared_relay):
    open_app(module_phone, shared_relay.url)   # an unpaired phone: the vectors use its own database
    vectors = json.loads((ROOT / "docs" / "merge-vectors.json").read_text())["vectors"]
    results = run_in_page(module_phone, "page_merge_vectors.js", "merge-vectors.json")
    assert [r["name"] for r in results] == [v["name"] for v in vectors]

    def key(record):
        return record["type"], record["id"]

    for vector, result in zip(vectors, results):
        assert sorted(result["records"], key=key) == sorted(vector["expect"]["records"], key=key), vector["name"]
        assert result["skipped"] == vector["expect"]["skipped"], vector["name"]
    assert module_phone.errors == []
