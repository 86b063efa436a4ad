"""prlint's built-in checks (installed as ``prlint.checks``) and their YAML packs (``packs/``).

Each module holds one check, registered in the ``prlint.checks`` entry-point group exactly as a
third-party check would be. No check imports another check's module: shared helpers live in
``lib/``, imported relatively (``from .lib.quantities import singular``) so that mypy, which
reads this folder as the package ``checks``, follows them.
"""
