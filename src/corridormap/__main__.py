"""``python -m corridormap`` runs the command line."""

from corridormap.cli.app import main

if __name__ == "__main__":
    main()
