// The site's search worker: Material's own, taught Russian as readers type it.
//
// Why this shape (chosen on evidence):
// Material's worker turns each typed word into a prefix query («почтой*»), and
// lunr runs no pipeline on a wildcard term, so a Russian stemmer in the index
// alone would make «почтой» find nothing. A stem is a prefix of its word, so this
// worker searches every word both as typed and as the prefix of its Russian stem
// («почтой почт»), against an index whose words are kept whole: the typed prefix
// still matches as-you-type, the stem finds the other forms, and Material's
// highlighting, ranking and result UI stay as they are. It also folds «ё» into
// «е» (in the index and in the query), adds the Cyrillic word a query typed in
// the Latin layout stands for («gjxnf» → «почта»), and the few synonyms of
// search.synonyms.json.
//
// Weighed against Pagefind 1.5 (Russian stemming built in), on this site's
// pages, in gzipped bytes: Material's way with this file 26 kB (this file
// 3.6 kB of it; Material's UI is on every page anyway), Pagefind 111 kB with
// all of its index, before any UI (its wasm alone 71 kB; its own UI 32 kB more,
// or a Material-styled one to write and keep), and the layout and synonyms
// would still be ours to write (measured with `python -m pagefind --site site`).
// Both need JavaScript for search only: the guides are plain pages and read
// fully without it. Upgrading Material keeps this working as long as its worker
// keeps its message protocol and lunr 2 (tests/e2e/test_search.py tells at once).
//
// How: Material's worker (importScripts below) is left untouched. This file
// listens to the same messages first and rewrites a query before Material reads
// it, and rewrites Material's answer's matched terms back to the reader's words
// before it is posted, so «Отсутствует» and ?h= (the page's highlighting) stay
// right. It relies only on Material's worker protocol (a custom worker is what
// Material's config allows) and on lunr 2's public API (lunr.ru.stemmer, Token).
"use strict";

// Filled in by docs/hooks/search.py: Material's worker file (beside this one),
// the keyboard layout from recovery_core.passwords, and the synonym groups.
const SEARCH = "@build:SEARCH@";

// Material's SearchMessageType (src/.../search/worker/message): QUERY, RESULT.
const QUERY = 2;
const RESULT = 3;

