"""One record schema: server/hearth/protocol/records.json. The app's copy of it and the
tables of docs/protocol.md §8 are generated from it, and the wheel ships it."""

import re
import tomllib
from pathlib import Path

import pytest

from hearth.client import records
from hearth.protocol import schema

ROOT = Path(__file__).resolve().parent.parent


def test_the_apps_copy_of_the_schema_is_generated_from_records_json():
    current = (ROOT / "pwa" / "js" / "core" / "records-schema.js").read_text(encoding="utf-8")
    assert current == schema.js_module(), f"records.json changed: run `{schema.JS_COMMAND}`"


def test_every_record_type_has_its_generated_table_in_the_protocol():
    found = schema.regions((ROOT / "docs" / "protocol.md").read_text(encoding="utf-8"))
    assert set(found) == set(schema.generated_parts()), f"run `{schema.DOCS_COMMAND}`"


@pytest.mark.parametrize("part", list(schema.generated_parts()))
def test_the_protocols_tables_say_what_records_json_says(part):
    found = schema.regions((ROOT / "docs" / "protocol.md").read_text(encoding="utf-8"))
    assert found.get(part) == schema.generated_parts()[part], (
        f"docs/protocol.md's '{part}' disagrees with records.json: run `{schema.DOCS_COMMAND}`")


def test_each_types_table_sits_under_its_own_section():
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    for name, kind in schema.TYPES.items():
        heading = re.search(rf"^### {re.escape(kind['section'])} `{name}`", text, re.M)
        assert heading, f"docs/protocol.md has no '### {kind['section']} `{name}`' section"
        assert text.index(f"<!-- records.json: {name} -->") > heading.start()


def test_the_wheel_ships_records_json():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "protocol/records.json" in package_data["hearth"]


def test_records_json_names_only_kinds_checks_and_choices_both_clients_know():
    js = (ROOT / "pwa" / "js" / "core" / "records.js").read_text(encoding="utf-8")
    assert set(schema.SCHEMA["kinds"]) == set(schema.KINDS)
    for kind in schema.KINDS:
        assert re.search(rf"^  {kind}\(spec, name, value\) {{$", js, re.M), f"records.js has no kind '{kind}'"
    for name, kind in schema.TYPES.items():
        assert kind["sent"] in ("always", "while_shared"), name
        assert kind["sent"] == "always" or kind["fields"].get("shared", {}).get("kind") == "bool", name
        assert kind["owned"] or "id" in kind, f"{name}: a type either partner may change needs a fixed id"
        for field, spec in kind["fields"].items():
            assert spec["kind"] in schema.KINDS, (name, field)
            assert spec.get("choices") is None or spec["choices"] in schema.CHOICES, (name, field)
            assert spec.get("merge", "latest") in ("latest", "cautious"), (name, field)
            assert spec.get("merge") != "cautious" or spec["kind"] == "choice", (name, field)
            # A field the partner writes into the author's record (§8.3) needs an author to differ from.
            assert spec.get("by", "author") in ("author", "partner"), (name, field)
            assert spec.get("by") != "partner" or (kind["owned"] and "default" not in spec), (name, field)
            if "default" in spec:
                schema.check_value(spec, field, spec["default"])
        for check in kind.get("checks", []):
            assert check["check"] in schema.CHECKS, (name, check)
            assert re.search(rf"^  {check['check']}\(check, rec\) {{$", js, re.M), f"records.js has no check '{check['check']}'"


def test_the_clients_view_of_each_type_comes_from_records_json():
    assert records.SAFETY_FIELDS == {"boundary": {"level": records.LEVELS},
                                     "experiment": {"answer": ("yes", "change", "not_now", "stop")},
                                     "agreement": {"answer": ("yes", "not_now", "end")},
                                     "pace": {"ready": ("step_6", "step_5", "step_4", "step_3", "step_2", "step_1",
                                                        "not_yet")}}
    assert records.PARTNER_FIELDS == {"experiment": {"answer", "answer_note", "answered_on"},
                                      "agreement": {"answer", "answered_on"}}
    assert records.COUPLE_ID == "couple-settings-record" and not records.TYPES["couple"].owned
    assert records.TYPES["journal"].defaults == {"tags": [], "shared": False}
    assert records.TYPES["reassessment"].required == ("experiment", "decision")
    assert records.record_type("period").example["starts_on"] == records.today()


def test_an_empty_generated_region_is_filled_and_swallows_nothing_after_it():
    # records.md says to add an empty marker pair for a new type's table; the region must end
    # at its own closing marker, not at the next region's.
    text = ("<!-- records.json: period -->\n<!-- /records.json -->\n\nKept words.\n\n"
            "<!-- records.json: gratitude -->\nold\n<!-- /records.json -->\n")
    out = schema.with_generated_parts(text)
    assert "Kept words." in out
    assert schema.regions(out) == {"period": schema.table("period"), "gratitude": schema.table("gratitude")}
