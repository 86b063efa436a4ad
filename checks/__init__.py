"""prlint's built-in checks (installed as ``prlint.checks``) and their YAML packs (``packs/``).

Each module holds one check, registered in the ``prlint.checks`` entry-point group exactly as a
third-party check would be.
"""
