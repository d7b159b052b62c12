"""Outside text (names from data, files and users) made safe for Streamlit's Markdown: the one
way such text reaches a page, so it can never become a link, an image or HTML."""

from __future__ import annotations

import re
import string

import pandas as pd

MARKDOWN_SPECIAL = frozenset(string.punctuation)
WORD_JOINER = "\u2060"
# Streamlit's Markdown (remark-gfm) turns "www.x.org", "http://x.org" and "a@b.co" into links
# AFTER backslash escapes are resolved (mdast-util-gfm-autolink-literal searches the text nodes
# with /(https?:\/\/|www(?=\.))/ and /@([-\w]+(?:\.[-\w]+)+)/), so escaping alone does not stop
# it. An invisible word joiner goes only where such a link could start: between "www" and its
# dot, between a scheme's ":" and "//", and after an "@" that a domain follows. Ordinary dots,
# colons and slashes ("31.12.2025", "A/B", "Dept. of Education") stay as typed and copy clean.
AUTOLINK_STARTS = re.compile(r"(?<=www)(?=\.)|(?<=:)(?=//)|(?<=@)(?=[-\w])", re.IGNORECASE)


def plain(text: object) -> str:
    """Text from data or users, safe inside Streamlit calls that render Markdown (st.error,
    st.caption, metric labels...): every punctuation mark backslash-escaped and autolinks
    broken, so `![x](http://...)` shows as typed instead of becoming a link or an image."""
    source = str(text)
    breaks = {match.start() for match in AUTOLINK_STARTS.finditer(source)}
    out = []
    for i, ch in enumerate(source):
        if i in breaks:
            out.append(WORD_JOINER)
        if ch in MARKDOWN_SPECIAL:
            out.append("\\" + ch)
        elif ch in "\r\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def plain_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for st.table, which (Streamlit 1.67) renders every text cell as Markdown: its
    text cells through plain(), numbers as they are."""
    return frame.apply(lambda column: column.map(lambda v: plain(v) if isinstance(v, str) else v))
