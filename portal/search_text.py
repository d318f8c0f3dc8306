"""Text folded for matching what people type against names and titles in any portal language.

One fold for every search-as-you-type and every "which country did they mean" lookup, so that
"казакстан", "ҚАЗАҚСТАН" and "Qozogʻiston" compare the way a reader would expect.
"""

import unicodedata

# Kazakh letters as their nearest Russian ones: a Kazakh word typed on a Russian keyboard
# (common in Kazakhstan) still matches, and the other way round.
_KAZAKH_TO_RUSSIAN = str.maketrans("әғқңөұүһі", "агкноуухи")
_KEEP = {"Lu", "Ll", "Lt", "Lo", "Nd"}


def fold(text: str) -> str:
    """Lower case without accents or marks (é→e, й→и, ё→е, қ→к), punctuation and modifier
    letters (the Uzbek ʻ) as spaces, runs of spaces as one."""
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_KAZAKH_TO_RUSSIAN)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in _KEEP:
            kept.append(ch)
        elif category != "Mn":
            kept.append(" ")
    return " ".join("".join(kept).split())
