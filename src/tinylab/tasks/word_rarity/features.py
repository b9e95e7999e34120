"""What word-rarity's models see of a word, computed with numpy alone (no torch at prediction time).

A word is normalized (Unicode NFC, case-folded, surrounding space and NUL bytes removed) and read as UTF-8
bytes between two start markers and an end marker. Two integer arrays describe it:

- ``ngrams``: hashed byte n-grams (1 to ``max_n`` bytes, markers included), ids ``1..buckets``, 0 = padding;
- ``classes``: each byte's letter class (``CLASSES`` classes: the 26 ASCII letters, digit, apostrophe,
  hyphen, other ASCII, eight classes of UTF-8 continuation bytes, UTF-8 lead byte; 0 = a marker),
  ``PAD_CLASS`` after the end. The model reads a character language model's log-probability of the
  spelling (bigram and hashed trigram tables over these classes) and the spelling cues (length, vowels,
  syllables, digits, apostrophes, non-ASCII letters, hyphens) from them.

Both arrays are as wide as the batch's longest word needs (at most ``max_len`` bytes of a word), and as
wide as each other."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np

CLASSES = 40
PAD_CLASS = CLASSES  # after the end marker
VOWELS = np.array([1, 5, 9, 15, 21, 25])  # a e i o u y
DIGIT, APOSTROPHE, HYPHEN = 27, 28, 29
FIRST_NON_ASCII = 31
_START, _END = 256, 257


def _class_table() -> np.ndarray:
    t = np.full(258, 30, dtype=np.int64)
    t[ord("a"):ord("z") + 1] = np.arange(1, 27)
    t[ord("0"):ord("9") + 1] = DIGIT
    t[ord("'")] = APOSTROPHE
    t[ord("-")] = HYPHEN
    t[0x80:0xC0] = FIRST_NON_ASCII + np.arange(64) % 8  # continuation bytes: which accent, roughly
    t[0xC0:0x100] = 39  # lead bytes
    t[_START] = t[_END] = 0
    return t


CLASS_OF = _class_table()
_MULT = np.uint64(0x100000001B3)
_SALT_INT, _MASK = 0x9E3779B97F4A7C15, (1 << 64) - 1


def normalize(word: str) -> str:
    """The form every lookup and every model sees: NFC, case-folded, no surrounding space, no NUL."""
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
    word = word.strip().casefold()  # as wordfreq folds its words: "Straße" -> "strasse"
    return word.replace("\x00", "") if "\x00" in word else word


def byte_matrix(words: Sequence[str], max_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Normalized words as a ``(n, 2 + width + 1)`` int64 array: two start markers, the bytes (at most
    ``max_len``), the end marker, then 0; and each word's byte count (at most ``max_len``)."""
    encoded = [normalize(w).encode("utf-8", "surrogatepass") for w in words]
    n = len(encoded)
    lengths = np.fromiter((min(len(b), max_len) for b in encoded), dtype=np.int64, count=n)
    width = max(1, int(lengths.max())) if n else 1
    s = np.zeros((n, width + 3), dtype=np.int64)
    if n:
        s[:, 2:2 + width] = np.array(encoded, dtype=f"S{width}").view(np.uint8).reshape(n, width)
    s[:, :2] = _START
    s[np.arange(n), lengths + 2] = _END
    return s, lengths


