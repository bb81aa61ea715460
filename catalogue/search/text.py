"""How text is normalised, and how a visitor's query becomes a database text query.

Both sides go through `normalize`: lower case, no accents, no control characters. A
query is read with web-search syntax: "quoted phrases", -excluded words, and the last
word typed matches as a prefix ("coop" finds "coopérative"). It is then written for
the database in use: a tsquery for PostgreSQL (each word stemmed by the French and the
English configurations), an FTS5 expression for SQLite.
"""

import re
from dataclasses import dataclass, field

from core.text import normalize

# The one limit on a query's length; longer queries are shortened, and the page says so.
MAX_QUERY_LENGTH = 200
# A prefix shorter than this would expand to most of the index: it matches as a word.
MIN_PREFIX = 3
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass
class Query:
    """A visitor's query, read: what must match, what must not, what was cut."""

    words: list = field(default_factory=list)
    phrases: list = field(default_factory=list)  # lists of words, in order
    excluded: list = field(default_factory=list)
    prefix: str = ""  # the last word typed, matched as a prefix
    shortened: bool = False
    any_of: bool = False  # any term may match, rather than all

    def __bool__(self):
        return bool(self.positive or self.excluded)

    @property
    def positive(self):
        """Whether something must match (otherwise only exclusions were typed)."""
        return bool(self.words or self.phrases or self.prefix)

    def any_excluded(self):
        """A query matching records with any of the excluded words."""
        return Query(words=[], phrases=[[w] for w in self.excluded], any_of=True)

    def tsquery(self):
        """A PostgreSQL to_tsquery() text; every operand is a quoted run of word
        characters, so nothing a visitor types can change its structure."""
        parts = [f"'{w}'" for w in self.words]
        parts += ["(" + " <-> ".join(f"'{w}'" for w in p) + ")" for p in self.phrases]
        if self.prefix:
            parts.append(f"'{self.prefix}':*")
        parts += [f"!'{w}'" for w in self.excluded]
        return (" | " if self.any_of else " & ").join(parts)

    def fts5(self):
        """An SQLite FTS5 expression (quoted tokens: the same guarantee)."""
        parts = [f'"{w}"' for w in self.words]
        parts += ['"' + " ".join(p) + '"' for p in self.phrases]
        if self.prefix:
            parts.append(f'"{self.prefix}"*')
        expression = (" OR " if self.any_of else " ").join(parts)
        for word in self.excluded:
            expression = f'({expression}) NOT "{word}"'
        return expression


def parse(raw):
    """Read a visitor's query (web-search syntax) into a Query."""
    text = normalize(raw)  # also removes leading and trailing spaces
    query = Query(shortened=len(text) > MAX_QUERY_LENGTH)
    text = text[:MAX_QUERY_LENGTH]
    last_plain = None
    for match in _TOKEN.finditer(text):
        minus_phrase, phrase, minus_word, word = match.groups()
        if phrase is not None:
            words = _WORD.findall(phrase)
            if minus_phrase:
                query.excluded += words
            elif len(words) > 1:
                query.phrases.append(words)
            else:
                query.words += words
            last_plain = None
            continue
        words = _WORD.findall(word)
        if minus_word and words:
            query.excluded += words
            last_plain = None
        else:
            query.words += words
            last_plain = words[-1] if words else last_plain
    # The word being typed, unless a phrase or a space after it says it is complete.
    if last_plain and not raw.endswith((" ", '"')) and len(last_plain) >= MIN_PREFIX:
        query.prefix = query.words.pop()  # last_plain, the last word appended
    return query
