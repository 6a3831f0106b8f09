"""The new-password check: zxcvbn made Russian-aware, Russian feedback, checklist."""

import dataclasses

import pytest

from recovery_core import check_password
from recovery_core.messages import RU_DICTIONARY_WARNINGS, ZXCVBN_RU
from recovery_core.passwords import (
    KEYBOARD_ROWS,
    MAX_LENGTH,
    SITE_WORDS,
    latin_layout,
    russian_lists,
    translit,
)

INPUTS = ("anna.demo@example.com", "+79005554466", "+79001112233")
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def russian(text):
    return any(c in CYRILLIC for c in text.lower())


@pytest.mark.parametrize(
    "password",
    [
        "Veter-Lodka-2718",
        "correct horse battery staple",
        "Клён-Маяк-Весна-47",
        "Kl1on-M@yak-Vesna",
        "tr0ub4dor&3-kaktus",
        "Жёлтый-Кот-Ёжик-Перрон",
    ],
)
def test_strong_passwords_accepted(password):
    v = check_password(password, INPUTS)
    assert v.ok, v.message
    assert v.value == password
    assert v.score >= 3
    assert v.code is None
    assert v.feedback == ()
    assert russian(v.message)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("", "password_empty"),
        (None, "password_empty"),
        ("abc\x00defghijk", "password_control"),
        ("abc\u200bdefghijk-Лодка", "password_control"),
        ("x" * (MAX_LENGTH + 1), "password_too_long"),
        ("Ab1!", "password_short"),
        ("Zq#8mW!", "password_short"),
        ("anna.demo@example.com", "password_is_email"),
        ("ANNA.DEMO@EXAMPLE.COM", "password_is_email"),
        ("+79005554466", "password_is_phone"),
        ("8 900 555-44-66", "password_is_phone"),
        ("89005554466", "password_is_phone"),
        ("9001112233", "password_is_phone"),
        ("password", "password_weak"),
        ("12345678", "password_weak"),
        ("qwerty123", "password_weak"),
        ("пароль123", "password_weak"),
        ("gfhjkm123", "password_weak"),
        ("ghbdtnvbh", "password_weak"),
        ("йцукенгшщз", "password_weak"),
        ("фывапролджэ", "password_weak"),
        ("ячсмить12", "password_weak"),
        ("ЙцукенФыва", "password_weak"),
        ("privet123", "password_weak"),
        ("lyubov2020", "password_weak"),
        ("солнышко123", "password_weak"),
        ("Наташа1987", "password_weak"),
        ("сергей1990", "password_weak"),
        ("smirnova85", "password_weak"),
        ("ozon2024!", "password_weak"),
        ("озон12345", "password_weak"),
        ("anna.demo2024", "password_weak"),
        ("aaaaaaaaaaaa", "password_weak"),
        ("abcabcabcabc", "password_weak"),
        ("19871987", "password_weak"),
    ],
)
def test_weak_passwords_refused(password, code):
    v = check_password(password, INPUTS)
    assert not v.ok
    assert v.value is None
    assert v.code == code
    assert russian(v.message)
    if code == "password_weak":
        assert v.score < 3
        assert v.feedback, "a weak password gets a reason"
        assert all(russian(line) for line in v.feedback)


