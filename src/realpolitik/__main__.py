"""``python -m realpolitik`` runs the command line."""

from .cli import main

main()
