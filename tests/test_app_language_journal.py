"""The journal, its length limits and its kept drafts, and the boundary maps, on a phone
that speaks Spanish (issue #14, "Languages"): in their fullest state (every form open, a
partner's words and replies, a folded long entry, a kept draft, a limit nearly reached)
no English is left on them, and axe finds nothing serious.

What people wrote stays in their own words: the partner's entries here are in English on
purpose, and english_left spares them because they carry dir="auto"."""

import pytest
from playwright.sync_api import expect

from app_helpers import add_boundary, go, reply, write_journal
from language_helpers import expect_spanish, paired_in_english, speak

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAM_WORDS = "We walked by the river after dinner, and it was easy to be close."
ALEX_REPLY = "That evening was lovely for me too."
LONG = " ".join(f"Sentence {i} of a long evening, written slowly." for i in range(110))   # folds

PASTE = """([selector, text]) => { const data = new DataTransfer(); data.setData('text/plain', text);
  document.querySelector(selector).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })); }"""








def test_the_journal_with_every_form_open_is_all_in_spanish(relay, browser_context):
    alex, sam = paired_in_english(relay, browser_context)
    write_journal(sam, SAM_WORDS)
    # Alex: a private entry long enough to fold, with tags and a feeling, and a reply to Sam.
    go(alex, "journal")
    alex.get_by_role("button", name="Write an entry").click()
    alex.get_by_label("What did you try, and how did it feel?").fill(LONG)
    alex.get_by_label("We tried something").check()
    alex.get_by_label("About feelings").check()
    alex.get_by_label("How do you feel now? (optional)").fill("calm and close")
    alex.get_by_role("button", name="Keep it private for now").click()
    expect(alex.locator(".entry-text", has_text="Sentence 0 of")).to_be_visible()
    reply(alex, SAM_WORDS, ALEX_REPLY)
    for page in (alex, sam):
        speak(page, None)
    go(alex, "journal")
    expect(alex.locator("h1")).to_have_text("Diario")
    shared = alex.locator("article.entry", has_text=SAM_WORDS)
    expect(shared.locator(".entry-author").first).to_have_text("Tu pareja")
    expect(shared.locator(".reply .entry-author")).to_have_text("Tú")
    expect(shared.locator(".reply", has_text=ALEX_REPLY)).to_be_visible()
    mine = alex.locator("article.entry", has_text="Sentence 0 of")
    expect(mine.locator(".badge")).to_have_text("Borrador privado")
    expect(mine.locator(".entry-feeling")).to_have_text("Sensación al final: calm and close")
    mine.get_by_role("button", name="Leerlo todo").click()
    expect(mine.get_by_role("button", name="Mostrar menos")).to_have_attribute("aria-expanded", "true")
    expect_spanish(alex, "journal in Spanish")

    # A new entry nearly at its limit, then a paste too long; left, and found again kept.
    alex.get_by_role("button", name="Escribir una entrada").click()
    box = alex.get_by_label("¿Qué probaste y cómo te sentiste?")
    box.fill("x" * 9500)
    limit = alex.locator("#" + box.get_attribute("id") + "-limit")
    expect(limit).to_have_text("Quedan 500 de 10.000 caracteres.")
    alex.evaluate(PASTE, ["#" + box.get_attribute("id"), "y" * 2000])
    expect(limit).to_have_text("Lo que pegaste era más largo de lo que cabe aquí, así que solo entró el principio. "
                               "Aquí no cabe más: 10.000 caracteres como máximo. El resto sigue donde lo copiaste.")
    go(alex, "home")
    go(alex, "journal")
    expect(alex.get_by_text("Guardamos lo que estabas escribiendo.")).to_be_visible()
    expect(alex.get_by_role("button", name="Descartarlo")).to_be_visible()
    alex.get_by_label("¿Cómo te sientes ahora? (opcional)").fill("z" * 199)
    expect(alex.get_by_text("Queda 1 de 200 caracteres.")).to_be_visible()

    # Editing my entry, a reply to Sam's with an empty try first, deleting my reply.
    mine.get_by_role("group", name="Qué puedes hacer con esta entrada").get_by_role("button", name="Editar").click()
    expect(mine.get_by_label("Tu entrada")).to_be_visible()
    shared.get_by_role("button", name="Responder", exact=True).click()
    shared.get_by_role("button", name="Enviar respuesta").click()
    expect(shared.locator(".form-error")).to_have_text("Escribe unas palabras primero; una entrada no puede quedar vacía.")
    shared.get_by_label("Tu respuesta").fill("Gracias por contarlo.")
    shared.locator(".reply").get_by_role("button", name="Borrar").click()
    expect(shared.get_by_role("group", name="¿Borrar esta respuesta?")).to_contain_text(
        "¿Borrar esta respuesta de los dos teléfonos? Puede que tu pareja ya la haya leído.")
    # Sam writes meanwhile: it waits for Alex to finish, and says so.
    go(sam, "journal")
    sam.get_by_role("button", name="Escribir una entrada").click()
    sam.get_by_label("¿Qué probaste y cómo te sentiste?").fill("Otra noche tranquila.")
    sam.get_by_role("button", name="Compartir con mi pareja").click()
    expect(sam.locator(".entry-text", has_text="Otra noche tranquila.")).to_be_visible()
    expect(alex.locator(".waiting-update")).to_have_text("Lo nuevo de tu pareja aparecerá cuando termines de escribir.")
    expect_spanish(alex, "journal in Spanish, every form open")

    # Sam: many entries of their own, so the earlier ones wait behind a button that counts them.
    sam.evaluate("""() => import('/js/device/records.js').then(async (records) => {
      for (let i = 0; i < 31; i += 1) await records.put('journal', { text: `nota ${i}`, shared: false }); })""")
    sam.reload()
    earlier = sam.get_by_role("button", name="Ver entradas anteriores (3 más)")
    expect(earlier).to_be_visible()
    expect_spanish(sam, "journal in Spanish, many entries")
    earlier.click()
    expect(sam.locator("article.entry", has_text=SAM_WORDS).locator(".reply .entry-author")).to_have_text("Tu pareja")
    assert alex.errors == [] and sam.errors == []