@pytest.mark.parametrize(
    ("password", "warning"),
    [
        ("пароль", RU_DICTIONARY_WARNINGS["ru_words"]),
        ("gfhjkm", RU_DICTIONARY_WARNINGS["ru_words_latin_layout"]),
        ("ghbdtn", RU_DICTIONARY_WARNINGS["ru_words_latin_layout"]),
        ("parol", RU_DICTIONARY_WARNINGS["ru_words_translit"]),
        ("йцукен", RU_DICTIONARY_WARNINGS["ru_keyboard"]),
        ("ячсмить", RU_DICTIONARY_WARNINGS["ru_keyboard"]),
        ("наташа", RU_DICTIONARY_WARNINGS["ru_names"]),
        # Known only from the lists generated from wordfreq (tools/ru_wordlists.py).
        ("телевизор", RU_DICTIONARY_WARNINGS["ru_words"]),
        ("программист", RU_DICTIONARY_WARNINGS["ru_words"]),
        ("ozon", RU_DICTIONARY_WARNINGS["user_inputs"]),
        ("password", ZXCVBN_RU["This is a top-10 common password."]),
        ("aaaaaaaa", ZXCVBN_RU['Repeats like "aaa" are easy to guess.']),
        ("abcdefgh", ZXCVBN_RU['Sequences like "abc" or "6543" are easy to guess.']),
        ("zxcvfr", ZXCVBN_RU["Short keyboard patterns are easy to guess."]),
        ("1991", ZXCVBN_RU["Recent years are easy to guess."]),
        ("13.05.1987", ZXCVBN_RU["Dates are often easy to guess."]),
    ],
)
def test_first_feedback_line(password, warning):
    v = check_password(password, INPUTS)
    assert v.feedback[0] == warning


@pytest.mark.parametrize(
    ("password", "advice"),
    [
        ("Наташа1987", "Capitalization doesn't help very much."),
        ("НАТАША1987", "All-uppercase is almost as easy to guess as all-lowercase."),
        ("Natasha1987", "Capitalization doesn't help very much."),
        ("p@ssw0rd", "Predictable substitutions like '@' instead of 'a' don't help very much."),
        ("drowssap", "Reversed words aren't much harder to guess."),
    ],
)
def test_capitalisation_and_other_advice(password, advice):
    assert ZXCVBN_RU[advice] in check_password(password).feedback


def test_cyrillic_lowercase_gets_no_capitalisation_advice():
    feedback = check_password("наташа1987").feedback
    assert ZXCVBN_RU["Capitalization doesn't help very much."] not in feedback
    assert ZXCVBN_RU["All-uppercase is almost as easy to guess as all-lowercase."] not in feedback


def test_translations_are_russian_and_use_guillemets():
    for english, russian_text in ZXCVBN_RU.items():
        assert russian(russian_text), english
        assert '"' not in russian_text
    for text in RU_DICTIONARY_WARNINGS.values():
        assert russian(text) and '"' not in text


def test_site_words_and_inputs_make_passwords_weak():
    strong_elsewhere = "anna.demo.ozon"
    assert check_password(strong_elsewhere, INPUTS).score < check_password("kwxq.trvz.plmh").score


def test_password_equal_to_phone_any_spelling():
    for spelling in ("+7 900 555-44-66", "8 (900) 555-44-66", "79005554466"):
        assert check_password(spelling, INPUTS).code == "password_is_phone"
    # Without the inputs it is just weak digits, not "equal to the phone".
    assert check_password("89005554466").code != "password_is_phone"


def test_non_string_inputs_are_ignored():
    v = check_password("Veter-Lodka-2718", (None, 5, "", "   ", "anna@mail.ru"))
    assert v.ok


LABELS = ["Не короче 8 символов", "Не совпадает с почтой или номером", "Трудно подобрать"]
EMAIL = "anna.petrova@mail.ru"


