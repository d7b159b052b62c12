"""Every page under hostile input (issue 13, app side): names from data and model files never
render as links, images or HTML; files we produce defuse formulas; odd but valid state and data
never break a page; inputs are bounded where they enter."""

from __future__ import annotations

import ast
import base64
import csv
import dataclasses
import datetime as dt
import io
import json
import random
import sqlite3
import string
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from scoring.config import parse_config_text
from scoring.db import forget_databases
from scoring.goal import GoalTarget
from scoring.limits import (
    MAX_HISTORY_FILE_BYTES,
    MAX_HISTORY_FILES,
    MAX_TABLE_BYTES,
    MAX_WEIGHT,
)
from scoring.share import LinkTooLongError, decode_link, encode_link
from scoring.store import ENV_PATH
from scoring.uploads import template_csv
from tests.app.conftest import levers_of, open_page, scenario_state, texts
from tests.app.hostile import (
    FOCUS,
    FORMULAS,
    hostile_config,
    hostile_upload,
    minimal_dir,
    minimal_upload,
    rendered_links,
)
from tests.app.test_data import shown as unescaped
from tests.app.test_scenarios import WRAPPER as SCENARIOS_WRAPPER

ROOT = Path(__file__).resolve().parents[2]
SENS_VIEWS = ("weights", "matters", "peers", "calibration", "history")
PAGES = ("overview", "simulator", "departments", "weights", "sensitivity", "scenarios", "data")
# Element kinds whose text Streamlit renders as Markdown, and the attributes holding that text.
MARKDOWN_KINDS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "success",
    "warning",
    "error",
    "toast",
)
WIDGET_KINDS = (
    "button",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "number_input",
    "text_input",
    "slider",
    "select_slider",
    "date_input",
    "text_area",
    "expander",
    "tabs",
)


