"""Two of zxcvbn's matchers, fast enough for a key press in Pyodide.

zxcvbn 4.5.0 looks every substring of the password up in every dictionary, one
dictionary after the other, and its l33t matcher does all of that again for each
way of reading the password's symbols as letters (``1`` as «i» or «l», ``7`` as «l»
or «t», ``(`` ``[`` ``{`` as «c»…). A 40-character password dense in such symbols
has hundreds of readings and took seconds in Pyodide, and every click waited
behind it. zxcvbn has no setting for either, so :func:`install` replaces the two
functions in ``zxcvbn.matching`` (its ``omnimatch`` looks them up at each call):

* :func:`dictionary_match` returns what zxcvbn's returns, the same matches in the
  same order: a substring of three letters or more is looked up only when some word
  starts with its first three and is at least as long, and in the dictionaries only
  when one of them holds it (one set of all their words, made once);
* :func:`l33t_match` is zxcvbn's, over at most :data:`L33T_READINGS` readings, in
  zxcvbn's own order. An ordinary password has a handful (``p@ssw0rd1``: 2), so its
  verdict does not change; ``tests/unit/test_matching.py`` checks both on lists of
  ordinary passwords, and ``make bench`` prints the slowest check.
"""

from __future__ import annotations

#: Readings of the symbols as letters the l33t matcher tries at most. Each costs one
#: dictionary pass over the password (~0.3 ms in Pyodide for 40 characters).
L33T_READINGS = 32

_state: dict = {}  # the set of the dictionaries' words, its reach, and the dictionaries they came from
#: zxcvbn's own two functions, kept by :func:`install` (the tests compare with them).
ORIGINALS: dict = {}


def _reach(words, reach: dict | None = None) -> dict:
    """For each word's first three letters, the length of the longest word that starts
    so (added to ``reach`` when given)."""
    reach = {} if reach is None else reach
    for word in words:
        if len(word) >= 3 and reach.get(word[:3], 0) < len(word):
            reach[word[:3]] = len(word)
    return reach


def _fixed(dictionaries: dict) -> list:
    """The dictionaries the index is made of: all but ``user_inputs`` (zxcvbn sets that
    one anew at each call)."""
    return [(name, d) for name, d in dictionaries.items() if name != "user_inputs"]


def _indexed(fixed: list) -> bool:
    """Whether the index was made from these very dictionaries, of these sizes."""
    made = _state.get("from", ())
    return len(made) == len(fixed) and all(
        a == b and d is e and size == len(e) for (a, d, size), (b, e) in zip(made, fixed, strict=True)
    )


#: Words one slice of :func:`index_slices` takes at most, unless a dictionary alone is
#: longer: zxcvbn's largest (``passwords``, ``english_wikipedia``) hold 30 000, ~20 ms of
#: indexing in Pyodide each. The smaller ones share slices (the warm-up has fewer of them
#: to fit between the reader's requests).
SLICE_WORDS = 30_000


def slice_groups(fixed: list) -> list[list]:
    """``fixed`` (as :func:`_fixed` gives it) in order, in groups of at most
    :data:`SLICE_WORDS` words (a longer dictionary alone)."""
    groups: list[list] = []
    size = 0
    for name, d in fixed:
        if not groups or size + len(d) > SLICE_WORDS:
            groups.append([])
            size = 0
        groups[-1].append((name, d))
        size += len(d)
    return groups


def index_slices(dictionaries: dict):
    """Make :func:`_index`'s words and reach a few dictionaries at a time (see
    :func:`slice_groups`): a generator that yields after each group, for the warm-up's
    slices. Stops early once the index is there (made by a check meanwhile)."""
    fixed = _fixed(dictionaries)
    words: set = set()
    reach: dict = {}
    for group in slice_groups(fixed):
        if _indexed(fixed):
            return
        for _, d in group:
            words.update(d)
            _reach(d, reach)
        yield
    # The dictionaries themselves are kept (not their ids, which a new dict may reuse).
    _state.update({"from": [(name, d, len(d)) for name, d in fixed], "words": words, "reach": reach})


def _index(dictionaries: dict) -> tuple[set, dict]:
    """All words of the dictionaries but ``user_inputs``, and their :func:`_reach`; made
    once for the same dictionaries."""
    for _ in index_slices(dictionaries):  # nothing to do when made already
        pass
    return _state["words"], _state["reach"]


