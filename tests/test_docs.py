"""The README's promises hold: CI runs its exact test line, and the links resolve."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"README has no '{title}' section"
    return match.group(1)


def first_sh_block(text: str) -> str:
    match = re.search(r"```sh\n(.*?)\n```", text, re.S)
    assert match, "no sh code block"
    return match.group(1).strip()


def test_ci_runs_the_readme_test_line_verbatim():
    line = first_sh_block(section("Test it"))
    assert "pytest" in line
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert line in ci


def test_run_line_installs_and_serves():
    line = first_sh_block(section("Run it"))
    assert "pip install -e ." in line and line.endswith("hearth serve")


def test_local_links_in_readme_exist():
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)\)", README):
        assert (ROOT / target).exists(), f"README links to missing {target}"
