"""Every factual sentence on "Getting help" and "Good to know" rests on a public source.

The app's care words live in pwa/js/help/ with the keys of their sources; these tests read
them through node exactly as the app ships them, and hold them to docs/care-sources.md:
each key names a known page, each factual sentence has at least one https page, and the
document lists each sentence word for word beside the addresses of its pages. The Spanish
is Hearth's translation of the same sentences: the same ones, by catalogue key, each on the
same pages, every one with Spanish words of its own, listed in the document too.
"""

import copy

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import care_sources  # noqa: E402

DOC = (ROOT / "docs" / "care-sources.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def content():
    return care_sources.content()


@pytest.fixture(scope="module")
def spanish():
    return care_sources.content("es")


def every_sentence(content):
    return [s for _, _, sentences in care_sources.sections(content) for s in sentences]


def test_the_document_is_written_from_the_app_words():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "care_sources.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_source_key_names_a_known_page(content):
    known = set(content["sources"])
    for s in every_sentence(content):
        unknown = set(s["sources"]) - known
        assert not unknown, f"{s['text']!r} names unknown sources {unknown}"


def test_every_factual_sentence_has_an_https_source(content):
    facts = [s for s in every_sentence(content) if s["sources"]]
    assert len(facts) >= 40, "the care screens hold more facts than this"
    for s in facts:
        urls = [content["sources"][k]["url"] for k in s["sources"]]
        assert any(u.startswith("https://") for u in urls), f"{s['text']!r} rests only on {urls}"


def test_the_document_lists_each_sentence_beside_its_pages(content):
    lines = DOC.splitlines()
    for s in every_sentence(content):
        line = next((ln for ln in lines if f"“{s['text']}”" in ln), None)
        assert line, f"docs/care-sources.md does not list {s['text']!r}"
        if s["sources"]:
            for key in s["sources"]:
                assert content["sources"][key]["url"] in line, f"{s['text']!r}: {key} is not beside it"
        else:
            assert "Hearth's own words" in line


def test_every_listed_page_is_used_and_well_formed(content):
    used = {k for s in every_sentence(content) for k in s["sources"]}
    for key, page in content["sources"].items():
        assert key in used, f"{key} is listed but nothing rests on it"
        assert re.match(r"^https?://[^\s]+$", page["url"]), key
        assert page["title"].strip() and page["by"].strip(), key
        assert page["url"] in DOC


def test_sentences_are_whole_and_notes_have_questions(content):
    for s in every_sentence(content):
        assert s["text"] != s["id"], f"{s['id']} has no English words"   # t() gives the key back
        assert s["text"] == s["text"].strip() and s["text"][-1] in ".?!”", s["text"]
        assert len(s["text"]) <= 240, s["text"]
    for note in content["notes"]:
        assert 2 <= len(note["questions"]) <= 5, note["id"]
        assert all(q.endswith("?") and len(q) <= 500 for q in note["questions"]), note["id"]
        assert any(s["sources"] for s in note["says"]), f"{note['id']} states nothing it can source"


def test_the_words_stay_inclusive_and_never_make_sex_the_goal(content):
    # No assumption about who a partner is or what their body is: no gendered words.
    gendered = re.compile(r"\b(men|man|women|woman|husband|wife|boyfriend|girlfriend|he|she|his|her)\b", re.I)
    goal = re.compile(r"\b(get back to sex|back to normal|so you can have sex|perform\w*)\b", re.I)
    texts = [s["text"] for s in every_sentence(content)] + [q for n in content["notes"] for q in n["questions"]]
    for text in texts:
        assert not gendered.search(text), text
        assert not goal.search(text), text


def test_the_list_of_pages_stays_out_of_the_app(content):
    # The app never loads the list, and it names other hosts: it lives beside the script, and
    # no file the phone is served names any of its pages.
    shipped = [p for p in (ROOT / "pwa").rglob("*") if p.is_file() and p.suffix in (".js", ".html", ".json", ".css")]
    assert not [p for p in shipped if p.name in ("sources.js", "care_sources.json")]
    for page in content["sources"].values():
        holders = [p.relative_to(ROOT) for p in shipped if page["url"] in p.read_text(encoding="utf-8", errors="replace")]
        assert not holders, f"{page['url']} is named in {holders}"


def test_the_paced_path_rests_on_its_sources(content):
    about = content["paced"]["about"]
    assert any("sensate focus" in s["text"] and s["sources"] for s in about)
    assert len(content["paced"]["steps"]) == 6


def test_the_spanish_says_the_same_sentences_on_the_same_pages(content, spanish):
    assert care_sources.translation_problems(content, spanish) == []
    english = {s["id"]: s["text"] for s in every_sentence(content)}
    for s in every_sentence(spanish):
        assert s["text"] != english[s["id"]], f"{s['id']} is still in English"
    for note, nota in zip(content["notes"], spanish["notes"]):
        assert len(nota["questions"]) == len(note["questions"])
        assert not set(nota["questions"]) & set(note["questions"]), f"{note['id']}'s questions are still in English"


def test_the_check_finds_a_spanish_sentence_missing_added_or_resting_elsewhere(content, spanish):
    lacking = copy.deepcopy(spanish)
    del lacking["words"]["care.says.fever_38"]
    assert care_sources.translation_problems(content, lacking) == ['es: "care.says.fever_38" has no words of its own']

    unused = copy.deepcopy(spanish)
    unused["words"]["care.says.new_claim"] = "Una afirmación que el inglés no hace."
    assert care_sources.translation_problems(content, unused) == ['es: "care.says.new_claim" is a sentence no screen shows']

    added = copy.deepcopy(spanish)
    added["help"]["intro"].append({"id": "care.says.extra", "text": "De más.", "sources": ["cdc_fever"]})
    assert "es: the sentences are not the English ones in the English order" in care_sources.translation_problems(content, added)

    elsewhere = copy.deepcopy(spanish)
    elsewhere["help"]["call"]["items"][0][0]["sources"] = ["cdc_fever"]
    assert care_sources.translation_problems(content, elsewhere) == [
        'es: "care.says.fever_38" rests on [\'cdc_fever\', \'cruk_temperature\', \'cruk_infection\'] in English '
        "but ['cdc_fever'] here"]


def test_the_document_lists_each_spanish_sentence_beside_its_pages(spanish):
    lines = DOC.splitlines()
    start = lines.index("## In Spanish (`es`)")
    for s in every_sentence(spanish):
        line = next((ln for ln in lines[start:] if f"“{s['text']}”" in ln), None)
        assert line, f"docs/care-sources.md does not list {s['text']!r}"
        assert all(f"`{key}`" in line for key in s["sources"]) and (s["sources"] or "Hearth's own words" in line)
    assert "The Spanish is Hearth's own translation of these same English sentences" in DOC


def test_the_spanish_stays_inclusive_and_whole(spanish):
    # As in English: no word that assumes who a partner is, or their body. (Not the pronouns:
    # in Spanish "ella" is as often the dryness or the referral as a person.)
    gendered = re.compile(r"\b(hombres?|mujer(es)?|marido|esposo|esposa|novio|novia)\b", re.I)
    texts = [s["text"] for s in every_sentence(spanish)] + [q for n in spanish["notes"] for q in n["questions"]]
    for text in texts:
        assert not gendered.search(text), text
        assert text == text.strip() and text[-1] in ".?!»", text
