"""`python -m glossdeck` runs the command line, as the `glossdeck` script does."""

from .cli import main

main()