def encode_narrow(words: Sequence[str], max_len: int, buckets: int, max_n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(ngrams, classes)`` with ``classes`` only as wide as the words need (the numpy path's form)."""
    s, lengths = byte_matrix(words, max_len)
    n, width = s.shape
    last = lengths + 2  # position of the end marker
    grams = []
    h = np.zeros((n, width), dtype=np.uint64)
    su = s.view(np.uint64)  # bytes and markers: non-negative, so the same bits
    power_of_two = buckets & (buckets - 1) == 0  # then x % buckets is x & (buckets - 1), several times faster
    for k in range(1, max_n + 1):
        # h[:, j] hashes s[:, j:j+k]; valid where the window ends at or before the end marker
        h = h[:, :width - k + 1] * _MULT ^ su[:, k - 1:]
        salt = np.uint64((_SALT_INT * k) & _MASK)
        mixed = (h ^ salt) * _MULT >> np.uint64(20)
        ids = (mixed & np.uint64(buckets - 1) if power_of_two else mixed % np.uint64(buckets)) + np.uint64(1)
        valid = np.arange(width - k + 1)[None, :] + (k - 1) <= last[:, None]
        grams.append(ids.view(np.int64) * valid)  # ids < buckets + 1: the same value as int64
    classes = CLASS_OF[s]
    classes[np.arange(width)[None, :] > last[:, None]] = PAD_CLASS
    return np.concatenate(grams, axis=1), classes


def encode(words: Sequence[str], max_len: int, buckets: int, max_n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(ngrams, classes)`` of a batch of words (see the module docstring), equally wide."""
    ngrams, narrow = encode_narrow(words, max_len, buckets, max_n)
    # as wide as ngrams (a model's inputs share their width): PAD_CLASS after the end marker
    classes = np.full(ngrams.shape, PAD_CLASS, dtype=np.int64)
    classes[:, :narrow.shape[1]] = narrow
    return ngrams, classes


def lm_indices(classes: np.ndarray, trigram_buckets: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each position from the first byte to the end marker: the bigram-table index
    ``prev * CLASSES + this``, the hashed trigram index, and whether the position is inside the word."""
    c = classes
    prev2, prev, this = c[:, :-2], c[:, 1:-1], c[:, 2:]
    inside = this != PAD_CLASS
    p1, t = np.minimum(prev, CLASSES - 1), np.minimum(this, CLASSES - 1)
    bigram = np.where(inside, p1 * CLASSES + t, 0)
    if not trigram_buckets:  # no trigram table: every index is 0 (x % 1), without computing them
        return bigram, np.zeros_like(bigram), inside
    tri = (np.minimum(prev2, CLASSES - 1) * CLASSES + p1) * CLASSES + t
    trigram = np.where(inside, (tri * 2654435761) % trigram_buckets, 0)
    return bigram, trigram, inside


_IS_VOWEL = np.zeros(CLASSES + 1, dtype=bool)
_IS_VOWEL[VOWELS] = True
_IS_LETTER = np.ones(CLASSES + 1, dtype=bool)
_IS_LETTER[[0, PAD_CLASS]] = False  # markers and padding are not part of the word
_IS_NON_ASCII = np.zeros(CLASSES + 1, dtype=bool)
_IS_NON_ASCII[FIRST_NON_ASCII:CLASSES] = True
_LETTER, _VOWEL, _DIGIT, _APOSTROPHE, _NON_ASCII, _HYPHEN = (np.uint8(1 << i) for i in range(6))
_FLAGS = (_IS_LETTER * _LETTER | _IS_VOWEL * _VOWEL | _IS_NON_ASCII * _NON_ASCII).astype(np.uint8)
_FLAGS[DIGIT] |= _DIGIT
_FLAGS[APOSTROPHE] |= _APOSTROPHE
_FLAGS[HYPHEN] |= _HYPHEN


def spelling_cues(classes: np.ndarray) -> np.ndarray:
    """Per word: bytes / 10, log(1 + bytes), vowel share, vowel groups (syllables) / 4, has a digit, has an
    apostrophe, share of non-ASCII bytes, has a hyphen (float32, ``(n, 8)``)."""
    flags = _FLAGS[classes[:, 2:]]  # one table lookup per byte; each cue reads its bit
    length = (flags & _LETTER).astype(bool).sum(1).astype(np.float32)
    safe = np.maximum(length, 1.0)
    vowel = (flags & _VOWEL).astype(bool)  # markers and padding are no vowels
    onsets = vowel[:, 1:] & ~vowel[:, :-1]
    syllables = onsets.sum(1) + vowel[:, 0]
    return np.stack([
        length / 10.0, np.log1p(length), vowel.sum(1) / safe, syllables / 4.0,
        (flags & _DIGIT).any(1), (flags & _APOSTROPHE).any(1), (flags & _NON_ASCII).astype(bool).sum(1) / safe,
        (flags & _HYPHEN).any(1),
    ], axis=1).astype(np.float32)


N_CUES = 8
