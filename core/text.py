"""How every app compares text: lower case, no accents, no control characters."""

import re
import unicodedata

# Control characters, except tab and line breaks (which `normalize` turns into spaces).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The Unicode blocks of combining marks, which NFKD splits off accented letters.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def strip_controls(text):
    """The text without control characters, which no database should see."""
    return CONTROL.sub("", text)


def normalize(text):
    """Lower-case, accent-free text with single spaces."""
    text = strip_controls(text or "")
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(text.lower().replace("œ", "oe").replace("æ", "ae").split())
