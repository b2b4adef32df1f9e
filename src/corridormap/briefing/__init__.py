"""Briefing packs: a spec in, a folder of map, figure, tables, alt text and a page out.

- :mod:`.spec` reads and checks a TOML spec;
- :mod:`.pack` writes the pack (:func:`brief`) and its tables;
- :mod:`.page` builds the one-page ``index.html``;
- :mod:`.routes` reads and describes the routes a spec asks for.
"""

from __future__ import annotations

from corridormap.briefing.pack import brief

__all__ = ["brief"]
