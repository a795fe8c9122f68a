// The dock (the tab bar and quick hide) stays at the foot of the screen over the page, so
// the page keeps what has keyboard focus clear of it: the browser scrolls a focused thing
// into view inside the scroll padding, which follows the dock's height as text grows or
// the update banner comes and goes.

export function keepFocusClearOfTheDock() {
  const dock = document.querySelector(".dock");
  if (!dock || !("ResizeObserver" in globalThis)) return;
  new ResizeObserver(() => {
    document.documentElement.style.setProperty("--dock-height", `${Math.ceil(dock.getBoundingClientRect().height)}px`);
  }).observe(dock);
}
