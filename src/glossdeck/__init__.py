"""glossdeck: harvest acronyms and cited definitions from an Obsidian vault into Anki decks and more."""

__version__ = "0.1.0"