@pytest.mark.parametrize(
    ("password", "inputs", "accepted", "ticks"),
    [
        ("", (), False, []),  # nothing to judge: no list, only «Введите пароль.»
        ("a" * 129, (), False, []),
        ("пароль\x00пароль", (), False, []),
        ("Ab1!", (), False, [False, True, False]),
        # Digits, letters and symbols, still refused: nothing in the list is ticked for it.
        ("Пароль2024!", (), False, [True, True, False]),
        ("P@ssw0rd123!", (), False, [True, True, False]),
        ("Gfhjkm2024!", (), False, [True, True, False]),  # «Пароль2024!» in the Latin layout
        ("ghbdtn123", (), False, [True, True, False]),
        ("parol2024", (), False, [True, True, False]),  # transliteration
        ("йцукен123", (), False, [True, True, False]),
        # Names from the e-mail, with a digit: easy to guess for whoever knows the address.
        ("annapetrova1", (EMAIL,), False, [True, True, False]),
        ("AnnaPetrova1990", ("anna-petrova90@yandex.ru",), False, [True, True, False]),
        ("petrovaanna!", (EMAIL,), False, [True, True, False]),
        ("anna.petrova@mail.ru", (EMAIL,), False, [True, False, False]),
        ("+7 900 111-22-33", ("+79001112233",), False, [True, False, False]),
        # Passphrases: no digits or symbols needed, and none is shown as missing.
        ("korova-lodka", (), True, [True, True, True]),
        ("correct horse battery staple", (), True, [True, True, True]),
        ("Жёлтый-Кот-Ёжик", (EMAIL,), True, [True, True, True]),
        ("Veter-Lodka-2718", (EMAIL,), True, [True, True, True]),
    ],
)
def test_the_checklist_is_the_verdicts_reasons(password, inputs, accepted, ticks):
    v = check_password(password, inputs)
    assert [item.label for item in v.checklist] == (LABELS if ticks else [])
    assert (v.ok, [item.ok for item in v.checklist]) == (accepted, ticks)


def test_crack_time_is_russian():
    assert check_password("password").crack_time == "меньше секунды"
    assert check_password("correct horse battery staple").crack_time == "века"
    assert russian(check_password("Ozon12345!").crack_time)


def test_long_passwords_are_scored_on_their_start():
    long = "Veter-Lodka-2718-" * 7  # 119 characters, over zxcvbn's 72
    v = check_password(long)
    assert v.ok and v.score == 4


def test_score_three_is_fair_four_is_strong():
    fair = check_password("Жёлтый-Кот-Ёжик")
    assert fair.ok and fair.score == 3
    assert fair.message != check_password("Veter-Lodka-2718").message


def test_repeatable():
    first = check_password("Мурзик!Зима", INPUTS)
    for _ in range(3):
        check_password("другой пароль 123", ("x@y.ru",))
        assert check_password("Мурзик!Зима", INPUTS) == first


def test_verdict_dict_shape():
    d = check_password("Veter-Lodka-2718").as_dict()
    assert set(d) == {"ok", "value", "message", "code", "score", "feedback", "crack_time", "checklist", "strength"}
    assert (d["message"], d["strength"]) == ("Пароль подходит.", "Надёжность: высокая")
    assert isinstance(d["feedback"], list)
    assert d["checklist"][0] == {"label": "Не короче 8 символов", "ok": True}
    with pytest.raises(dataclasses.FrozenInstanceError):
        check_password("x").score = 4


@pytest.mark.parametrize(
    ("password", "score", "strength"),
    [
        ("qwerty", 0, "Надёжность: очень низкая"),
        ("abc12345x", 1, "Надёжность: низкая"),
        ("Мурзик!Зима", 2, "Надёжность: средняя"),
        ("correct horse", 3, "Надёжность: хорошая"),
        ("Veter-Lodka-2718", 4, "Надёжность: высокая"),
    ],
)
def test_strength_names_the_score(password, score, strength):
    """The meter's words follow zxcvbn's score 0–4."""
    d = check_password(password).as_dict()
    assert (d["score"], d["strength"]) == (score, strength)


@pytest.mark.parametrize(
    ("word", "layout", "latin"),
    [
        ("пароль", "gfhjkm", "parol"),
        ("привет", "ghbdtn", "privet"),
        ("озон", "jpjy", "ozon"),
        ("жёлтый", ";`knsq", "zheltyy"),
        ("любовь", "k.,jdm", "lyubov"),
        ("щука", "oerf", "shchuka"),
    ],
)
def test_layout_and_translit(word, layout, latin):
    assert latin_layout(word) == layout
    assert translit(word) == latin