def test_both_boundary_maps_with_every_form_open_are_all_in_spanish(relay, browser_context):
    alex, sam = paired_in_english(relay, browser_context)
    # Alex's map: a treatment period, boundaries with notes, one only during the period, a
    # level changed (history), and something to take off later; Sam asks for more care.
    go(alex, "boundaries")
    alex.get_by_text("Mark a treatment period").click()
    alex.get_by_label("What is it called?").fill("semana de quimio")
    alex.locator("section.periods").get_by_role("button", name="Add").click()
    expect(alex.locator("section.periods .badge")).to_have_text("Now")
    add_boundary(alex, "Add a kind of touch", "una mano en la espalda", "welcome", note="despacio")
    add_boundary(alex, "Add a topic", "planes de viaje", "not_now")
    add_boundary(alex, "Choose a stop signal", "pausa")
    add_boundary(alex, "Add a note about pain", "calor")
    alex.get_by_text("Add a body area").click()
    form = alex.locator("details.boundary-add-fold[open]")
    form.get_by_label("In a few words").fill("la cicatriz")
    form.get_by_label("When it applies").select_option(label="Only during semana de quimio")
    form.get_by_role("button", name="Add").click()
    expect(alex.locator(".boundary-item", has_text="la cicatriz")).to_contain_text("During semana de quimio: applies now")
    alex.get_by_label('How "una mano en la espalda" feels now').select_option("ask_first")
    go(sam, "boundaries?whose=partner")
    touch = sam.locator(".boundary-item", has_text="una mano en la espalda")
    expect(touch.locator(".boundary-level")).to_contain_text("Ask me first")
    touch.get_by_text("I'd like us to be more careful here").click()
    touch.get_by_role("button", name="Ask for this").click()
    expect(touch.locator(".boundary-level")).to_contain_text("Not right now")
    for page in (alex, sam):
        speak(page, None)

    go(alex, "boundaries")
    expect(alex.locator("h1")).to_have_text("Límites")
    expect(alex.locator(".notice")).to_contain_text("Tu pareja ha pedido más cuidado con algo de tu mapa.")
    mine = alex.locator(".boundary-item", has_text="una mano en la espalda")
    expect(mine.locator(".boundary-changed")).to_have_text(
        "Tu pareja ha pedido más cuidado aquí (ahora no). Se queda así hasta que tú decidas otra cosa.")
    mine.get_by_text("Cómo ha cambiado").click()
    expect(mine.locator(".boundary-history li").first).to_contain_text("Tu pareja: pregúntame antes → ahora no")
    alex.get_by_text("Añadir una forma de contacto").click()
    alex.get_by_text("Marcar un periodo de tratamiento").click()
    alex.locator(".boundary-item", has_text="calor").get_by_role("button", name="Quitar").click()
    expect(alex.get_by_role("group", name="¿Quitar «calor»?")).to_be_visible()
    expect_spanish(alex, "my map in Spanish, every form open")
    alex.get_by_role("button", name="Sí, quitarlo").click()
    expect(alex.locator(".boundary-undo")).to_contain_text("«calor» ya no está en tu mapa.")
    expect_spanish(alex, "my map in Spanish, a boundary just taken off")
    go(alex, "boundaries?whose=partner")
    expect(alex.locator(".empty")).to_have_text(
        "Tu pareja todavía no ha compartido su mapa. Aparecerá aquí cuando lo haga. Mientras tanto, pregunta antes.")
    expect_spanish(alex, "an empty partner's map in Spanish")

    go(sam, "boundaries?whose=partner")
    expect(sam.locator(".boundary-removed")).to_contain_text("Ya no está en el mapa: pregunta antes")
    expect(sam.locator(".boundary-item", has_text="la cicatriz")).to_contain_text("Durante semana de quimio: vale ahora")
    expect(sam.locator("section.periods")).to_contain_text("Ahora: semana de quimio.")
    sam.locator(".boundary-item", has_text="planes de viaje").get_by_text("Me gustaría que tuviéramos más cuidado aquí").click()
    sam.locator(".boundary-item", has_text="una mano en la espalda").get_by_text("Cómo ha cambiado").click()
    expect_spanish(sam, "my partner's map in Spanish, every form open")
    go(sam, "boundaries")
    expect_spanish(sam, "an empty map of my own in Spanish")
    assert alex.errors == [] and sam.errors == []
