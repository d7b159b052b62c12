"""Streamlit's own Markdown makes no link of outside text put through plain(), and ordinary text
(dates, "A/B", "Dept.") shows and copies without invisible characters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tools.appserver import serve

pytestmark = pytest.mark.browser

APP = Path(__file__).resolve().with_name("plain_links_app.py")
LINKS = (
    "www.example.org",
    "WWW.EXAMPLE.COM/path",
    "see www.x.in.",
    "http://host.org/p.png",
    "HTTPS://X.Y/z",
    "ftp://files.example.org",
    "a@b.co",
    "mailto:first.last@dept.bihar.gov.in",
    "xmpp:me@chat.example.org",
    "![x](http://e/x.png)",
    "<https://example.org>",
    "[link](https://example.org)",
)
ORDINARY = ("31.12.2025", "A/B", "Dept. of Education", "Ratio 1:2", "cost @ 5 each")


def test_plain_text_makes_no_link_in_streamlit(browser: Any) -> None:
    with serve(str(APP), timeout=90) as server:
        page = browser.new_page()
        try:
            page.goto(server.url)
            page.get_by_text("control:").wait_for(timeout=60_000)
            links = page.evaluate(
                "() => [...document.querySelectorAll('[data-testid=stMain] a')]"
                ".map(a => a.textContent)"
            )
            # Only the control, written without plain(), is a link: the check can see links.
            assert links == ["www.example.org"], links
            shown = page.get_by_test_id("stMarkdownContainer").all_inner_texts()
            for text in ORDINARY:
                assert text in shown, text
            for text in LINKS:
                assert any(s.replace("\u2060", "") == text for s in shown), text
        finally:
            page.close()
