"""One settings table, and the README documents every setting in it (as datasette does)."""

from pathlib import Path

import pytest

from hearth.relay import settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_readme_documents_every_setting(setting):
    assert f"| `{setting.name}` | `{setting.env_var}` |" in README


def test_readme_table_is_the_generated_one():
    assert settings.table() in README


def test_environment_then_flags_override_defaults():
    env = {"PORT": "9000", "HEARTH_TRUST_PROXY": "yes", "HEARTH_MAX_FRAME_BYTES": "1024"}
    s = settings.load({"host": "0.0.0.0"}, env)
    assert (s.port, s.trust_proxy, s.max_frame_bytes, s.host) == (9000, True, 1024, "0.0.0.0")
    assert settings.load({"port": 7000}, env).port == 7000
    assert settings.load({}, {}).port == 8000


def test_a_bad_number_names_the_setting():
    with pytest.raises(ValueError, match="HEARTH_WORKERS"):
        settings.load({}, {"HEARTH_WORKERS": "many"})


def test_a_choice_outside_its_list_names_the_setting_and_the_choices():
    with pytest.raises(ValueError, match="HEARTH_SQLITE_SYNC.*full, normal"):
        settings.load({}, {"HEARTH_SQLITE_SYNC": "off"})
    assert settings.load({}, {"HEARTH_SQLITE_SYNC": "normal"}).sqlite_sync == "normal"
