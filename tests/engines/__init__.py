"""Cross-engine browser tests (WebKitGTK, Firefox ESR). A package, so that its conftest is
`engines.conftest` and never shadows tests/conftest.py for `from conftest import ...`."""