def markdown_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of the page that Streamlit renders as Markdown."""
    for kind in MARKDOWN_KINDS:
        for element in getattr(at, kind, []):
            yield kind, str(element.value)
    for m in at.metric:
        yield "metric label", str(m.label)
        yield "metric value", str(m.value)
        help_text = m.proto.help
        if help_text:
            yield "metric help", help_text
    # Streamlit 1.67 renders st.table's text cells as Markdown too.
    for table in at.table:
        for cell in table.value.to_numpy().ravel():
            if isinstance(cell, str):
                yield "table cell", cell
    for kind in WIDGET_KINDS:
        for widget in getattr(at, kind, []):
            label = getattr(widget, "label", None)
            if label:
                yield f"{kind} label", str(label)
            help_text = getattr(widget, "help", None)
            if help_text:
                yield f"{kind} help", str(help_text)


def test_hostile_fixture_parses() -> None:
    config = parse_config_text(hostile_config())
    assert config.focus_state == FOCUS


# Every page, every Sensitivity view, and the Simulator with a goal (its messages name states).
CASES = [(page, {}) for page in PAGES]
CASES += [("sensitivity", {"sens_view": view}) for view in SENS_VIEWS[1:]]
CASES += [("simulator", {"goal_request": GoalTarget(rank=1)})]
CASES += [("simulator", {"goal_request": GoalTarget(rank=20)})]
CASES += [("simulator", {"goal_request": GoalTarget(beat="[LINK](HTTP://E)")})]
CASES += [("weights", {"goal_request": GoalTarget(beat="[LINK](HTTP://E)")})]


@pytest.mark.parametrize(("page", "extra"), CASES)
def test_no_page_renders_outside_text_as_markdown(
    page: str, extra: dict[str, object], tmp_path: Path
) -> None:
    at = open_page(
        page, uploaded_data=hostile_upload(tmp_path), config_yaml=hostile_config(), **extra
    )
    found = [
        (where, text, bad) for where, text in markdown_texts(at) if (bad := rendered_links(text))
    ]
    assert not found, found


# --- the static check: interpolated text in Markdown calls ---------------------------------------

MARKDOWN_CALLS = {
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "metric",
    "toast",
    "title",
    "header",
    "subheader",
    "write",
}
# Calls whose result is our own text or a formatted number, never a name as typed.
SAFE_CALLS = {
    "plain",
    "t",
    "tn",
    "fmt_num",
    "fmt_pct",
    "fmt_delta",
    "fmt_probability",
    "local_date",
    "len",
    "int",
    "round",
    "goal_reason",
    "goal_label",
    "_goal_label",
    "_completers",
    "_figures",
}
# Reviewed by hand: each is a number, a date or our own text (file, line-free: "module expr").
REVIEWED = {
    "app_ui/views/briefing.py extra",  # fmt_num of the plan's completers
    "app_ui/views/briefing.py units",  # a catalogue unit
    "app_ui/views/dates.py date",  # local_date(...)
    "app_ui/views/dates.py figures",  # formatted numbers
    "app_ui/views/dates.py count",
    "app_ui/views/dates.py now.rank",
    "app_ui/views/edition_history.py needed",  # fmt_num
    "app_ui/views/goal.py goal",  # goal_label(): plain()s the state
    "app_ui/views/chance.py chance.rank",  # a rank number
    "app_ui/views/chance.py interval_values(chance.interval)",  # formatted percentages
    "app_ui/views/goal.py values",  # formatted numbers, goal_label() and a level number
    "app_ui/views/price.py fmt_chance(own)",  # a formatted percentage
    "app_ui/views/goal.py state",  # plain(state_name(...))
    "app_ui/views/goal.py result.rank",
    "app_ui/views/history.py ', '.join(shown)",  # local dates
    "app_ui/views/peers.py deadline",  # local_date
    "app_ui/views/peers.py ', '.join(editions.rankings())",  # ISO dates (dict keys)
    "app_ui/views/peers.py months_text",  # fmt_num
    "app_ui/views/result.py result.baseline_rank",
    "app_ui/views/result.py result.rank",
    "app_ui/views/standing.py shown.count",
    "app_ui/views/standing.py shown.rank",
    "app_ui/views/standing.py focus",  # plain(state_name(...))
    "app_ui/views/standing.py state",  # plain(state_name(...))
    "app_ui/views/standing.py gap",  # fmt_num
    "app_ui/views/uncertainty.py target",  # a rank
    "app_ui/views/uncertainty.py summary.likely_rank",
    "app_ui/views/weights.py shown.count",
    "app_ui/views/weights.py shown.rank",
    "app_ui/views/weights.py shown.default_rank",
    "app_ui/widgets/uploads.py check.rank",
    "app_ui/widgets/uploads.py names",  # catalogue words for what was replaced
    "app_ui/widgets/uploads.py states",  # plain()ed names joined
    "app_ui/widgets/uploads.py categories",  # plain()ed categories joined
}


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _safe(node: ast.expr, assigned: dict[str, list[ast.expr]], depth: int = 0) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.IfExp):
        return _safe(node.body, assigned, depth) and _safe(node.orelse, assigned, depth)
    if isinstance(node, ast.JoinedStr):
        return all(
            _safe(v.value, assigned, depth)
            for v in node.values
            if isinstance(v, ast.FormattedValue)
        )
    if isinstance(node, ast.Name) and node.id in assigned and depth < 3:
        return all(_safe(v, assigned, depth + 1) for v in assigned[node.id])
    if isinstance(node, ast.Call):
        name = _call_name(node)
        if name in ("t", "tn"):
            return all(_safe(k.value, assigned, depth) for k in node.keywords)
        return name in SAFE_CALLS
    return False


def unescaped_interpolations(path: Path) -> list[str]:
    """ "module expr" for every value interpolated (f-string or t() argument) into a Markdown call
    that is neither plain()ed, our own text, nor a formatted number."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = path.relative_to(ROOT).as_posix()
    found: list[str] = []
    for scope in ast.walk(tree):
        if not isinstance(scope, ast.FunctionDef | ast.Module):
            continue
        assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
                    elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        for name, value in zip(target.elts, node.value.elts, strict=False):
                            if isinstance(name, ast.Name):
                                assigned.setdefault(name.id, []).append(value)
        for node in ast.walk(scope):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in MARKDOWN_CALLS:
                continue
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                parts: list[ast.expr] = []
                if isinstance(arg, ast.JoinedStr):
                    parts = [v.value for v in arg.values if isinstance(v, ast.FormattedValue)]
                elif isinstance(arg, ast.Call) and _call_name(arg) in ("t", "tn"):
                    parts = [k.value for k in arg.keywords]
                found += [f"{module} {ast.unparse(p)}" for p in parts if not _safe(p, assigned)]
    return found


