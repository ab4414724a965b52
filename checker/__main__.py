"""``python -m checker`` runs the gkcheck command line."""

from checker.cli import main

main()
