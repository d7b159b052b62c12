"""Outside text never becomes Markdown: no link, no image, no HTML, no autolink; and ordinary
text carries no invisible characters."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from app_ui.text import WORD_JOINER, plain, plain_cells
from tests.app.hostile import ESCAPE, streamlit_autolinks

# GitHub-flavoured Markdown with autolinks (markdown-it), and a model of Streamlit's own
# autolinking, which works on the text after escapes are resolved (tests/app/hostile.py).
MD = MarkdownIt("gfm-like")


def resolved(markdown: str) -> str:
    """The text Streamlit's autolinker sees: escapes resolved, joiners kept."""
    return ESCAPE.sub(r"\1", markdown)


def test_markdown_in_names_is_shown_as_typed() -> None:
    joined = plain("![x](http://e/x.png)")
    assert joined == "\\!\\[x\\]\\(http\\:\u2060\\/\\/e\\/x\\.png\\)"
    assert plain("शिक्षा विभाग") == "शिक्षा विभाग"
    assert plain("**bold** <b>") == r"\*\*bold\*\* \<b\>"


@given(st.text(max_size=80))
def test_no_outside_text_renders_as_a_link_image_or_html(text: str) -> None:
    html = MD.render(plain(text))
    assert not re.search(r"<(a|img|script|b|strong|em|h\d|ul|ol|table)\b", html), (text, html)


# Texts built from the pieces links are made of, so the search reaches the cases that matter.
LINKY = st.lists(
    st.sampled_from(
        [
            "www",
            "WwW",
            ".",
            "..",
            "@",
            ":",
            "//",
            "/",
            "http",
            "HTTPS",
            "ftp",
            "mailto:",
            "a",
            "b-c",
            "_",
            "+",
            "x1",
            "org",
            " ",
            "(",
            ")",
            "\\",
            "\n",
            "शि",
        ]
    ),
    max_size=14,
).map("".join)


@given(st.one_of(LINKY, st.text(max_size=60)))
def test_streamlit_finds_no_link_in_outside_text(text: str) -> None:
    seen = resolved(plain(text))
    assert not streamlit_autolinks(plain(text)), (text, seen)
    # Nothing else changes: the text reads as typed once the joiners are taken out.
    assert seen.replace(WORD_JOINER, "") == re.sub(r"[\r\n]", " ", text)


def test_autolinks_are_broken() -> None:
    for text in ("www.example.org", "http://host/p.png", "a@b.co", "https://x.y/z", "WWW.X.IN"):
        assert "<a " not in MD.render(plain(text)), text
        assert not streamlit_autolinks(plain(text)), text
        assert streamlit_autolinks(text), text  # the model does see the link in the raw text
    assert resolved(plain("www.example.org")) == f"www{WORD_JOINER}.example.org"
    assert resolved(plain("a@b.co")) == f"a@{WORD_JOINER}b.co"
    assert resolved(plain("ftp://x.org")) == f"ftp:{WORD_JOINER}//x.org"


def test_ordinary_text_copies_without_joiners() -> None:
    for text in (
        "31.12.2025",
        "A/B",
        "Dept. of Education",
        "Education Department, Bihar",
        "13,89,815 users (6.5%)",
        "Ratio 1:2",
        "Home/Police: 30,646",
        "ग्रामीण विकास विभाग / RDD",
        "cost @ 5 each",
        "mail me @ the office",
    ):
        assert WORD_JOINER not in plain(text), text
        assert resolved(plain(text)) == text


def test_table_cells_are_plain_and_numbers_stay_numbers() -> None:
    frame = pd.DataFrame({"unit": ["[x](http://e.org)", "A/B"], "extra": [1_338, 5]})
    cells = plain_cells(frame)
    assert cells["unit"].tolist() == [plain("[x](http://e.org)"), r"A\/B"]
    assert cells["extra"].tolist() == [1_338, 5]
    assert "<a " not in MD.render(cells["unit"][0])
