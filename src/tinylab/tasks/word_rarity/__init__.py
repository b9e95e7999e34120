"""Task ``word-rarity``: how rare a word is, from its spelling alone."""

from tinylab.tasks.word_rarity.task import WordRarityData, WordRaritySpec, WordRarityTask

__all__ = ["WordRarityData", "WordRaritySpec", "WordRarityTask"]