// Material's query syntax: a word with any of these is left to Material as typed.
const SYNTAX = /["+~^:*]|^-/;
// Material's separator (search_index.json's config), for keys it derives.
const SEPARATOR = /[\s-]+/;
// A layout swap or a stem shorter than this finds too much to be meant.
const MIN_LENGTH = 3;

const CYRILLIC = /[\u0400-\u04ff]/;
const FROM_LATIN = new Map([...SEARCH.layout.latin].map((key, i) => [key, SEARCH.layout.russian[i]]));

/** Lower case, «ё» as «е»: what both the index and the query hold. */
function fold(text) {
  return text.toLowerCase().replace(/ё/g, "е");
}

/** The Cyrillic word a word typed in the Latin layout stands for, or null. */
function fromLatinLayout(word) {
  if (word.length < MIN_LENGTH || ![...word].every((c) => FROM_LATIN.has(c))) return null;
  const russian = [...word].map((c) => FROM_LATIN.get(c)).join("");
  return CYRILLIC.test(russian) ? fold(russian) : null;
}

/** The Russian stem of a folded word (lunr-languages' Snowball stemmer), or null. */
function stem(word) {
  if (!CYRILLIC.test(word) || !self.lunr?.ru?.stemmer) return null;
  const root = self.lunr.ru.stemmer(new self.lunr.Token(word)).toString();
  return root !== word && root.length >= MIN_LENGTH && word.startsWith(root) ? root : null;
}

/** A synonym's key: its stem when it has one, so every form of it is found. */
function key(word) {
  return stem(word) || word;
}

let synonyms = null; // key → the folded words of its groups, made on the first query
function synonymsOf(word) {
  if (!synonyms) {
    synonyms = new Map();
    for (const group of SEARCH.synonyms) {
      const words = group.map(fold);
      for (const w of words) synonyms.set(key(w), [...(synonyms.get(key(w)) || []), ...words]);
    }
  }
  return synonyms.get(key(word)) || [];
}

/** What each typed word is searched as: itself, its layout twin, its synonyms, their stems. */
function variants(word) {
  const forms = new Set([word]);
  const twin = fromLatinLayout(word);
  if (twin) forms.add(twin);
  for (const form of [...forms]) for (const synonym of synonymsOf(form)) forms.add(synonym);
  const out = new Set();
  for (const form of forms) {
    out.add(form);
    const root = stem(form);
    if (root) out.add(root);
  }
  return [...out];
}

/** Whether a folded word is one of lunr-languages' Russian stop words («как», «на»). */
function isStopWord(word) {
  const filter = self.lunr?.ru?.stopWordFilter;
  return Boolean(filter) && !filter(new self.lunr.Token(word));
}

/** The query Material is given, and which of its terms stand for which typed word.
 *  A stop word is left out unless it is the last word (a prefix still being typed). */
function expand(raw) {
  const folded = fold(raw);
  if (folded.includes('"')) return { query: folded, words: [] }; // a phrase: as typed
  const typed = folded.split(/\s+/).filter(Boolean);
  const words = typed
    .filter((word, i) => i === typed.length - 1 || !isStopWord(word))
    .map((word) => ({ word, searched: SYNTAX.test(word) ? [word] : variants(word) }));
  return { query: words.flatMap((w) => w.searched).join(" "), words };
}

const MARK = /<mark>(.*?)<\/mark>/g; // how Material's worker marks a match
const WORD = /[\p{L}\p{N}]+/gu;

/** The words Material marked in a result, in the page's own spelling (with «ё»). */
function marked(item) {
  const out = new Set();
  for (const field of [item.title, item.text])
    for (const [, inner] of String(field || "").matchAll(MARK))
      for (const [word] of inner
        .replace(/<[^>]*>/g, " ")
        .toLowerCase()
        .matchAll(WORD))
        out.add(word);
  return out;
}

/** Material's matched terms (keys: its own terms) as the reader's: a typed word is
 *  found when any of its variants is; the keys of a found word are what matched
 *  (stems and the marked words, which ?h= highlights on the page by prefix); a word
 *  none of whose variants matched keeps its typed form, so «Отсутствует» names it. */
function readersTerms(item, words) {
  const terms = {};
  const hits = marked(item);
  for (const { word, searched } of words) {
    const keys = searched.flatMap((s) => s.split(SEPARATOR)).filter((k) => k in item.terms);
    const found = keys.filter((k) => item.terms[k]);
    if (found.length) {
      // Longest first: the page's highlighter tries them in this order, so a
      // marked word is highlighted whole and any other form by its stem.
      const words = [...hits].filter((hit) => found.some((k) => fold(hit).startsWith(k)));
      for (const k of [...words, ...found].sort((a, b) => b.length - a.length)) terms[k] = true;
    } else if (keys.length && !isStopWord(word)) terms[word] = false;
  }
  return terms;
}

const pending = []; // the expansions of the queries Material is answering, oldest first

// Listens before Material does (its listener is added by importScripts below), and
// rewrites the message in place: Material's listener reads the same event data.
addEventListener("message", (event) => {
  const message = event.data;
  if (message?.type !== QUERY || typeof message.data !== "string") return;
  const expansion = expand(message.data);
  pending.push(expansion);
  message.data = expansion.query;
});

// Material answers every query with exactly one RESULT, in order (an error too).
const post = self.postMessage.bind(self);
self.postMessage = (message) => {
  if (message?.type === RESULT) {
    const { words } = pending.shift() || { words: [] };
    if (words.length)
      for (const group of message.data.items || []) for (const item of group) item.terms = readersTerms(item, words);
  }
  post(message);
};

importScripts(SEARCH.material);

// «ё» as «е» in the index too: a pipeline step after Material's (which resets the
// builder's pipeline before it adds the first document).
const lunr = self.lunr;
const foldToken = (token) => token.update((text) => text.replace(/ё/g, "е"));
lunr.Pipeline.registerFunction(foldToken, "fold-yo");
const FOLDS = Symbol("folds ё");
const add = lunr.Builder.prototype.add;
lunr.Builder.prototype.add = function (doc, attributes) {
  if (!this[FOLDS]) {
    this.pipeline.add(foldToken);
    this[FOLDS] = true;
  }
  return add.call(this, doc, attributes);
};
