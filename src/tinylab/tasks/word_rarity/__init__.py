"""Task ``word-rarity``: how rare a word is, for any word: an exact word list, and a small model for the rest."""

from tinylab.tasks.word_rarity.task import RarityNetSpec, WordRarityData, WordRaritySpec, WordRarityTask

__all__ = ["RarityNetSpec", "WordRarityData", "WordRaritySpec", "WordRarityTask"]
