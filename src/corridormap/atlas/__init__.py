"""The atlas: corridors joined to their metadata, places and sources, and what follows from them.

- :mod:`.core` builds the :class:`Atlas` from validated layers and tables (:func:`load`);
- :mod:`.history` reconstructs each corridor's and segment's status in a past year;
- :mod:`.diff` compares two atlases (two releases, two folders);
- :mod:`._cache` keeps validated atlases (and answers derived from them) on disk;
- :mod:`._overlap` validates on the second core while a cold ``corridormap map`` loads its renderer.
"""

from __future__ import annotations

from corridormap.atlas.core import Atlas, load, reported_length_range

__all__ = ["Atlas", "load", "reported_length_range"]
