"""Every page at phone, small-laptop, laptop and projector widths, in English and Hindi, normal and
presenter mode: no number, button, heading or chart text may be cut, and no visible text may be
in the other language (names of units, states and courses from the data excepted)."""

from __future__ import annotations

import asyncio
import csv
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app_ui.export.browser import launch_options
from scoring.share import LeverState, ScenarioState, encode_link
from tests.browser.conftest import require_chromium, serve_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "layout"
PAGES = (
    "overview",
    "goal",
    "simulator",
    "departments",
    "weights",
    "sensitivity",
    "scenarios",
    "data",
)
# (width, height): a phone, a small laptop with the sidebar open, a laptop, a projector.
SIZES = ((390, 844), (800, 1000), (1366, 768), (1920, 1080))
MODES = (("en", False), ("hi", False), ("en", True), ("hi", True))
SAVED_NAME = "Education push"  # a user's own words: shown as typed in both languages
# Technical names the Hindi catalogue keeps in Latin letters on purpose (file formats, the
# platform's own name, the ranking's acronyms and category letters, a file hash's name, and the
# keys as printed on the keyboard: "Alt + Z").
LATIN_TERMS = (
    r"iGOT|KPIs?|MDOs?|CSV|YAML|yaml|Excel|PNG|SVG|PDF|URL|HTML|UTF-8|AI|BIPARD|MoU|RMSE|"
    r"SHA-256|\bAlt\b|\bShift\b|\bZ\b|"
    r"\b[A-C]\b|\bkpis\b|\bcsv\b|\bxlsx\b|\bjson\b"
)

# One pass over the page in the browser: texts cut by a clipping box or an ellipsis, chart texts
# outside the chart's view, axis titles over their labels, and every visible text (for the
# language check). Returns plain rows for Python to judge.
PROBE = r"""
() => {
  const roots = ['[data-testid="stMain"]', '[data-testid="stSidebar"]']
    .map(s => document.querySelector(s)).filter(Boolean);
  const shown = el => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0'
          || parseFloat(s.fontSize) === 0) return false;
    }
    return true;
  };
  const sidebarShown = () => {
    const s = document.querySelector('[data-testid="stSidebar"]');
    if (!s) return false;
    const r = s.getBoundingClientRect();
    return s.getAttribute('aria-expanded') !== 'false' && r.right > 5 && r.width > 50;
  };
  const inSidebar = el => !!el.closest('[data-testid="stSidebar"]');
  const liveRoots = roots.filter(r => !inSidebar(r) || sidebarShown());
  const clipBoxes = el => {
    const boxes = [];
    for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
      const s = getComputedStyle(n);
      const hx = s.overflowX === 'hidden' || s.overflowX === 'clip';
      const hy = s.overflowY === 'hidden' || s.overflowY === 'clip';
      if (hx || hy) boxes.push([n.getBoundingClientRect(), hx, hy]);
      if (n.matches('[data-testid="stMain"], [data-testid="stSidebar"]')) break;
    }
    return boxes;
  };
  const textRect = el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return range.getBoundingClientRect();
  };
  const cutBy = (el, r) => {
    for (const [b, hx, hy] of clipBoxes(el)) {
      if (hx && (r.left < b.left - 1.5 || r.right > b.right + 1.5)) return true;
      if (hy && (r.top < b.top - 1.5 || r.bottom > b.bottom + 1.5)) return true;
    }
    return false;
  };
  const cut = [];
  const kinds = [
    ['metric value', '[data-testid="stMetricValue"]'],
    ['metric label', '[data-testid="stMetricLabel"]'],
    ['metric delta', '[data-testid="stMetricDelta"]'],
    ['button', 'button'],
    ['page link', '[data-testid="stSidebarNav"] a'],
    ['heading', 'h1, h2, h3, h4, h5, h6, th, [role="tab"], summary, [data-testid="stWidgetLabel"]'],
    ['chip', '[data-tag] > span'],
  ];
  const seen = new Set();
  for (const [kind, selector] of kinds) {
    for (const root of liveRoots) {
      for (const el of root.querySelectorAll(selector)) {
        if (seen.has(el) || !shown(el) || el.closest('svg')) continue;
        seen.add(el);
        const text = (el.innerText || '').trim();
        if (!text) continue;
        let bad = cutBy(el, textRect(el));
        for (const n of [el, ...el.querySelectorAll('*')]) {
          if (bad) break;
          const s = getComputedStyle(n);
          if (n.clientWidth > 0 && n.scrollWidth > n.clientWidth + 1
              && (s.overflowX !== 'visible' || s.textOverflow === 'ellipsis')) bad = true;
          else if (n !== el && n.childElementCount === 0 && (n.innerText || '').trim()
                   && cutBy(n, textRect(n))) bad = true;
        }
        if (bad) cut.push({kind, text: text.slice(0, 80)});
      }
    }
  }
  const role = t => {
    const g = t.closest('[class*="role-"]');
    const m = g && /role-([a-z-]+)/.exec(g.getAttribute('class'));
    return m ? m[1] : 'chart';
  };
  const charts = [];
  for (const root of liveRoots) {
    for (const svg of root.querySelectorAll('svg.marks')) {
      if (!shown(svg)) continue;
      let box = svg.getBoundingClientRect();
      for (const [b] of clipBoxes(svg)) {
        box = {left: Math.max(box.left, b.left), right: Math.min(box.right, b.right),
               top: Math.max(box.top, b.top), bottom: Math.min(box.bottom, b.bottom)};
      }
      const title = (svg.querySelector('.role-title-text text') || {}).textContent || '';
      charts.push({title, height: svg.getBoundingClientRect().height});
      for (const t of svg.querySelectorAll('text')) {
        const text = (t.textContent || '').trim();
        if (!text || !shown(t)) continue;
        const r = t.getBoundingClientRect();
        const kind = 'chart ' + role(t);
        // A text's box runs a few pixels beyond its glyphs (the line's ascent and descent,
        // sideways for a rotated axis title): a quarter of the line's height is allowed.
        const d = Math.max(1.5, Math.min(r.width, r.height) / 4);
        if (r.left < box.left - d || r.right > box.right + d
            || r.top < box.top - d || r.bottom > box.bottom + d) {
          cut.push({kind, text: text.slice(0, 80) + ' [outside the chart]', chart: title});
        } else if (text.endsWith('…') && kind !== 'chart axis-label') {
          // Long unit names on an axis may be shortened (the tooltip has them in full);
          // titles, legends and the values on the bars may not.
          cut.push({kind, text: text.slice(0, 80) + ' [shortened]', chart: title});
        }
      }
      for (const axis of svg.querySelectorAll('.role-axis')) {
        const titles = [...axis.querySelectorAll('.role-axis-title text')];
        const labels = [...axis.querySelectorAll('.role-axis-label text')];
        for (const tt of titles) {
          const a = tt.getBoundingClientRect();
          const hit = labels.find(l => {
            const b = l.getBoundingClientRect();
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            return w > 2 && h > 2;
          });
          if (hit) cut.push({kind: 'chart axis-title', chart: title,
                             text: tt.textContent + ' [over the label ' + hit.textContent + ']'});
        }
      }
    }
  }
  const texts = new Set();
  for (const root of liveRoots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      const skip = 'script, style, code, pre, title, .st-key-lang, [data-testid="stIconMaterial"]';
      if (!text || !el || el.closest(skip)) continue;
      if (!shown(el)) continue;
      texts.add(text);
    }
  }
  const main = document.querySelector('[data-testid="stMain"]');
  const heading = main && main.querySelector('h1');
  return {cut, charts, texts: [...texts], sidebar: sidebarShown(),
          top: heading ? heading.getBoundingClientRect().top : -1,
          exception: !!document.querySelector('[data-testid="stException"]')};
}
"""

