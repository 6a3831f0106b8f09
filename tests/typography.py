"""The site's typographic rules, shared by the catalogue's test and the built pages' test."""

from __future__ import annotations

import re

#: Words that must be written with «ё» (a reader notices «еще», «придет»).
NEEDS_YO = re.compile(
    r"\b(еще|придет|пришлем|подойдет|истек|сохранен|подтвержден|заменен|включен|введен|найдет|ее"
    r"|вперед|тренажер\w*|подберет|войдет|зайдет|пройдет|пришел|нашел)\b"
    r"|надежн|распространенн|учетн|четыр[еe]хзначн",
    re.IGNORECASE,
)

#: Errors readers and editors found once; they must not come back.
KNOWN_ERRORS = (
    "с ссылкой",
    "получить не получится",
    "набранное латиницей",
    "Мы — независимая",
    "симулятор",
    "займёт примерно:",
    "он действует",
    "Выйдите из активной сессии",
    "Автоинформатор",
    "Служба поддержки (демо)",
)

#: Material's English chrome, and its Russian words this site corrects.
ENGLISH_CHROME = re.compile(
    r"Made with|Material for MkDocs|Skip to content|Not found|Back to top|Table of contents|Copy to clipboard"
    r"|\bSearch\b|\bPrevious\b|\bNext\b|Вперед"
)

#: The shop is «Ozon»; «Озон» only in the reader's own question, as quoted.
QUESTION = "Сменила номер телефона. Как зайти на Озон?"
OZON_RU = re.compile(r"Озон\w*")


def problems(text: str, *, balance: bool = True) -> list[str]:
    """What is wrong with a reader-facing text, by the rules above; ``balance=False``
    for a piece of a paragraph (a link inside «…» splits it)."""
    found = [f"needs «ё»: {m.group(0)}" for m in NEEDS_YO.finditer(text)]
    found += [f"known error: {e}" for e in KNOWN_ERRORS if e.lower() in text.lower()]
    found += [f"English chrome: {m.group(0)}" for m in ENGLISH_CHROME.finditer(text)]
    found += [f"«Ozon» spelt {m.group(0)}" for m in OZON_RU.finditer(text.replace(QUESTION, ""))]
    if '"' in text:
        found.append("straight quotes: use «ёлочки»")
    if balance and text.count("«") != text.count("»"):
        found.append("unbalanced «ёлочки»")
    if re.search(r"\s-\s|--", text):
        found.append("a hyphen for a dash: use «—»")
    return found