def dictionary_match(password, _ranked_dictionaries=None):
    """zxcvbn's ``dictionary_match``: the same matches, in the same order, found faster."""
    from zxcvbn import matching

    dictionaries = matching.RANKED_DICTIONARIES if _ranked_dictionaries is None else _ranked_dictionaries
    words, reach = _index(dictionaries)
    extra = dictionaries.get("user_inputs") or {}
    extra_reach = _reach(extra)
    matches = []
    length = len(password)
    password_lower = password.lower()
    for i in range(length):
        start = password_lower[i : i + 3]
        # Words of one and two letters, then those that start with these three.
        last = min(length, i + max(2, reach.get(start, 0), extra_reach.get(start, 0)))
        for j in range(i, last):
            word = password_lower[i : j + 1]
            if word not in words and word not in extra:
                continue
            # zxcvbn's order: by position, then by dictionary.
            for name, ranked in dictionaries.items():
                rank = ranked.get(word)
                if rank is not None:
                    matches.append(
                        {
                            "pattern": "dictionary",
                            "i": i,
                            "j": j,
                            "token": password[i : j + 1],
                            "matched_word": word,
                            "rank": rank,
                            "dictionary_name": name,
                            "reversed": False,
                            "l33t": False,
                        }
                    )
    return matches


def readings(table: dict, limit: int | None = None) -> list[dict]:
    """The first ``limit`` readings of zxcvbn's ``enumerate_l33t_subs``, in its order,
    without making the rest (it made them all, 736 for one 40-character password,
    before looking any word up). Its list grows letter by letter, never drops a reading,
    and puts what the first ones become first, so keeping the first ``limit`` after each
    letter keeps its first ``limit``. Past the bound fewer l33t words are found, so such a
    password (dense in these symbols) can only be rated stronger than zxcvbn would."""
    limit = L33T_READINGS if limit is None else limit
    subs: list[list] = [[]]
    for letter, symbols in table.items():
        grown = []
        for symbol in symbols:
            for sub in subs:
                taken = next((k for k, (s, _) in enumerate(sub) if s == symbol), -1)
                if taken == -1:
                    grown.append([*sub, [symbol, letter]])
                else:  # the symbol already reads as another letter: both ways
                    grown.append(sub)
                    grown.append([*sub[:taken], *sub[taken + 1 :], [symbol, letter]])
        seen = set()
        subs = []
        for sub in grown:  # zxcvbn's dedup: the same reading, whatever the order
            label = tuple(sorted((letter_, symbol_) for symbol_, letter_ in sub))
            if label not in seen:
                seen.add(label)
                subs.append(sub)
        del subs[limit:]
    return [dict(sub) for sub in subs]


def l33t_match(password, _ranked_dictionaries=None, _l33t_table=None):
    """zxcvbn's ``l33t_match`` over its first :data:`L33T_READINGS` readings."""
    from zxcvbn import matching

    dictionaries = matching.RANKED_DICTIONARIES if _ranked_dictionaries is None else _ranked_dictionaries
    table = matching.relevant_l33t_subtable(password, matching.L33T_TABLE if _l33t_table is None else _l33t_table)
    matches = []
    for sub in readings(table):
        if not sub:
            break
        for match in dictionary_match(matching.translate(password, sub), dictionaries):
            token = password[match["i"] : match["j"] + 1]
            if token.lower() == match["matched_word"]:
                continue  # no symbol read as a letter: the plain match has it
            match_sub = {k: v for k, v in sub.items() if k in token}
            match.update(
                l33t=True,
                token=token,
                sub=match_sub,
                sub_display=", ".join(f"{k} -> {v}" for k, v in match_sub.items()),
            )
            matches.append(match)
    return sorted((m for m in matches if len(m["token"]) > 1), key=lambda m: (m["i"], m["j"]))


def install() -> None:
    """Put the two matchers in place of zxcvbn's (its ``omnimatch`` and its reverse
    and l33t matchers call them by their module-level names)."""
    from zxcvbn import matching

    if not ORIGINALS:
        ORIGINALS.update(dictionary_match=matching.dictionary_match, l33t_match=matching.l33t_match)
    matching.dictionary_match = dictionary_match
    matching.l33t_match = l33t_match
