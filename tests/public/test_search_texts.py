"""The search texts of all entries in one buffer (public.search_texts), against a plain list."""

from __future__ import annotations

import random

from campaign.public.search_texts import SearchTexts

WORDS = ["baeckerei", "auto", "kfz", "pflege", "украина", "مخبز", "b", "ei"]


def texts_of(rng: random.Random) -> list[str]:
    return [" ".join(rng.choices(WORDS, k=rng.randint(0, 4))) for _ in range(rng.randint(0, 30))]


def filled(texts: list[str]) -> SearchTexts:
    """A column made as entry_store.build makes it: appended, then copied in another order."""
    appended = SearchTexts(bytearray())
    for text in reversed(texts):
        appended.insert(len(appended), text)
    column = SearchTexts()
    column.extend(appended[n] for n in reversed(range(len(texts))))
    return column


def found(column: SearchTexts, word: str) -> list[int]:
    return list(column.containing(word))


def test_every_text_with_the_word_is_found_once_after_any_inserts_and_deletes():
    rng = random.Random(5)
    for _ in range(200):
        plain = texts_of(rng)
        column = SearchTexts(bytearray())
        for text in plain:
            column.insert(len(column), text)
        copy = column[:]
        for _ in range(rng.randint(0, 6)):
            if plain and rng.random() < 0.5:
                position = rng.randrange(len(plain))
                del plain[position], copy[position]
            else:
                position, text = rng.randint(0, len(plain)), rng.choice(texts_of(rng) or [""])
                plain.insert(position, text)
                copy.insert(position, text)
        assert len(copy) == len(plain)
        for word in WORDS:
            assert found(copy, word) == [n for n, text in enumerate(plain) if word in text]


def test_a_copy_leaves_the_original_as_it_was():
    column = filled(["kfz werkstatt", "baeckerei sonne"])
    copy = column[:]
    copy.insert(0, "auto haus")
    del copy[2]
    assert found(column, "sonne") == [1] and found(copy, "sonne") == []
    assert found(column, "auto") == [] and found(copy, "auto") == [0]


def test_a_word_never_matches_across_two_texts():
    column = filled(["werk", "statt"])
    assert found(column, "werkstatt") == [] and found(column, "kst") == []
