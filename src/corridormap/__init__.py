"""corridormap: maps, briefing outputs and spatial queries for the China–Central Asia corridors.

The public names are listed once, in ``__init__.pyi``; they load on first use (PEP 562, through
lazy_loader's ``attach_stub``), so ``import corridormap`` and the command line's ``--help`` do
not pay for geopandas, folium or matplotlib until something needs them. Type checkers read the
same stub.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
