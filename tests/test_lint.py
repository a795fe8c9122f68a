"""Lint in the test run: ruff for Python, and node's own module parser for every app file.

Ruff's rule set is small on purpose (pyproject.toml says why); a plain `node --check` reads
a .js file as a script and misses errors a browser then throws on load, such as the same
`const` declared twice in one function, so each module is parsed as a module.

No unused-import check: the well-kept tool for it (ESLint) would need an npm install in
every run, and the app has no build step or node_modules to hang it on.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "server", "tests", "bench", "docs", "scripts"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# One node for every file: vm.SourceTextModule parses its source as a module, without
# linking or running it, and a syntax error comes back as the error's own message.
PARSE_ALL = """
const vm = require("node:vm"), fs = require("node:fs");
const broken = {};
for (const path of process.argv.slice(1)) {
  try { new vm.SourceTextModule(fs.readFileSync(path, "utf8"), { identifier: path }); }
  catch (error) { broken[path] = String(error); }
}
console.log(JSON.stringify(broken));
"""


def test_every_app_module_parses_as_a_module():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed for the app's tests (.ci/run installs it)")
    files = sorted(p for p in (ROOT / "pwa").rglob("*.js") if "vendor" not in p.parts)
    assert len(files) > 30, files
    done = subprocess.run([node, "--experimental-vm-modules", "--no-warnings", "-e", PARSE_ALL, *map(str, files)],
                          capture_output=True, text=True, check=True)
    broken = {str(Path(p).relative_to(ROOT)): err for p, err in json.loads(done.stdout).items()}
    assert not broken, broken


def test_the_module_parser_finds_what_a_browser_would_refuse(tmp_path):
    """A `const` declared twice in one function parses as a script but not as a module."""
    bad = tmp_path / "twice.js"
    bad.write_text("export function f() { const a = 1; const a = 2; return a; }\n")
    done = subprocess.run([shutil.which("node"), "--experimental-vm-modules", "--no-warnings", "-e", PARSE_ALL, str(bad)],
                          capture_output=True, text=True, check=True)
    assert "SyntaxError" in json.loads(done.stdout)[str(bad)]


def scripts_waited_on(tree) -> list[tuple[int, str]]:
    """(line, script) of every wait_for_function call whose script is written in the file:
    a literal, an f-string's literal parts, or a module-level constant it names."""
    import ast

    constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                 for t in n.targets if isinstance(t, ast.Name)
                 and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "wait_for_function" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((node.lineno, arg.value))
            elif isinstance(arg, ast.JoinedStr):
                found.append((node.lineno, "".join(v.value for v in arg.values if isinstance(v, ast.Constant))))
            elif isinstance(arg, ast.Name) and arg.id in constants:
                found.append((node.lineno, constants[arg.id]))
    return found


def test_no_test_waits_on_a_promise_that_wait_for_function_would_take_for_true():
    """page.wait_for_function does not await what its script returns: a promise is truthy,
    so a script whose arrow returns one (an import, a .then chain, an async function) waits
    for nothing (microsoft/playwright#29132). Such waits belong to app_helpers.eventually."""
    import ast
    import re

    returns_a_promise = re.compile(r"^\s*(async\b|\([^)]*\)\s*=>(?!\s*\{)[^\n]*(\bimport\(|\.then\())")
    offenders = [f"{path.name}:{line}" for path in sorted((ROOT / "tests").rglob("*.py"))
                 for line, script in scripts_waited_on(ast.parse(path.read_text()))
                 if returns_a_promise.search(script)]
    assert offenders == []
    assert returns_a_promise.search("() => import('/js/data/db.js').then((db) => db.getMeta('gaps'))")
    assert not returns_a_promise.search("(n) => { import('/x.js').then(() => {}); return window.__n === n; }")


# ---------- DOM calls that would print a list as text ----------

DOM_INSERTS = re.compile(r"\.(replaceChildren|append|prepend|before|after|replaceWith)\(")


def _skip_string(text: str, k: int) -> int:
    """The index just past the JS string literal that starts at text[k]."""
    quote, k = text[k], k + 1
    while k < len(text) and text[k] != quote:
        k += 2 if text[k] == "\\" else 1
    return k + 1


def _arguments(src: str, start: int) -> str:
    depth, k = 1, start
    while depth and k < len(src):
        if src[k] in "\"'`":
            k = _skip_string(src, k)
            continue
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(src[k], 0)
        k += 1
    return src[start:k - 1]


def _has_bare_array(args: str) -> bool:
    """An array literal among the call's own arguments, not spread and not indexed."""
    depth, k = 0, 0
    while k < len(args):
        c = args[k]
        if c in "\"'`":
            k = _skip_string(args, k)
            continue
        if c == "[" and depth == 0:
            before = args[:k].rstrip()
            if not before.endswith("...") and not re.search(r"[\w\])]$", before):
                return True
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(c, 0)
        k += 1
    return False


def dom_calls_given_a_list(src: str) -> list[int]:
    """Lines where replaceChildren/append/… get an array: the DOM writes it as "a,b" text
    (el() flattens its children; these do not)."""
    return [src[:m.start()].count("\n") + 1 for m in DOM_INSERTS.finditer(src)
            if _has_bare_array(_arguments(src, m.end()))]


def test_no_dom_call_is_given_a_list_where_children_belong():
    assert dom_calls_given_a_list('x.replaceChildren(ok\n  ? ["a ", el("a", {}, "b")]\n  : "c");') == [1]
    assert dom_calls_given_a_list('x.replaceChildren(...(ok ? [a, b] : [c]), items[0]);') == []
    found = [f"{path.relative_to(ROOT)}:{line}" for path in sorted((ROOT / "pwa" / "js").rglob("*.js"))
             for line in dom_calls_given_a_list(path.read_text(encoding="utf-8"))]
    assert found == [], found