def test_markdown_calls_pass_names_through_plain() -> None:
    files = sorted((ROOT / "app_pages").rglob("*.py")) + sorted((ROOT / "app_ui").rglob("*.py"))
    found = {f for path in [*files, ROOT / "app.py"] for f in unescaped_interpolations(path)}
    assert not found - REVIEWED, sorted(found - REVIEWED)


# --- class 4: files we produce defuse formulas -------------------------------------------------


def test_toolbar_download_and_copy_of_tables_are_off() -> None:
    """Streamlit's own table download writes names raw: it is switched off for every table."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def _deferred_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], object]]:
    """Every deferred download a page registers, by file name (the real callables)."""
    found: dict[str, Callable[[], object]] = {}
    original = MediaFileManager.add_deferred

    def record(
        self: MediaFileManager,
        data: Callable[[], Any],
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        **kw: Any,
    ) -> str:
        found[str(file_name)] = data
        return original(self, data, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return found


@pytest.mark.parametrize("by_mdo", [False, True])
def test_departments_download_defuses_formulas(
    by_mdo: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads = _deferred_downloads(monkeypatch)
    at = open_page(
        "departments", uploaded_data=hostile_upload(tmp_path, formulas=True), dept_show_mdos=by_mdo
    )
    button = next(
        b for b in at.get("download_button") if b.proto.label == "Download this table (CSV)"
    )
    assert button.proto.deferred_file_id
    name = "dept_mdo_table.csv" if by_mdo else "dept_table.csv"
    rows = list(csv.reader(io.StringIO(str(downloads[name]()))))
    names = {row[0] for row in rows[1:]}
    assert {"'" + f for f in FORMULAS} <= names, names
    assert not any(n.startswith(("=", "+", "@", "-")) for n in names)
    # Everything else reads as before: no apostrophe on ordinary names, numbers stay numbers.
    assert "Agriculture Department Bihar" in names
    assert all(float(row[2].replace(",", "")) >= 0 for row in rows[1:])


@pytest.mark.parametrize("kind", ["ranking", "departments"])
def test_data_page_templates_defuse_formulas(kind: str, tmp_path: Path) -> None:
    """The Data page's templates take their example row from the data in use (maybe an upload)."""
    data = hostile_upload(tmp_path, formulas=True).dataset
    if kind == "ranking":
        ranking = data.ranking.copy()
        ranking.loc[0, "state"] = FORMULAS[0]
        data = dataclasses.replace(data, ranking=ranking)
    rows = list(csv.reader(io.StringIO(template_csv(kind, data))))
    assert rows[1][0 if kind == "ranking" else 1] == "'" + FORMULAS[0]
    assert rows[1][-1].replace(".", "").isdigit()  # numbers stay plain


# --- class 1: bounded cost on pages ----------------------------------------------------------