def test_russian_lists():
    lists = russian_lists()
    assert set(lists) == {"ru_words", "ru_names", "ru_words_latin_layout", "ru_words_translit", "ru_keyboard"}
    words = lists["ru_words"]
    assert words[0] == "пароль"
    assert len(words) >= 300 and len(lists["ru_names"]) >= 300
    assert len(set(words)) == len(words)
    assert "ёжик" in words and "ежик" in words
    assert "иванова" in lists["ru_names"]
    assert "gfhjkm" in lists["ru_words_latin_layout"]
    assert "privet" in lists["ru_words_translit"]
    assert {"йцукен", "фывапролджэ", "ячсмить", "йфя"} <= set(lists["ru_keyboard"])
    assert all(len(w) >= 3 for w in lists["ru_keyboard"])
    assert KEYBOARD_ROWS[1] == "йцукенгшщзхъ"
    assert all(w == w.lower() and w.strip() == w for name in lists for w in lists[name])


def test_site_words():
    assert {"ozon", "озон", "пароль", "password"} <= set(SITE_WORDS)


def test_foreign_phone_and_short_inputs():
    inputs = ("+375291234567", "abc", "12345")
    assert check_password("+375 29 123-45-67", inputs).code == "password_is_phone"
    assert check_password("375291234567", inputs).code == "password_is_phone"
    assert check_password("Veter-Lodka-2718", inputs).ok


def test_mixed_case_cyrillic_gets_no_capitalisation_advice():
    feedback = check_password("НаТаша1987").feedback
    assert ZXCVBN_RU["Capitalization doesn't help very much."] not in feedback
    assert ZXCVBN_RU["All-uppercase is almost as easy to guess as all-lowercase."] not in feedback


def test_only_the_first_40_characters_are_scored():
    # Keeps a pasted 100-character password fast; a weak start is not rescued by its tail.
    assert check_password("a" * 40 + "Xq9!mZ2#Lp7$Vb4&").code == "password_weak"
    assert check_password("Veter-Lodka-2718" + "a" * 30).ok


def test_warm_up_builds_the_engine_in_slices_then_checks(monkeypatch):
    """Cold: the import, the Russian lists one by one, the word index a few dictionaries
    at a time, then the first run; warm: nothing. The same engine, index and verdicts."""
    from zxcvbn import matching as zm

    from recovery_core import matching, passwords

    before = check_password("Ласточка-Вертолёт-42")
    index = matching._index(zm.RANKED_DICTIONARIES)
    lists = passwords.russian_lists()
    monkeypatch.setattr(passwords, "_zxcvbn", None)
    monkeypatch.setattr(matching, "_state", {})
    added = []
    monkeypatch.setattr(zm, "add_frequency_lists", added.append)  # the lists are there already
    slices = passwords.warm_up()
    next(slices)  # zxcvbn's word lists
    next(slices)  # the rest of its import
    assert passwords._zxcvbn is None  # only imported so far
    for _ in lists:
        next(slices)
    assert passwords._zxcvbn is None and not added  # the lists made, not yet added
    next(slices)
    assert passwords._zxcvbn is not None and added == [lists]
    groups = matching.slice_groups(matching._fixed(zm.RANKED_DICTIONARIES))
    for _ in groups:
        assert not matching._state
        next(slices)
    assert list(slices) == []  # the last slice: the index kept, zxcvbn's first run
    assert matching._index(zm.RANKED_DICTIONARIES) == index
    assert list(passwords.warm_up()) == []  # warm: nothing left to slice
    assert check_password("Ласточка-Вертолёт-42") == before


def test_the_word_index_slices_group_the_small_dictionaries_in_order():
    from zxcvbn import matching as zm

    from recovery_core import matching, passwords

    passwords._engine()
    fixed = matching._fixed(zm.RANKED_DICTIONARIES)
    groups = matching.slice_groups(fixed)
    assert [x for g in groups for x in g] == fixed  # each once, in zxcvbn's order
    sizes = [sum(len(d) for _, d in g) for g in groups]
    assert all(size <= matching.SLICE_WORDS or len(g) == 1 for size, g in zip(sizes, groups, strict=True))
    # Greedy: no group could have taken the next group's first dictionary.
    assert all(a + len(b[0][1]) > matching.SLICE_WORDS for a, b in zip(sizes, groups[1:], strict=False))
    assert 3 <= len(groups) < len(fixed), [len(g) for g in groups]


