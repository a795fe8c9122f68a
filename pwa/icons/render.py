"""Render the app icons from their SVG sources with headless chromium.

Run from the repository root after editing icon.svg or icon-maskable.svg:

    . .venv/bin/activate && python pwa/icons/render.py

Writes icon-192.png, icon-512.png (rounded, transparent corners), icon-maskable-512.png
(full bleed, shapes inside the maskable safe zone) and apple-touch-icon.png (180, full bleed;
iOS rounds it itself).
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
OUTPUTS = [
    ("icon.svg", "icon-192.png", 192),
    ("icon.svg", "icon-512.png", 512),
    ("icon-maskable.svg", "icon-maskable-512.png", 512),
    ("icon-maskable.svg", "apple-touch-icon.png", 180),
]


def render() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        for source, target, size in OUTPUTS:
            page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
            svg = (HERE / source).read_text()
            svg = svg.replace('width="512" height="512"', f'width="{size}" height="{size}"', 1)
            page.set_content(
                "<!doctype html><html><body style='margin:0;background:transparent'>"
                f"{svg}</body></html>")
            page.locator("svg").screenshot(path=str(HERE / target), omit_background=True)
            page.close()
            print(f"wrote {target} ({size}x{size})")
        browser.close()


if __name__ == "__main__":
    render()
