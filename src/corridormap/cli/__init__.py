"""The command line: thin typer commands over the public API.

- :mod:`.app` assembles the command groups (the console script is ``corridormap.cli:main``);
- :mod:`.options` holds the shared option types, ``fail`` and ``emit``;
- one module per command group: :mod:`.atlas`, :mod:`.map`, :mod:`.brief`, :mod:`.query`,
  :mod:`.revenue`, :mod:`.routes`, :mod:`.diff`.
"""

from __future__ import annotations

from corridormap.cli.app import main

__all__ = ["main"]