def _measured(page: str, scale: int, *state: str) -> dict[str, Any]:
    """tests/app/big.py in a fresh process, so that its peak RSS is the page's own."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.app.big", page, str(scale), *state],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(figures)  # the report's figures: pytest -s shows them
    return figures


@pytest.mark.parametrize("by_mdo", ["False", "True"])
def test_departments_page_with_20000_rows(by_mdo: str) -> None:
    """Before: the MDO view raised pandas' Styler cell limit (300,015 > 262,144 cells) and the
    department view took 15 s formatting every cell in Python."""
    figures = _measured("departments", 200, f"dept_show_mdos={by_mdo}")
    assert figures["rows"] == 20_001  # 20,000 MDOs and the unlisted remainder
    assert not figures["exceptions"], figures["exceptions"]
    assert figures["table_rows"] == (20_001 if by_mdo == "True" else 12_001)
    assert figures["seconds"] < 5


@pytest.mark.parametrize("scale", [10, 200])
@pytest.mark.parametrize("view", ["matters", "weights"])
def test_sensitivity_with_many_departments_stays_small(scale: int, view: str) -> None:
    figures = _measured("sensitivity", scale, f"sens_view='{view}'")
    assert not figures["exceptions"], figures["exceptions"]
    assert figures["peak_rss_mib"] < 1024


# --- class 5: state that cannot break a page ---------------------------------------------------

EDUCATION = "Education Department, Bihar"


def _scenarios_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "scenarios.sqlite"))
    st.cache_resource.clear()
    at = AppTest.from_string(SCENARIOS_WRAPPER, default_timeout=60)
    at.session_state["scenario"] = scenario_state(
        [{"target": EDUCATION, "kind": "add", "value": 1}]
    )
    at.run()
    at.text_input(key="scn_name").input("Two levers")
    at.button(key="scn_save").click().run()
    assert not at.exception, at.exception
    return at


def _write_payload(tmp_path: Path, levers: list[dict[str, object]]) -> None:
    """The saved row's scenario replaced straight in the database, as an old version or a hand
    edit might leave it."""
    with sqlite3.connect(tmp_path / "scenarios.sqlite") as db:
        db.execute("UPDATE scenarios SET payload = ?", (json.dumps({"levers": levers}),))


def test_saved_scenario_with_two_levers_on_one_target_is_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _scenarios_page(tmp_path, monkeypatch)
    twice = [
        {"target": EDUCATION, "kind": "add", "value": 30000},
        {"target": EDUCATION.upper() + " ", "kind": "add", "value": 20000},
    ]
    _write_payload(tmp_path, twice)
    st.cache_resource.clear()
    at.session_state["scenario"] = scenario_state()
    at.run()
    at.button(key="scn_open").click().run()
    assert not at.exception, at.exception
    assert levers_of(at) == [{"target": EDUCATION, "kind": "add", "value": 50000.0}]
    at.switch_page(str(ROOT / "app_pages" / "simulator.py")).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Rank"] == "7 of 9"  # as one 50,000 lever


def test_saved_scenario_with_two_kinds_on_one_target_is_refused_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _scenarios_page(tmp_path, monkeypatch)
    clash = [
        {"target": EDUCATION, "kind": "add", "value": 30000},
        {"target": EDUCATION, "kind": "reach", "value": 0.5},
    ]
    _write_payload(tmp_path, clash)
    st.cache_resource.clear()
    at.run()
    assert not at.exception, at.exception
    shown = "\n".join(str(e.value) for e in [*at.error, *at.warning, *at.info])
    assert "two levers on" in shown, shown
    at.switch_page(str(ROOT / "app_pages" / "simulator.py")).run()
    assert not at.exception, at.exception


def test_shared_link_with_two_levers_on_one_target_opens_the_simulator() -> None:
    twice = {
        "levers": [
            {"target": EDUCATION, "kind": "add", "value": 30000},
            {"target": EDUCATION, "kind": "add", "value": 20000},
        ]
    }
    link = base64.urlsafe_b64encode(json.dumps(twice).encode()).decode().rstrip("=")
    at = AppTest.from_string(SCENARIOS_WRAPPER, default_timeout=60)
    at.query_params["scenario"] = link
    at.run()
    at.switch_page(str(ROOT / "app_pages" / "simulator.py")).run()
    assert not at.exception, at.exception
    assert levers_of(at) == [{"target": EDUCATION, "kind": "add", "value": 50000.0}]


@pytest.mark.parametrize(("page", "extra"), CASES)
def test_every_page_renders_the_smallest_valid_data_set(
    page: str, extra: dict[str, object], tmp_path: Path
) -> None:
    """Two states in the focus category (fewer than the five peers Sensitivity used to index),
    no other category, one department: every page and view renders (open_page asserts no
    exception)."""
    if "beat" in str(extra):
        extra = {"goal_request": GoalTarget(rank=1)}
    at = open_page(page, uploaded_data=minimal_upload(tmp_path), **extra)
    assert at.title, page


def test_every_page_renders_the_smallest_published_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The smallest data set published through the Data page (31 Jan 2026), then every page and
    view in a new session that reads it from the editions database."""
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "igot.sqlite"))
    folder = minimal_dir(tmp_path)
    ranking = next(folder.glob("ranking_*.csv")).read_bytes()
    departments = next(folder.glob("bihar_departments_*.csv")).read_bytes()
    totals = next(folder.glob("bihar_published_totals_*.csv")).read_bytes()
    try:
        at = open_page("data")
        at.date_input(key="data_as_of").set_value(dt.date(2026, 1, 31))
        for role, data in (("ranking", ranking), ("departments", departments), ("totals", totals)):
            at.file_uploader(key=f"data_{role}_file").set_value((f"{role}.csv", data, "text/csv"))
        at.run()
        assert not at.exception, at.exception
        at.button(key="data_publish").click().run()
        assert not at.exception, at.exception
        for page, extra in CASES:
            if "beat" in str(extra):
                continue
            shown = open_page(page, **extra)
            assert "31 Jan 2026" in texts(shown) or page in ("scenarios", "data"), page
    finally:
        forget_databases()


