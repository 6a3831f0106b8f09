"""The new-password check: zxcvbn, made Russian-aware, with Russian feedback.

zxcvbn keeps its dictionaries in a module-level dict
(``zxcvbn.matching.RANKED_DICTIONARIES``); :func:`add_frequency_lists` there adds
ranked lists to it. We add, once and lazily at the first password check (not
at import: import time matters in the browser):

* ``ru_words`` and ``ru_names`` — frequent Russian words and names
  (``data/ru_words.txt``, ``data/ru_names.txt``, then the lists generated from
  wordfreq and pymorphy3: ``data/ru_frequent_*.txt``), with «е» twins of «ё» words
  and feminine forms of surnames;
* ``ru_words_latin_layout`` — the same words typed in the Latin layout
  (``ghbdtn`` = «привет», ``gfhjkm`` = «пароль»), by the ЙЦУКЕН→QWERTY key map;
* ``ru_words_translit`` — the same words in a simple transliteration (``parol``);
* ``ru_keyboard`` — rows of the Russian keyboard and their fragments
  (``йцукен``, ``фывапролджэ``, ``ячсмить``).

zxcvbn itself is deterministic (only its ``calc_time`` varies, and we do not
use it). Its matches are ordered by position, and ties keep the order of the
dictionaries, so the order must not depend on history: after adding our lists
we drop ``user_inputs``, which every call re-inserts last.
"""

# Verdicts are frozen dataclasses (DESIGN.md), the other value types NamedTuples; no
# `from __future__ import annotations` (see the package docstring).

import importlib.machinery
import importlib.util
import re
import sys
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

from . import messages as M
from .matching import index_slices
from .matching import install as install_matchers
from .ru import crack_time
from .validators import PASSWORD_MIN_LENGTH as MIN_LENGTH
from .validators import Verdict, check_phone

__all__ = [
    "warm_up",
    "PasswordVerdict",
    "ChecklistItem",
    "check_password",
    "latin_layout",
    "translit",
    "russian_lists",
    "MIN_LENGTH",
    "MAX_LENGTH",
    "MIN_SCORE",
    "SITE_WORDS",
]

MAX_LENGTH = 128
MIN_SCORE = 3
#: zxcvbn 4.5.0 refuses more than 72 characters, and its l33t matching slows down
#: sharply with length (a 64-character random password: up to ~0.2 s in CPython).
#: The first 40 characters decide; a longer password is at least that strong.
_ZXCVBN_MAX = 40

#: Obvious words for this site: a password made of them is easy to guess.
SITE_WORDS = (
    "ozon",
    "озон",
    "ozonru",
    "ozon.ru",
    "jpjy",
    "пароль",
    "password",
    "parol",
    "gfhjkm",
    "вход",
    "login",
    "логин",
    "войти",
    "восстановление",
    "аккаунт",
    "account",
)

#: The ЙЦУКЕН keys and the QWERTY keys they sit on, in the same order (the site's
#: search uses them too: docs/hooks/search.py).
RUSSIAN_KEYS = "ёйцукенгшщзхъфывапролджэячсмитьбю"
LATIN_KEYS = "`qwertyuiop[]asdfghjkl;'zxcvbnm,."
_LAYOUT = str.maketrans(RUSSIAN_KEYS, LATIN_KEYS)

_TRANSLIT = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    }
)

