"""Outside text never becomes Markdown: no link, no image, no HTML, no autolink."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from app_ui.text import WORD_JOINER, plain

# GitHub-flavoured Markdown with autolinks, as Streamlit's front end renders it.
MD = MarkdownIt("gfm-like")


def test_markdown_in_names_is_shown_as_typed() -> None:
    joined = plain("![x](http://e/x.png)")
    assert joined.replace(WORD_JOINER, "") == r"\!\[x\]\(http\:\/\/e\/x\.png\)"
    assert plain("शिक्षा विभाग") == "शिक्षा विभाग"
    assert plain("**bold** <b>") == r"\*\*bold\*\* \<b\>"


@given(st.text(max_size=80))
def test_no_outside_text_renders_as_a_link_image_or_html(text: str) -> None:
    html = MD.render(plain(text))
    assert not re.search(r"<(a|img|script|b|strong|em|h\d|ul|ol|table)\b", html), (text, html)


def test_autolinks_are_broken() -> None:
    for text in ("www.example.org", "http://host/p.png", "a@b.co", "https://x.y/z"):
        assert "<a " not in MD.render(plain(text)), text
