"""Outside text (names from data, files and users) made safe for Streamlit's Markdown: the one
way such text reaches a page, so it can never become a link, an image or HTML."""

from __future__ import annotations

import string

MARKDOWN_SPECIAL = frozenset(string.punctuation)
# A word joiner after every "." ":" "@" "/" stops Markdown's autolinking (www.x.org, a@b.c,
# http://...), which escaping alone does not; it is invisible and copies as nothing in most
# programs.
NO_AUTOLINK = frozenset(".:@/")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """Text from data or users, safe inside Streamlit calls that render Markdown (st.error,
    st.caption, metric labels...): every punctuation mark backslash-escaped and autolinks
    broken, so `![x](http://...)` shows as typed instead of becoming a link or an image."""
    out = []
    for ch in str(text):
        if ch in MARKDOWN_SPECIAL:
            out.append("\\" + ch)
            if ch in NO_AUTOLINK:
                out.append(WORD_JOINER)
        elif ch in "\r\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)
