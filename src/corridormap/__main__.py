"""``python -m corridormap`` runs the command line."""

from .cli import main

main()
