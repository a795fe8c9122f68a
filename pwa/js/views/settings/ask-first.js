// The settings cards that change something for good open a confirmation in their place first.

// `button` opens `confirm(keep)` in `slot` in its place, focused; keep() folds it away and
// gives the button back.
export function askFirst(button, slot, confirm) {
  button.addEventListener("click", () => {
    button.hidden = true;
    slot.replaceChildren(confirm(() => {
      slot.replaceChildren();
      button.hidden = false;
      button.focus();
    }));
    slot.querySelector("h3").focus();
  });
}
