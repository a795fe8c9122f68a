"""docs/care-sources.md, written from the app's own care words.

The sentences of "Getting help", "Good to know" and the paced path live in pwa/js/help/ with
the keys of the pages they rest on (scripts/care_sources.json, kept here rather than in pwa/
because the app never loads it and it names other hosts). This reads the sentences through
node, exactly as the app has them, and writes the document that lists, per screen and note,
every sentence with its sources. tests/test_care_sources.py checks the document matches.

    python scripts/care_sources.py            # rewrites docs/care-sources.md
    python scripts/care_sources.py --check    # exits 1 if it is out of date

Each translation (TRANSLATIONS) is listed too, and checked against the English: the same
sentences, by catalogue key, each resting on the same pages.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "care-sources.md"
SOURCES = Path(__file__).resolve().parent / "care_sources.json"

# Prints {help, notes, paced, words} as JSON in one language: node reads the same modules the
# app ships, speaking the language a phone would keep in Settings (localStorage); `words` is
# that language's own catalogue of the care areas, without the English it falls back on.
DUMP = """
const [root, lang] = process.argv.slice(1);
Object.defineProperty(globalThis, 'localStorage', { value: { getItem: () => lang }, configurable: true });
const help = await import(root + '/pwa/js/help/getting-help.js');
const { NOTES } = await import(root + '/pwa/js/help/notes.js');
const paced = await import(root + '/pwa/js/help/paced.js');
const own = async (area) => (await import(`${root}/pwa/js/i18n/${lang}/${area}.js`)).default;
console.log(JSON.stringify({ notes: NOTES,
  help: { intro: help.INTRO, call: help.CALL, who: help.WHO, referral: help.REFERRAL, groups: help.GROUPS },
  paced: { about: paced.ABOUT, always: paced.ALWAYS, steps: paced.STEPS },
  words: lang === 'en' ? {} : { ...(await own('care')), ...(await own('paced')) } }));
"""
# The translations checked against the English: each says the same sentences on the same pages.
TRANSLATIONS = ["es"]
# What the document calls each translation, and its questions to bring.
NAMES = {"es": ("Spanish", "Las preguntas para llevar")}


def content(lang: str = "en") -> dict:
    # The sources quote the English: node speaks it whatever this machine's language is
    # (LANG plays no part either way; the language is the one kept, as on a phone).
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "LANGUAGE": ""}
    out = subprocess.run(["node", "--input-type=module", "-e", DUMP, str(ROOT), lang], check=True,
                         capture_output=True, text=True, env=env).stdout
    name, questions = NAMES.get(lang, ("English", "The questions to bring"))
    return {**json.loads(out), "lang": lang, "name": name, "questions": questions, "sources": json.loads(SOURCES.read_text(encoding="utf-8"))["sources"]}


def translation_problems(en: dict, other: dict) -> list[str]:
    """Where a translation's sentences part from the English's: a sentence it lacks (its key
    missing, so the English would show), one it adds, or a sentence resting on other pages.
    Sentences are matched by their catalogue key, in reading order."""
    code, words = other["lang"], other["words"]
    ours = [(s["id"], s["sources"]) for _, _, said in sections(other) for s in said]
    theirs = [(s["id"], s["sources"]) for _, _, said in sections(en) for s in said]
    problems = [f"{code}: \"{key}\" has no words of its own" for key, _ in theirs if key not in words]
    problems += [f"{code}: \"{key}\" is not an English sentence" for key, _ in ours if key not in dict(theirs)]
    problems += [f"{code}: \"{key}\" is a sentence no screen shows" for key in words
                 if key.startswith("care.says.") and key not in dict(theirs)]
    if [k for k, _ in ours] == [k for k, _ in theirs]:
        problems += [f"{code}: \"{k}\" rests on {s} in English but {o} here"
                     for (k, o), (_, s) in zip(ours, theirs) if o != s]
    else:
        problems.append(f"{code}: the sentences are not the English ones in the English order")
    return problems


# The document's own headings in each language, for what the screens give no title of their own.
HEADINGS = {
    "en": {"help": "Getting help", "notes": "Good to know", "paced": "A paced path", "intro": "Introduction",
           "about": "About the path", "always": "Always", "step": "Step"},
    "es": {"help": "Pedir ayuda", "notes": "Bueno saberlo", "paced": "Un camino pausado", "intro": "Introducción",
           "about": "Sobre el camino", "always": "Siempre", "step": "Paso"},
}


def sections(c: dict) -> list[tuple[str, str, list[dict]]]:
    """(screen, heading, sentences) in the order the screens show them."""
    w, h = HEADINGS[c.get("lang", "en")], c["help"]
    parts = [(w["help"], w["intro"], h["intro"]),
             (w["help"], h["call"]["title"], [s for item in h["call"]["items"] for s in item])]
    parts += [(w["help"], f"{h['who']['title']}: {item['name']}", item["says"]) for item in h["who"]["items"]]
    parts += [(w["help"], h["referral"]["title"], h["referral"]["says"]),
              (w["help"], h["groups"]["title"], h["groups"]["says"])]
    parts += [(w["notes"], note["title"], note["says"]) for note in c["notes"]]
    p = c["paced"]
    parts += [(w["paced"], w["about"], p["about"]), (w["paced"], w["always"], p["always"])]
    parts += [(w["paced"], f"{w['step']} {step['n']}: {step['title']}", step["about"]) for step in p["steps"]]
    return parts


def translated(c: dict) -> list[str]:
    """A translation's sentences, each with the keys of the pages it rests on (the same pages
    as its English sentence, listed under "Every source"), and its questions to bring."""
    lines = [f"## In {c['name']} (`{c['lang']}`)", ""]
    for where, heading, sentences in sections(c):
        lines += [f"### {where}: {heading}", ""]
        for s in sentences:
            rests = ", ".join(f"`{k}`" for k in s["sources"]) or "*Hearth's own words*"
            lines.append(f"- “{s['text']}” — {rests}")
        lines.append("")
    lines += [f"### {HEADINGS[c['lang']]['notes']}: {c['questions']}", ""]
    lines += [f"- {note['title']}: " + " / ".join(f"“{q}”" for q in note["questions"]) for note in c["notes"]]
    return lines + [""]


def render(c: dict, translations: list[dict] = ()) -> str:
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
        "The Spanish is Hearth's own translation of these same English sentences, checked against",
        "the same pages; it adds no claim and drops none. Each translated sentence has the",
        "catalogue key of its English one (`care.says.…` in `pwa/js/i18n/<code>/care.js`, the",
        "paced path's in `paced.js`) and its sources are the English sentence's, so",
        "`tests/test_care_sources.py` fails if a translation lacks a sentence, has one more, or",
        "rests one on other pages. It is listed after the questions, with the keys of its pages.",
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
    lines.append("")
    for other in translations:
        lines += translated(other)
    lines += ["## Every source", ""]
    for key, s in sorted(src.items(), key=lambda kv: kv[1]["by"] + kv[1]["title"]):
        lines.append(f"- `{key}`: {s['by']}, “{s['title']}”, <{s['url']}>")
    return "\n".join(lines) + "\n"


def main(argv) -> int:
    en = content()
    others = [content(code) for code in TRANSLATIONS]
    problems = [p for other in others for p in translation_problems(en, other)]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    text = render(en, others)
    if "--check" in argv:
        if DOC.read_text(encoding="utf-8") != text:
            print("docs/care-sources.md is out of date: run python scripts/care_sources.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