def test_zxcvbn_imports_in_two_slices_its_word_lists_first():
    """The warm-up's first slice runs zxcvbn.frequency_lists alone, not zxcvbn's
    ``__init__`` (which imports everything); the package's import then uses that module."""
    import sys

    import zxcvbn.matching  # imported as usual first, to compare with

    from recovery_core import passwords

    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "zxcvbn"}
    try:
        for name in saved:
            del sys.modules[name]
        passwords._import_alone("zxcvbn.frequency_lists")
        lists = sys.modules["zxcvbn.frequency_lists"]
        assert "zxcvbn" not in sys.modules and "zxcvbn.matching" not in sys.modules
        assert lists is not saved["zxcvbn.frequency_lists"] and len(lists.FREQUENCY_LISTS["passwords"]) > 10_000
        passwords._import_alone("zxcvbn.frequency_lists")  # once only
        assert sys.modules["zxcvbn.frequency_lists"] is lists
        import zxcvbn.matching

        assert zxcvbn.matching.FREQUENCY_LISTS is lists.FREQUENCY_LISTS
        ranked = zxcvbn.matching.RANKED_DICTIONARIES  # zxcvbn's own lists (the engine adds Russian ones)
        assert ranked.keys() == lists.FREQUENCY_LISTS.keys() <= saved["zxcvbn.matching"].RANKED_DICTIONARIES.keys()
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] == "zxcvbn"]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_a_module_that_cannot_be_found_alone_is_left_to_the_usual_import():
    import sys

    from recovery_core import passwords

    passwords._import_alone("zxcvbn.no_such_module")
    passwords._import_alone("no_such_package.module")
    assert "zxcvbn.no_such_module" not in sys.modules and "no_such_package" not in sys.modules


def test_a_module_that_fails_alone_leaves_nothing_half_made_behind(tmp_path, monkeypatch):
    """A submodule whose code raises is not left in ``sys.modules`` half run (the
    package's usual import would then take it as done)."""
    import sys

    from recovery_core import passwords

    (tmp_path / "halfmade").mkdir()
    (tmp_path / "halfmade" / "__init__.py").write_text("")
    (tmp_path / "halfmade" / "lists.py").write_text("WORDS = ['a']\nraise ValueError('broken')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        with pytest.raises(ValueError, match="broken"):
            passwords._import_alone("halfmade.lists")
        assert "halfmade.lists" not in sys.modules
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] == "halfmade"]:
            del sys.modules[name]


def test_a_check_during_the_warm_up_makes_the_index_and_the_warm_up_stops(monkeypatch):
    from zxcvbn import matching as zm

    from recovery_core import matching, passwords

    before = check_password("Ласточка-Вертолёт-42")
    monkeypatch.setattr(matching, "_state", {})
    slices = passwords.warm_up()
    next(slices)  # the first dictionary
    assert not matching._state
    assert check_password("Ласточка-Вертолёт-42") == before  # makes the whole index at once
    made = matching._state["words"]
    assert list(slices) == []
    assert matching._state["words"] is made  # not made a second time
    assert len(made) == len(set().union(*(d for n, d in zm.RANKED_DICTIONARIES.items() if n != "user_inputs")))


def test_the_generated_word_lists_are_there_and_stay_small():
    """The lists from wordfreq and pymorphy3 ship in the core's wheel: they must be
    loaded (or «телевизор» passes above) and keep the download small."""
    from importlib import resources

    data = resources.files("recovery_core").joinpath("data")
    sizes = {f.name: len(f.read_bytes()) for f in data.iterdir() if f.name.endswith(".txt")}
    assert {"ru_frequent_words.txt", "ru_frequent_names.txt"} <= sizes.keys()
    assert sum(sizes.values()) < 120_000, sizes
    lists = russian_lists()
    assert len(lists["ru_words"]) > 5000 and len(lists["ru_names"]) > 1500