KEYBOARD_ROWS = ("ёйцукенгшщзхъ", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
KEYBOARD_COLUMNS = ("йфя", "цыч", "увс", "кам", "епи", "нрт", "гоь", "шлб", "щдю")


def latin_layout(word: str) -> str:
    """The keys of a Russian word on a QWERTY keyboard: «пароль» → ``gfhjkm``."""
    return word.lower().translate(_LAYOUT)


def translit(word: str) -> str:
    """A simple Latin transliteration: «пароль» → ``parol``, «жизнь» → ``zhizn``."""
    return word.lower().translate(_TRANSLIT)


def _read_list(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [w.strip().lower() for w in text.splitlines() if w.strip() and not w.lstrip().startswith("#")]


def _unique(words) -> list[str]:
    seen: set[str] = set()
    out = []
    for w in words:
        if w and w not in seen:
            seen.add(w)
            out.append(w)
    return out


def _with_e_twins(words: list[str]) -> list[str]:
    out = []
    for w in words:
        out.append(w)
        if "ё" in w:
            out.append(w.replace("ё", "е"))
    return out


def _with_feminine(words: list[str]) -> list[str]:
    out = []
    for w in words:
        out.append(w)
        if len(w) > 4 and w.endswith(("ов", "ев", "ёв", "ин", "ын")):
            out.append(w + "а")
    return out


def _keyboard_fragments() -> list[str]:
    out = list(KEYBOARD_ROWS)
    for row in KEYBOARD_ROWS:
        for size in range(len(row) - 1, 2, -1):
            out.extend(row[i : i + size] for i in range(len(row) - size + 1))
    out.extend(KEYBOARD_COLUMNS)
    return _unique(out)


def _russian_list_parts():
    """:func:`russian_lists` one list at a time: ``(name, words)`` pairs, a generator
    (the warm-up's slices)."""
    # The hand-made heads (words and names seen in passwords) rank first; the
    # generated frequency lists follow (tools/ru_wordlists.py).
    words = _unique(_with_e_twins(_read_list("ru_words.txt") + _read_list("ru_frequent_words.txt")))
    yield "ru_words", words
    names = _unique(_with_e_twins(_with_feminine(_read_list("ru_names.txt") + _read_list("ru_frequent_names.txt"))))
    yield "ru_names", names
    both = words + names
    yield "ru_words_latin_layout", _unique(latin_layout(w) for w in both)
    yield "ru_words_translit", _unique(translit(w) for w in both)
    yield "ru_keyboard", _keyboard_fragments()


def russian_lists() -> dict[str, list[str]]:
    """The ranked Russian lists added to zxcvbn (most frequent first)."""
    return dict(_russian_list_parts())


_zxcvbn = None


def _engine(lists: dict[str, list[str]] | None = None):
    """zxcvbn with the Russian lists (``lists``, else made now) added; built once, at first use."""
    global _zxcvbn
    if _zxcvbn is None:
        from zxcvbn import matching, zxcvbn

        matching.add_frequency_lists(lists or russian_lists())
        matching.RANKED_DICTIONARIES.pop("user_inputs", None)
        install_matchers()
        _zxcvbn = zxcvbn
    return _zxcvbn


def _import_alone(name: str) -> None:
    """Import the submodule ``name`` without running its package's ``__init__`` first
    (which imports the whole package in one go), so the package's import splits in two.
    Python finds, creates and runs it as ``import`` would; the package's own import later
    finds it in ``sys.modules``. Only for a module that imports nothing of its package."""
    if name in sys.modules:
        return
    package = importlib.util.find_spec(name.rpartition(".")[0])
    spec = package and importlib.machinery.PathFinder.find_spec(name, package.submodule_search_locations)
    if spec is None or spec.loader is None:
        return  # the package's import will find it (or fail) as usual
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise


def warm_up():
    """zxcvbn's one-time costs, in slices (a generator): most of at most ~30 ms in Pyodide
    under Node, but the rest of zxcvbn's import (its ranked dictionaries, built when its
    module is imported) is one slice of ~50–110 ms that only a patch of zxcvbn could split.

    The worker steps through it between the reader's requests (protocol.warm_up), so the
    first key press in the password field does not pay them: importing zxcvbn (its word
    lists, then the rest), the Russian lists one by one, the word index a few dictionaries
    at a time (:func:`recovery_core.matching.slice_groups`), zxcvbn's first run. Any part
    already done is skipped, also one done by a check meanwhile.
    """
    if _zxcvbn is None:
        _import_alone("zxcvbn.frequency_lists")  # a third of zxcvbn's import: its word lists
        yield
        import zxcvbn  # noqa: F401 — the rest of the import is the next slice

        yield
        lists = {}
        for name, words in _russian_list_parts():
            lists[name] = words
            yield
        _engine(lists)
        yield
    from zxcvbn import matching

    yield from index_slices(matching.RANKED_DICTIONARIES)
    check_password("Разминка-2024")


class ChecklistItem(NamedTuple):
    """One reason the checker gives: «Не короче 8 символов» — met or not."""

    label: str
    ok: bool


@dataclass(frozen=True, slots=True)
class PasswordVerdict(Verdict):
    """Result of :func:`check_password`."""

    ok: bool
    value: str | None
    message: str
    code: str | None
    score: int
    feedback: tuple[str, ...]
    crack_time: str
    checklist: tuple[ChecklistItem, ...]

    def as_dict(self) -> dict:
        """The verdict as JSON-ready data."""
        data = Verdict.as_dict(self)  # no bare super(): slots=True makes a new class
        data["feedback"] = list(self.feedback)
        data["checklist"] = [item._asdict() for item in self.checklist]
        data["strength"] = M.ui("strength", name=M.STRENGTH[max(0, min(4, self.score))])
        return data


def _checklist(long_enough: bool, personal: bool, strong: bool) -> tuple[ChecklistItem, ...]:
    """The checker's reasons, in the order a reader meets them."""
    L = M.CHECKLIST_LABELS
    return (
        ChecklistItem(M.checklist_length(MIN_LENGTH), long_enough),
        ChecklistItem(L["personal"], not personal),
        ChecklistItem(L["strong"], strong),
    )


def _phone_values(text: str) -> set[str]:
    """Every spelling of a phone number worth matching: E.164, digits, 8-prefix."""
    verdict = check_phone(text)
    if verdict.value is None:
        return set()
    e164 = verdict.value
    digits = e164[1:]
    out = {e164, digits}
    if e164.startswith("+7"):
        out |= {digits[1:], "8" + digits[1:]}
    return out


def _bare_digits(text: str) -> str | None:
    """The digits of a text written like a phone number (digits, spaces, ``+()-``), else ``None``."""
    if not text or any(not (c.isdigit() or c in " +()-") for c in text):
        return None
    return "".join(c for c in text if c.isdigit())


def _expand_inputs(user_inputs) -> tuple[list[str], set[str], set[str]]:
    """zxcvbn user inputs, plus the e-mails and phone numbers among them."""
    words: list[str] = []
    emails: set[str] = set()
    phones: set[str] = set()
    for item in user_inputs:
        if not isinstance(item, str) or not item.strip():
            continue
        item = item.strip()[:254].lower()
        words.append(item)
        if "@" in item:
            emails.add(item)
            local, _, domain = item.rpartition("@")
            words += [local, domain, domain.split(".")[0]]
            # «anna.petrova90»: «anna», «petrova», «90», and the names run together
            # («annapetrova», «petrovaanna»), which a password often is.
            parts = [p for p in re.split(r"[._+\-]+|(\d+)", local) if p]
            names = [p for p in parts if not p.isdigit()]
            words += parts + ["".join(names), "".join(reversed(names)), "".join(parts)]
        elif sum(c.isdigit() for c in item) >= 7:
            values = _phone_values(item)
            phones |= values
            words += sorted(values, key=len, reverse=True)
    words += SITE_WORDS
    return _unique(w for w in words if len(w) >= 3), emails, phones


_CAPITALS = ("Capitalization doesn't help very much.", "All-uppercase is almost as easy to guess as all-lowercase.")


def _capitals_advice(token: str) -> str | None:
    """zxcvbn's capitalisation advice, right for Cyrillic too (its regexes are ASCII-only)."""
    letters = [c for c in token if c.isalpha()]
    if len(letters) < 2 or not letters[0].isupper():
        return None
    if all(c.isupper() for c in letters):
        return _CAPITALS[1]
    if not any(c.isupper() for c in letters[1:]):
        return _CAPITALS[0]
    return None


def _feedback(result: dict) -> list[str]:
    """zxcvbn's warning and suggestions in Russian, plus our dictionaries' warnings."""
    if result["score"] >= MIN_SCORE:
        return []
    sequence = result["sequence"]
    longest = max(sequence, key=lambda m: len(m["token"])) if sequence else None
    lines = []
    warning = result["feedback"]["warning"]
    if warning:
        lines.append(M.translate_feedback(warning))
    elif longest is not None and longest["pattern"] == "dictionary":
        lines.append(M.RU_DICTIONARY_WARNINGS.get(longest["dictionary_name"]))
    suggestions = list(result["feedback"]["suggestions"])
    if longest is not None and longest["pattern"] == "dictionary" and not longest["token"].isascii():
        suggestions = [s for s in suggestions if s not in _CAPITALS]
        suggestions.append(_capitals_advice(longest["token"]))
    lines += [M.translate_feedback(s) for s in suggestions if s]
    return _unique(line for line in lines if line)


def _is_control(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn")


def check_password(text: str, user_inputs=()) -> PasswordVerdict:
    """Check a new password: length ≥ 8 and zxcvbn score ≥ 3 (on its first 40 characters).

    ``user_inputs`` (e-mail, phone numbers) are also given to zxcvbn together
    with obvious site words; a password equal to one of the e-mails or phones
    (in any spelling) is refused. The checklist is these same reasons: all of it
    is ticked exactly when the password is accepted; a text that cannot be judged
    (empty, over-long, with control characters) gets none, only its message.
    """
    if not isinstance(text, str):
        text = ""
    judged = False  # until zxcvbn has seen it: an empty, over-long or garbled text gets no checklist
    personal = strong = False

    def refuse(code: str, message: str, score: int = 0, feedback=(), crack: str = "меньше секунды"):
        checklist = _checklist(len(text) >= MIN_LENGTH, personal, strong) if judged else ()
        return PasswordVerdict(False, None, message, code, score, tuple(feedback), crack, checklist)

    if not text:
        return refuse("password_empty", M.validation("password_empty"))
    if any(_is_control(c) for c in text):
        return refuse("password_control", M.validation("password_control"))
    if len(text) > MAX_LENGTH:
        return refuse("password_too_long", M.validation("password_too_long", limit=MAX_LENGTH))

    words, emails, phones = _expand_inputs(user_inputs)
    result = _engine()(text[:_ZXCVBN_MAX], user_inputs=words)
    score = int(result["score"])
    feedback = _feedback(result)
    crack = crack_time(result["crack_times_seconds"]["offline_slow_hashing_1e4_per_second"])
    is_email = text.strip().lower() in emails
    is_phone = bool(phones) and bool(phones & _phone_values(text) or _bare_digits(text) in phones)
    personal = is_email or is_phone
    judged = True
    strong = score >= MIN_SCORE and not personal  # one's own number is easy to guess for whoever knows it

    if len(text) < MIN_LENGTH:
        return refuse("password_short", M.password_length(MIN_LENGTH, len(text)), score, feedback, crack)
    if is_email:
        return refuse("password_is_email", M.validation("password_is_email"), score, feedback, crack)
    if is_phone:
        return refuse("password_is_phone", M.validation("password_is_phone"), score, feedback, crack)
    if not strong:
        message = " ".join([M.validation("password_weak"), *feedback[:1]])
        return refuse("password_weak", message, score, feedback, crack)
    message = M.validation("password_ok" if score >= 4 else "password_fair")
    return PasswordVerdict(True, text, message, None, score, (), crack, _checklist(True, False, True))
