"""docs/care-sources.md, written from the app's own care words.

The sentences of "Getting help", "Good to know" and the paced path live in pwa/js/help/ with
the keys of the pages they rest on (scripts/care_sources.json, kept here rather than in pwa/
because the app never loads it and it names other hosts). This reads the sentences through
node, exactly as the app has them, and writes the document that lists, per screen and note,
every sentence with its sources. tests/test_care_sources.py checks the document matches.

    python scripts/care_sources.py            # rewrites docs/care-sources.md
    python scripts/care_sources.py --check    # exits 1 if it is out of date
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "care-sources.md"
SOURCES = Path(__file__).resolve().parent / "care_sources.json"

# Prints {help, notes, paced} as JSON: node reads the same modules the app ships.
DUMP = """
const help = await import(process.argv[1] + '/pwa/js/help/getting-help.js');
const { NOTES } = await import(process.argv[1] + '/pwa/js/help/notes.js');
const paced = await import(process.argv[1] + '/pwa/js/help/paced.js');
console.log(JSON.stringify({ notes: NOTES,
  help: { intro: help.INTRO, call: help.CALL, who: help.WHO, referral: help.REFERRAL, groups: help.GROUPS },
  paced: { about: paced.ABOUT, always: paced.ALWAYS, steps: paced.STEPS } }));
"""


def content() -> dict:
    # The sources quote the English: node speaks it whatever this machine's language is
    # (the modules choose theirs from navigator.languages, which node takes from LANG).
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "LANGUAGE": ""}
    out = subprocess.run(["node", "--input-type=module", "-e", DUMP, str(ROOT)], check=True,
                         capture_output=True, text=True, env=env).stdout
    return {**json.loads(out), "sources": json.loads(SOURCES.read_text(encoding="utf-8"))["sources"]}


def sections(c: dict) -> list[tuple[str, str, list[dict]]]:
    """(screen, heading, sentences) in the order the screens show them."""
    h = c["help"]
    parts = [("Getting help", "Introduction", h["intro"]),
             ("Getting help", h["call"]["title"], [s for item in h["call"]["items"] for s in item])]
    parts += [("Getting help", f"{h['who']['title']}: {item['name']}", item["says"]) for item in h["who"]["items"]]
    parts += [("Getting help", h["referral"]["title"], h["referral"]["says"]),
              ("Getting help", h["groups"]["title"], h["groups"]["says"])]
    parts += [("Good to know", note["title"], note["says"]) for note in c["notes"]]
    p = c["paced"]
    parts += [("A paced path", "About the path", p["about"]), ("A paced path", "Always", p["always"])]
    parts += [("A paced path", f"Step {step['n']}: {step['title']}", step["about"]) for step in p["steps"]]
    return parts


def render(c: dict) -> str:
    src = c["sources"]
    lines = [
        "# Care sources",
        "",
        "Every factual sentence on the app's \"Getting help\" (`#/help`), \"Good to know\"",
        "(`#/good-to-know`) and \"A paced path\" (`#/paced`) screens, word for word, with the public",
        "pages it rests on. Sentences marked *Hearth's own words* are encouragement or invitation",
        "and claim nothing medical.",
        "",
        "The sentences live in `pwa/js/help/getting-help.js`, `pwa/js/help/notes.js` and",
        "`pwa/js/help/paced.js`, each naming the keys of its sources in `scripts/care_sources.json`",
        "(beside the script, as the app never loads it). This file is written from them",
        "by `python scripts/care_sources.py`; `tests/test_care_sources.py` fails if it is out of",
        "date, if a sentence names an unknown source, or if a factual sentence has no https source.",
        "",
        "The pages were read from stored public copies; the writing is Hearth's own, not quoted.",
        "",
    ]
    screen = None
    for where, heading, sentences in sections(c):
        if where != screen:
            screen = where
            lines += [f"## {where}", ""]
        lines += [f"### {heading}", ""]
        for s in sentences:
            if not s["sources"]:
                lines.append(f"- “{s['text']}” — *Hearth's own words*")
            else:
                cites = "; ".join(f"[{src[k]['by']}: {src[k]['title']}]({src[k]['url']})" for k in s["sources"])
                lines.append(f"- “{s['text']}” — {cites}")
        lines.append("")
    lines += ["## The questions to bring", "",
              "Each note's questions are for the care team to answer; they state nothing.", ""]
    for note in c["notes"]:
        lines.append(f"- {note['title']}: " + " / ".join(f"“{q}”" for q in note["questions"]))
    lines += ["", "## Every source", ""]
    for key, s in sorted(src.items(), key=lambda kv: kv[1]["by"] + kv[1]["title"]):
        lines.append(f"- `{key}`: {s['by']}, “{s['title']}”, <{s['url']}>")
    return "\n".join(lines) + "\n"


def main(argv) -> int:
    text = render(content())
    if "--check" in argv:
        if DOC.read_text(encoding="utf-8") != text:
            print("docs/care-sources.md is out of date: run python scripts/care_sources.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