SETTLED = (
    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " || !/Running|Stop/.test(document.querySelector('[data-testid=\"stStatusWidget\"]')"
    ".innerText)"
)


@dataclass
class Findings:
    cut: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _data_names() -> tuple[list[str], list[str]]:
    """Names that stay as the data spells them: (in both languages, in English only)."""
    names: set[str] = set()
    data = ROOT / "data"
    columns = {
        "bihar_departments_2025-12-31.csv": ("department", "mdo"),
        "recommended_courses.csv": ("topic", "band", "course", "provider"),
        "department_repairs.csv": ("mdo", "extracted", "repaired", "reason"),
    }
    for name, wanted in columns.items():
        with (data / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.update(row[c].strip() for c in wanted if row[c].strip())
                if "mdo" in wanted and "department" in wanted:  # the goal plan's "MDO (dept)"
                    names.add(f"{row['mdo'].strip()} ({row['department'].strip()})")
    with (data / "ranking_2025-12-31.csv").open(encoding="utf-8", newline="") as handle:
        states = sorted({row["state"].strip() for row in csv.DictReader(handle)})
    names.add(SAVED_NAME)
    # Longest first, so that a name is removed before a shorter name inside it.
    both = sorted(names, key=len, reverse=True)
    # Names are also shown shortened: "Education Department" for "Education Department, Bihar".
    both += sorted({n.removesuffix(", Bihar") for n in names} - names, key=len, reverse=True)
    return both, states


def _foreign(texts: list[str], lang: str, names: list[str], states: list[str]) -> list[str]:
    """The texts with words in the other language, each followed by those words."""
    terms = re.compile(LATIN_TERMS)
    out = []
    for text in texts:
        rest = text
        # A chart shortens a long name to fit ("Cabinet Secretariat Departmen…").
        if rest.endswith("…") and any(n.startswith(rest[:-1].rstrip()) for n in names):
            continue
        for name in names + (states if lang == "en" else []):
            if len(name) > 2 and name in rest:
                rest = rest.replace(name, " ")
        if lang == "hi":
            rest = re.sub(r"https?://\S+|\S+@\S+|\S+\.(?:csv|yaml|xlsx|png|svg)\b", " ", rest)
            words = re.findall(r"\S*[A-Za-z]\S*", terms.sub(" ", rest))
        elif text != "हिन्दी":
            words = re.findall(r"\S*[\u0900-\u097F]\S*", rest)
        else:
            words = []
        if words:
            out.append(f"{text[:90]!r} [{' '.join(words[:6])}]")
    return out


async def _settle(page: Any) -> None:
    await page.wait_for_timeout(300)
    await page.wait_for_function(SETTLED, timeout=90_000)
    await page.wait_for_timeout(700)


async def _shot(page: Any, path: Path, width: int, height: int) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit."""
    full = await page.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stMainBlockContainer"]\')].map(e => e.scrollHeight), 0)'
    )
    await page.set_viewport_size({"width": width, "height": max(height, min(int(full), 6000))})
    await page.wait_for_timeout(300)
    await page.screenshot(path=str(path))
    await page.set_viewport_size({"width": width, "height": height})


async def _goto(page: Any, name: str) -> None:
    """Follow the sidebar's link (by script: on a phone the sidebar is folded away)."""
    await page.evaluate(
        "name => { const links = [...document.querySelectorAll("
        "'[data-testid=\"stSidebarNav\"] a')];"
        " const link = links.find(a => new URL(a.href).pathname.replace(/\\/$/, '')"
        ".endsWith('/' + name)) || (name === 'overview' && links[0]); link.click(); }",
        name,
    )
    await _settle(page)


async def _one_mode(
    browser: Any, url: str, lang: str, presenter: bool, names: tuple[list[str], list[str]]
) -> Findings:
    found = Findings()
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(60_000)
    page = await context.new_page()
    link = encode_link(
        ScenarioState(levers=(LeverState(target="Education Department, Bihar", kind="add",
                                         value=50_000),))
    )  # fmt: skip
    try:
        await page.goto(f"{url}/?scenario={link}")
        await page.get_by_role("heading", level=1).first.wait_for()
        await _settle(page)
        await _goto(page, "simulator")
        await page.locator(".st-key-sim_goal_run button").click()
        await _settle(page)
        # A saved scenario, so that the Saved scenarios page shows its list and its buttons.
        await _goto(page, "scenarios")
        await page.locator(".st-key-scn_name input").fill(SAVED_NAME)
        await page.locator(".st-key-scn_save button").click()
        await _settle(page)
        if lang == "hi":
            await page.locator(".st-key-lang input").click()
            await page.get_by_role("option", name="हिन्दी").click()
            await _settle(page)
        if presenter:
            await page.locator(".st-key-presenter label").first.click()
            await _settle(page)
        tag = f"{lang}-{'presenter' if presenter else 'normal'}"
        # Each page is drawn at each width (not drawn once and resized): Vega sizes an axis's
        # label room when it draws a chart, as a phone or a projector would see it.
        for width, height in SIZES:
            await page.set_viewport_size({"width": width, "height": height})
            for name in PAGES:
                await _goto(page, name)
                probe = await page.evaluate(PROBE)
                where = f"{name} {width}px {tag}"
                for item in probe["cut"]:
                    chart = f" (chart {item['chart']!r})" if item.get("chart") else ""
                    found.cut.append(f"{where}: {item['kind']} {item['text']!r}{chart}")
                    found.counts[item["kind"]] = found.counts.get(item["kind"], 0) + 1
                for text in _foreign(probe["texts"], lang, *names):
                    found.language.append(f"{where}: {text}")
                    found.counts["language"] = found.counts.get("language", 0) + 1
                if probe["exception"]:
                    found.other.append(f"{where}: a traceback is shown")
                await _shot(page, SHOTS / f"{name}-{width}-{tag}.png", width, height)
    finally:
        await context.close()
    return found


async def _all_modes(url: str) -> list[Findings]:
    from playwright.async_api import async_playwright

    names = _data_names()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options())
        try:
            # Two sessions at a time: the app server and Chromium share two cores.
            results: list[Findings] = []
            for pair in (MODES[:2], MODES[2:]):
                results += await asyncio.gather(
                    *(_one_mode(browser, url, lang, on, names) for lang, on in pair)
                )
            return results
        finally:
            await browser.close()


def test_no_text_is_cut_or_in_the_other_language() -> None:
    require_chromium()
    SHOTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with serve_app("layout") as (url, _pid):
        results = asyncio.run(_all_modes(url))
    elapsed = time.perf_counter() - started
    cut = sorted({line for r in results for line in r.cut})
    language = sorted({line for r in results for line in r.language})
    other = sorted({line for r in results for line in r.other})
    counts: dict[str, int] = {}
    for r in results:
        for kind, n in r.counts.items():
            counts[kind] = counts.get(kind, 0) + n
    report = {"seconds": round(elapsed, 1), "counts": counts, "cut": cut,
              "language": language, "other": other}  # fmt: skip
    (SHOTS / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    problems = other + cut + language
    assert not problems, f"{len(problems)} problems ({counts}); first ones:\n" + "\n".join(
        problems[:60]
    )