# --- classes 2, 8, 9: inputs bounded where they enter -------------------------------------------


def test_weight_inputs_take_up_to_max_weight() -> None:
    at = open_page("weights")
    inputs = [n for n in at.number_input if n.key and n.key.startswith("w_")]
    assert inputs
    assert {n.proto.max for n in inputs} == {MAX_WEIGHT}
    assert {n.proto.min for n in inputs} == {0.0}


def test_a_table_upload_over_the_limit_is_refused_before_reading() -> None:
    at = open_page("data")
    big = b"state,category,score,rank\n" + b"x" * (MAX_TABLE_BYTES - 26 + 1)
    at.file_uploader(key="data_ranking_file").set_value(("huge.csv", big, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    errors = "\n".join(unescaped(e.value) for e in at.error)
    assert "file is 20,000,001 bytes; the limit is 20,000,000 bytes (20 MB)" in errors, errors


def _history_page() -> AppTest:
    return open_page("sensitivity", sens_view="history")


def test_history_uploads_bounded_in_count_before_reading() -> None:
    at = _history_page()
    files = [(f"m{i}.csv", b"not,a,ranking\n", "text/csv") for i in range(MAX_HISTORY_FILES + 1)]
    at.file_uploader(key="sens_history_upload").set_value(files)
    at.run()
    assert not at.exception, at.exception
    errors = "\n".join(unescaped(e.value) for e in at.error)
    assert "61 files; the limit is 60 (five years)" in errors, errors
    # Refused before reading: no file's own complaint (they are not rankings) is shown.
    assert "m0.csv" not in errors


def test_history_uploads_bounded_in_size_before_reading() -> None:
    at = _history_page()
    huge = b"x" * (MAX_HISTORY_FILE_BYTES + 1)
    at.file_uploader(key="sens_history_upload").set_value([("huge.csv", huge, "text/csv")])
    at.run()
    assert not at.exception, at.exception
    errors = "\n".join(unescaped(e.value) for e in at.error)
    assert "is 1,000,001 bytes; the limit is 1,000,000" in errors, errors


def test_a_scenario_too_long_for_a_link_says_so_and_the_address_bar_keeps_working() -> None:
    # 200 levers (the most a scenario takes) with incompressible names: the deflated link is far
    # over MAX_LINK_CHARS.
    rng = random.Random(13)
    levers = [
        {"target": "".join(rng.choices(string.ascii_letters, k=80)), "kind": "add", "value": 1}
        for _ in range(200)
    ]
    with pytest.raises(LinkTooLongError):
        encode_link(scenario_state(levers))
    at = AppTest.from_string(SCENARIOS_WRAPPER, default_timeout=60)
    at.session_state["scenario"] = scenario_state(levers)
    at.run()
    assert not at.exception, at.exception
    assert any("too many levers for a link" in i.value for i in at.info), [i.value for i in at.info]
    assert "scenario" not in at.query_params  # no over-long address
    # The address bar still follows the scenario once it fits again.
    at.session_state["scenario"] = scenario_state(levers[:1])
    at.run()
    assert not at.exception, at.exception
    param = at.query_params["scenario"]
    value = param if isinstance(param, str) else param[0]
    assert decode_link(value).levers[0].target == levers[0]["target"]
