#!/usr/bin/env python3
"""Write the service worker's precache list and version, and the page's module preloads:
`python scripts/precache.py`.

The shell is every file pwa/index.html can load: its stylesheets, scripts, icons and
manifest (with the manifest's icons), and every module reachable from its scripts by
static or dynamic import, `new URL(…, import.meta.url)` (workers) and importScripts. This
writes that list into pwa/sw.js's `const SHELL = [...]`, and when the shell's digest (its
paths and bytes) differs from the `// shell digest:` line of the last commit's sw.js, sets
VERSION one above that commit's and records the new digest, so installed apps hear of the
update (once per commit, however often it runs).

It also writes pwa/index.html's `<link rel="modulepreload">` lines: every module the first
screen (main.js and the home view) imports statically, so the browser asks for them all at
once instead of one level of imports per round trip. Other screens load when opened.

`--check` writes nothing and exits 1 when pwa/sw.js or pwa/index.html is stale. tests/test_app_shell.py
prints this command when it is. Standard library only; run it from anywhere.
"""

import hashlib
import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path

PWA = Path(__file__).resolve().parent.parent / "pwa"
SW = PWA / "sw.js"

STATIC_IMPORTS = [
    re.compile(r"""\bimport\s+(?:[\w*{}\s,]+?\s+from\s+)?["']([^"']+)["']"""),
    re.compile(r"""\bexport\s+[\w*{}\s,]+?\s+from\s+["']([^"']+)["']"""),
]
IMPORTS = [
    *STATIC_IMPORTS,
    re.compile(r"""\bimport\(\s*["']([^"']+)["']\s*\)"""),
    re.compile(r"""new\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url"""),
    re.compile(r"""\bimportScripts\(\s*["']([^"']+)["']"""),
    re.compile(r"""["'](/css/[\w./-]+\.css)["']"""),   # a screen's own stylesheet (views/index.js)
]


# import(`./${language}.js`): a path computed when the page runs (a language's catalogue, an
# area's words). Every file it could name is in the shell, so any language works offline.
COMPUTED_IMPORT = re.compile(r"""\bimport\(\s*`([^`]+)`""")


def _computed(base: str, spec: str, root: Path) -> list[str]:
    """The files a computed import under `base` could load: each ${…} matches one name."""
    url = _resolve(base, re.sub(r"\$\{[^}]*\}", "*", spec))
    if not url:
        return []
    return sorted("/" + str(f.relative_to(root)) for f in root.glob(url.lstrip("/")) if f.is_file())


def _resolve(base: str, spec: str) -> str | None:
    if spec.startswith("/"):
        return spec
    if spec.startswith(("./", "../")):
        return posixpath.normpath(posixpath.join(posixpath.dirname(base), spec))
    return None


FIRST_SCREEN = ["/js/main.js", "/js/views/home.js"]
PRELOAD_START, PRELOAD_END = "  <!-- module preloads: written by scripts/precache.py -->\n", "  <!-- /module preloads -->\n"


def first_screen_modules(root: Path = PWA) -> list[str]:
    """Every module FIRST_SCREEN imports statically, in a stable order, main.js left out
    (its own script tag asks for it)."""
    found, todo = set(), list(FIRST_SCREEN)
    while todo:
        url = todo.pop()
        if url in found:
            continue
        found.add(url)
        text = (root / url.lstrip("/")).read_text()
        todo += [u for pattern in STATIC_IMPORTS for spec in pattern.findall(text) if (u := _resolve(url, spec))]
    return sorted(found - {"/js/main.js"})


def with_preloads(html: str, modules: list[str]) -> str:
    """index.html with its preload block holding exactly `modules`."""
    block = PRELOAD_START + "".join(f'  <link rel="modulepreload" href="{m}">\n' for m in modules) + PRELOAD_END
    if PRELOAD_START in html:
        start, end = html.index(PRELOAD_START), html.index(PRELOAD_END) + len(PRELOAD_END)
        return html[:start] + block + html[end:]
    anchor = '  <script type="module" src="/js/main.js"></script>\n'
    return html.replace(anchor, anchor + block, 1)


def shell_files(root: Path = PWA) -> list[str]:
    """Every file the shell can load, as absolute URL paths, sorted."""
    html = (root / "index.html").read_text()
    manifest = json.loads((root / "manifest.webmanifest").read_text())
    found = {"/index.html"}
    todo = [u for u in re.findall(r'(?:src|href)="(/[^"#?]*)"', html) if u != "/"]
    todo += [icon["src"] for icon in manifest.get("icons", [])]
    while todo:
        url = todo.pop()
        if url in found:
            continue
        if not (root / url.lstrip("/")).is_file():
            raise SystemExit(f"the shell refers to {url}, which is not in {root}")
        found.add(url)
        if url.endswith((".js", ".mjs")):
            text = (root / url.lstrip("/")).read_text()
            todo += [u for pattern in IMPORTS for spec in pattern.findall(text) if (u := _resolve(url, spec))]
            todo += [u for spec in COMPUTED_IMPORT.findall(text) for u in _computed(url, spec, root)]
    return sorted(found)


def digest(paths: list[str], root: Path = PWA) -> str:
    """What tests/test_app_shell.py computes: sha256 over each path and its bytes, in order."""
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.encode() + b"\0" + (root / path.lstrip("/")).read_bytes() + b"\0")
    return h.hexdigest()[:16]


def recorded(source: str) -> tuple[int, str | None]:
    version = int(re.search(r"^const VERSION = (\d+);$", source, re.M).group(1))
    found = re.search(r"^// shell digest: ([0-9a-f]{16})$", source, re.M)
    return version, found.group(1) if found else None


def committed() -> str | None:
    """pwa/sw.js as the last commit has it, if this is a git checkout."""
    try:
        run = subprocess.run(["git", "show", "HEAD:pwa/sw.js"], cwd=PWA.parent, capture_output=True, text=True)
    except OSError:
        return None
    return run.stdout if run.returncode == 0 else None


def updated(source: str, paths: list[str], shell_digest: str, base: str | None) -> str:
    """sw.js with this SHELL list, and one VERSION more than `base` (the last commit's sw.js,
    else this one) when the digest moved since: running it again before committing changes
    nothing more."""
    listing = "".join(f'  "{p}",\n' for p in paths)
    source = re.sub(r"const SHELL = \[\n.*?\];", lambda _: f"const SHELL = [\n{listing}];", source, count=1, flags=re.S)
    version, was = recorded(base or source)
    if was != shell_digest:
        version += 1
    source = re.sub(r"^const VERSION = \d+;$", f"const VERSION = {version};", source, count=1, flags=re.M)
    return re.sub(r"^// shell digest: .*$", f"// shell digest: {shell_digest}", source, count=1, flags=re.M)


def main(argv: list[str]) -> int:
    page = PWA / "index.html"
    html = page.read_text()
    new_html = with_preloads(html, first_screen_modules())
    if new_html != html:
        if "--check" in argv:
            print("pwa/index.html's module preloads are stale: run `python scripts/precache.py`")
            return 1
        page.write_text(new_html)
        print(f"pwa/index.html: {len(first_screen_modules())} module preloads")
    paths = shell_files()
    source = SW.read_text()
    new = updated(source, paths, digest(paths), committed())
    if new == source:
        print(f"pwa/sw.js is up to date ({len(paths)} files)")
        return 0
    if "--check" in argv:
        print("pwa/sw.js is stale: run `python scripts/precache.py`")
        return 1
    SW.write_text(new)
    version = re.search(r"^const VERSION = (\d+);$", new, re.M).group(1)
    print(f"pwa/sw.js: {len(paths)} files, VERSION {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
