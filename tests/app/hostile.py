"""A hostile data set and model file: every name from outside is Markdown, HTML or an autolink,
for the page tests that check outside text is shown as typed (issue 13, class 3)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
from markdown_it import MarkdownIt

from app_ui.session import UploadedData
from scoring.data import DATA_DIR, load_dataset

# One of each thing Streamlit's Markdown would turn into an image, a link, HTML or emphasis.
FOCUS = "![x](http://host/p.png)"
NAMES = (
    "[link](http://e)",
    "<img src=x>",
    "**bold**",
    "www.example.org",
    "a@b.co",
    "![y](http://host/q.png)",
)
KPI_LABEL = "[kpi](http://e/k) <b>x</b>"

# GitHub-flavoured Markdown with autolinks, as Streamlit's front end renders it.
MD = MarkdownIt("gfm-like")
# Tags no outside text may become: links, images and any raw HTML element.
BAD = re.compile(r"<(a|img|b|script|iframe|svg)\b", re.IGNORECASE)
# Streamlit's own autolinking (its bundle, StreamlitMarkdown.*.js: mdast-util-gfm-autolink-literal)
# searches the text AFTER escapes are resolved, which markdown-it does not model: these are its
# two expressions, without the checks on the character before and on the domain's shape that the
# bundle adds, so they find every link Streamlit would make, and more.
STREAMLIT_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE)
STREAMLIT_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation


def hostile_dir(root: Path) -> Path:
    """The bundled data with the focus state, four other states, and every department and MDO
    renamed to hostile names."""
    folder = root / "hostile"
    shutil.copytree(DATA_DIR, folder)
    ranking_file = next(folder.glob("ranking_*.csv"))
    ranking = pd.read_csv(ranking_file, keep_default_na=False)
    rename = {"BIHAR": FOCUS}
    others = [s for s in ranking["state"] if s != "BIHAR"]
    rename.update(dict(zip(others, NAMES, strict=False)))
    ranking["state"] = ranking["state"].replace(rename)
    ranking.to_csv(ranking_file, index=False)
    departments_file = next(folder.glob("bihar_departments_*.csv"))
    departments = pd.read_csv(departments_file, keep_default_na=False)
    for i in range(len(departments)):
        name = f"{NAMES[i % len(NAMES)]} {i}"
        departments.loc[i, "department"] = name
        departments.loc[i, "mdo"] = name
    departments.to_csv(departments_file, index=False)
    return folder


# Names a spreadsheet would run as formulas (OWASP's CSV injection examples).
FORMULAS = ('=HYPERLINK("http://e","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3*cmd")


def formula_dir(root: Path) -> Path:
    """The bundled data with the first departments and MDOs named as formulas."""
    folder = root / "formulas"
    shutil.copytree(DATA_DIR, folder)
    departments_file = next(folder.glob("bihar_departments_*.csv"))
    departments = pd.read_csv(departments_file, keep_default_na=False)
    for i, name in enumerate(FORMULAS):
        departments.loc[i, "department"] = name
        departments.loc[i, "mdo"] = name
    departments.to_csv(departments_file, index=False)
    return folder


def hostile_upload(root: Path, formulas: bool = False) -> UploadedData:
    dataset = load_dataset(formula_dir(root) if formulas else hostile_dir(root))
    return UploadedData(
        key="formulas" if formulas else "hostile",
        dataset=dataset,
        replaced=("ranking", "departments"),
        totals=None,
    )


def hostile_config() -> str:
    text = (Path(DATA_DIR).parent / "config" / "kpis.yaml").read_text(encoding="utf-8")
    text = text.replace("focus_state: BIHAR", f"focus_state: '{FOCUS}'")
    return re.sub(r"label: \{en: [^,]*,", f"label: {{en: '{KPI_LABEL}',", text)


def streamlit_autolinks(markdown: str) -> list[str]:
    """What Streamlit's autolinker would make a link of in `markdown` (escapes resolved first)."""
    seen = ESCAPE.sub(r"\1", markdown)
    return [m.group(0) for m in (*STREAMLIT_URL.finditer(seen), *STREAMLIT_EMAIL.finditer(seen))]


def shown_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """An st.table's frame as it reads on the page: its text cells went through
    text.plain_cells, so escapes are resolved and word joiners dropped."""
    return frame.map(
        lambda v: ESCAPE.sub(r"\1", v).replace("\u2060", "") if isinstance(v, str) else v
    )


def rendered_links(text: str) -> list[str]:
    """Links, images or HTML tags that `text` becomes in Streamlit's Markdown."""
    return BAD.findall(MD.render(text)) + streamlit_autolinks(text)


def minimal_dir(root: Path) -> Path:
    """The smallest valid data set: the focus state and one other state in its category (no other
    category), and one department (plus the unlisted remainder from the published totals)."""
    folder = root / "minimal"
    shutil.copytree(DATA_DIR, folder)
    ranking_file = next(folder.glob("ranking_*.csv"))
    ranking = pd.read_csv(ranking_file, keep_default_na=False)
    category = ranking.loc[ranking["state"] == "BIHAR", "category"].iloc[0]
    same = ranking[ranking["category"] == category]
    mini = pd.concat([same[same["state"] != "BIHAR"].head(1), same[same["state"] == "BIHAR"]])
    mini = mini.sort_values("score", ascending=False).assign(rank=[1, 2])
    mini.to_csv(ranking_file, index=False)
    departments_file = next(folder.glob("bihar_departments_*.csv"))
    pd.read_csv(departments_file, keep_default_na=False).head(1).to_csv(
        departments_file, index=False
    )
    return folder


def minimal_upload(root: Path) -> UploadedData:
    return UploadedData(
        key="minimal",
        dataset=load_dataset(minimal_dir(root)),
        replaced=("ranking", "departments"),
        totals=None,
    )
