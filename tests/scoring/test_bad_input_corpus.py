"""A corpus of malformed inputs for every loader and parser: each gets a clear message naming the
row or field, never a traceback. The number of cases is asserted and written to test-artifacts/."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from scoring.cli import main as cli_main
from scoring.config import COLUMNS, dump_config, load_config, parse_config_text
from scoring.data import parse_departments, parse_ranking, parse_totals, read_table
from scoring.errors import ScoringInputError
from scoring.share import decode_link
from tests.scoring import corpus_round_two as round_two

REPO = Path(__file__).resolve().parents[2]
GOOD_DEPT = [
    {
        "id": "unit-a",
        "department": "Dept A",
        "mdo": "Unit A",
        "onboarded": "100",
        "active": "60",
        "user_completions": "50",
        "enrolments": "200",
        "completions": "150",
        "hours": "120.5",
        "attempted": "100",
        "passed": "80",
    },
    {
        "id": "unit-b",
        "department": "Dept B",
        "mdo": "Unit B",
        "onboarded": "10",
        "active": "2",
        "user_completions": "1",
        "enrolments": "10",
        "completions": "5",
        "hours": "4",
        "attempted": "4",
        "passed": "2",
    },
]
GOOD_RANKING = [
    {"state": "GOA", "category": "A", "score": "56.17", "rank": "1"},
    {"state": "BIHAR", "category": "C", "score": "39.09", "rank": "1"},
]


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[], object]
    message: str  # a regex the one-line message must match


def _csv(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    out = io.StringIO()
    columns = columns or list(rows[0])
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _dept(data: bytes) -> Callable[[], object]:
    return lambda: parse_departments(read_table(data, "departments.csv"), name="departments.csv")


def _rank(data: bytes) -> Callable[[], object]:
    return lambda: parse_ranking(read_table(data, "ranking.csv"), "ranking.csv")


def _with(rows: list[dict[str, str]], row: int, **changes: str) -> list[dict[str, str]]:
    out = [dict(r) for r in rows]
    out[row].update(changes)
    return out


def department_cases() -> list[Case]:
    cases: list[Case] = []
    required = ["department", "mdo", *COLUMNS]
    for column in required:
        columns = [c for c in GOOD_DEPT[0] if c != column]
        cases.append(
            Case(
                f"dept missing {column}",
                _dept(_csv(GOOD_DEPT, columns)),
                f"missing column\\(s\\) {column}",
            )
        )
        renamed = [
            dict({(k if k != column else column + "_x"): v for k, v in r.items()})
            for r in GOOD_DEPT
        ]
        cases.append(Case(f"dept renamed {column}", _dept(_csv(renamed)), column))
    for column in COLUMNS:
        for bad, message in [
            ("abc", "not a number"),
            ("", "is blank"),
            ("-5", "negative"),
            ("nan", "not a finite number"),
            ("inf", "not a finite number"),
            ("1e400", "not a finite number"),
            ("12abc", "not a number"),
        ]:
            rows = _with(GOOD_DEPT, 1, **{column: bad})
            cases.append(
                Case(
                    f"dept {column}={bad!r}",
                    _dept(_csv(rows)),
                    f"row 3 \\(Unit B\\): {column} .*{message}",
                )
            )
    for column in [c for c in COLUMNS if c != "hours"]:
        rows = _with(GOOD_DEPT, 0, **{column: "7.5"})
        cases.append(
            Case(
                f"dept {column} fractional",
                _dept(_csv(rows)),
                f"row 2 \\(Unit A\\): {column} must be a whole number",
            )
        )
    for small, large, value in [
        ("active", "onboarded", "101"),
        ("user_completions", "active", "61"),
        ("completions", "enrolments", "201"),
        ("passed", "attempted", "101"),
    ]:
        rows = _with(GOOD_DEPT, 0, **{small: value})
        cases.append(
            Case(
                f"dept {small} > {large}",
                _dept(_csv(rows)),
                f"row 2 \\(Unit A\\): {small} \\({value}\\) is more than {large}",
            )
        )
    cases.append(
        Case(
            "dept duplicate id",
            _dept(_csv(_with(GOOD_DEPT, 1, id="unit-a"))),
            "row 3 .*id 'unit-a' already used in row 2",
        )
    )
    for bad_id in ["Unit A", "../etc", "<b>", "x" * 90, ""]:
        cases.append(
            Case(
                f"dept bad id {bad_id[:10]!r}",
                _dept(_csv(_with(GOOD_DEPT, 0, id=bad_id))),
                "row 2 .*id",
            )
        )
    for column in ("department", "mdo"):
        cases.append(
            Case(
                f"dept blank {column}",
                _dept(_csv(_with(GOOD_DEPT, 0, **{column: ""}))),
                f"row 2.*{column} is blank",
            )
        )
        cases.append(
            Case(
                f"dept long {column}",
                _dept(_csv(_with(GOOD_DEPT, 0, **{column: "x" * 300}))),
                f"row 2.*{column} longer than 200",
            )
        )
    text = _csv(GOOD_DEPT).decode()
    for encoding in ("utf-16", "utf-32", "cp1252-like"):
        raw = (
            text.replace("Unit A", "Unité Ä").encode("latin-1")
            if encoding == "cp1252-like"
            else text.encode(encoding)
        )
        cases.append(Case(f"dept encoding {encoding}", _dept(raw), "not UTF-8"))
    cases += [
        Case("dept empty file", _dept(b""), "the file is empty"),
        Case("dept whitespace file", _dept(b"  \n\n "), "the file is empty"),
        Case(
            "dept header only",
            _dept(_csv(GOOD_DEPT)[: _csv(GOOD_DEPT).index(b"\n") + 1]),
            "no rows",
        ),
        Case("dept binary", _dept(bytes(range(256)) * 10), "not UTF-8"),
        Case("dept 50 MB", _dept(b"a," * 25_000_000), "the limit is 20 MB"),
        Case("dept too many rows", _dept(_csv([GOOD_DEPT[0]] * 50_001)), "the limit is 50,000"),
        Case(
            "dept ragged rows",
            _dept(text.encode() + b"x,y,1,2,3,4,5,6,7,8,9,10,11,12\n"),
            "not a readable CSV",
        ),
        Case("dept duplicate header", _dept(b"department,mdo,mdo\nA,B,C\n"), "missing column"),
    ]
    totals = "\n".join([",".join(COLUMNS), ",".join(["1"] * 8)]).encode()
    cases.append(
        Case(
            "dept rows above totals",
            lambda: parse_departments(
                read_table(_csv(GOOD_DEPT), "d.csv"),
                parse_totals(read_table(totals, "t.csv")),
                "d.csv",
            ),
            "more than the published total in onboarded",
        )
    )
    return cases


def ranking_cases() -> list[Case]:
    cases = []
    for column in ("state", "category", "score"):
        columns = [c for c in GOOD_RANKING[0] if c != column]
        cases.append(
            Case(
                f"ranking missing {column}",
                _rank(_csv(GOOD_RANKING, columns)),
                f"missing column\\(s\\) {column}",
            )
        )
    for category in ["D", "c1", "", "AB", "क"]:
        cases.append(
            Case(
                f"ranking category {category!r}",
                _rank(_csv(_with(GOOD_RANKING, 1, category=category))),
                "row 3 \\(BIHAR\\): category .* is not one of A, B, C",
            )
        )
    for score, message in [
        ("abc", "not a number"),
        ("", "is blank"),
        ("-1", "negative"),
        ("101", "above 100"),
        ("nan", "finite"),
        ("39,09x", "not a number"),
    ]:
        cases.append(
            Case(
                f"ranking score {score!r}",
                _rank(_csv(_with(GOOD_RANKING, 1, score=score))),
                f"row 3 \\(BIHAR\\): score.*{message}",
            )
        )
    for rank, message in [
        ("1.5", "whole number"),
        ("0", "1 or more"),
        ("x", "not a number"),
        ("-2", "negative"),
    ]:
        cases.append(
            Case(
                f"ranking rank {rank!r}",
                _rank(_csv(_with(GOOD_RANKING, 1, rank=rank))),
                f"row 3.*rank.*{message}",
            )
        )
    cases += [
        Case(
            "ranking duplicate state",
            _rank(_csv(_with(GOOD_RANKING, 1, state="goa"))),
            "row 3 \\(GOA\\): state already given in row 2",
        ),
        Case(
            "ranking blank state",
            _rank(_csv(_with(GOOD_RANKING, 1, state=""))),
            "row 3: state is blank",
        ),
        Case(
            "ranking long state",
            _rank(_csv(_with(GOOD_RANKING, 1, state="X" * 300))),
            "row 3: state name longer",
        ),
    ]
    return cases


def totals_cases() -> list[Case]:
    header = ",".join(COLUMNS)

    def run(text: str) -> Callable[[], object]:
        return lambda: parse_totals(read_table(text.encode(), "totals.csv"), "totals.csv")

    return [
        Case(
            "totals two rows",
            run(f"{header}\n{','.join(['1'] * 8)}\n{','.join(['2'] * 8)}\n"),
            "expected one row",
        ),
        Case("totals text", run(f"{header}\n{','.join(['x'] * 8)}\n"), "row 2: onboarded is 'x'"),
        Case(
            "totals negative",
            run(f"{header}\n{','.join(['-1'] * 8)}\n"),
            "row 2: onboarded is negative",
        ),
        Case("totals missing column", run("onboarded\n5\n"), "missing column"),
        Case("totals blank", run(f"{header}\n{','.join([''] * 8)}\n"), "row 2: onboarded is blank"),
    ]


def config_cases() -> list[Case]:
    config = load_config()
    good = yaml.safe_load(dump_config(config))
    cases = []

    def run(data: object) -> Callable[[], object]:
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        return lambda: parse_config_text(text, "kpis.yaml")

    for i, kpi in enumerate(good["kpis"]):
        for bad, message in [
            (-1, "weight must not be negative"),
            (".nan", "finite"),
            (".inf", "finite"),
            ("heavy", "valid number"),
            (None, "number"),
        ]:
            data = json.loads(json.dumps(good))
            data["kpis"][i]["weight"] = bad
            text = (
                yaml.safe_dump(data, allow_unicode=True)
                .replace("'.nan'", ".nan")
                .replace("'.inf'", ".inf")
            )
            cases.append(
                Case(
                    f"config {kpi['id']} weight {bad!r}",
                    run(text),
                    f"kpis\\['{kpi['id']}'\\]\\.weight: .*{message}",
                )
            )
        data = json.loads(json.dumps(good))
        data["kpis"][i]["numerator"] = "logins"
        cases.append(
            Case(
                f"config {kpi['id']} unknown column",
                run(data),
                f"kpis\\['{kpi['id']}'\\]\\.numerator: unknown column 'logins'",
            )
        )
        data = json.loads(json.dumps(good))
        data["kpis"][i]["pillar"] = "vibes"
        cases.append(
            Case(f"config {kpi['id']} bad pillar", run(data), f"kpis\\['{kpi['id']}'\\]\\.pillar")
        )
    zero = json.loads(json.dumps(good))
    for kpi in zero["kpis"]:
        kpi["weight"] = 0
    dup = json.loads(json.dumps(good))
    dup["kpis"][1]["id"] = dup["kpis"][0]["id"]
    cases += [
        Case("config all weights zero", run(zero), "all weights are zero"),
        Case("config duplicate id", run(dup), "duplicate id 'active_rate'"),
        Case("config alias", run("a: &x [1]\nkpis: *x\n"), "anchors and aliases"),
        Case(
            "config alias bomb",
            run("a: &a ['x','x']\nb: &b [*a,*a]\nc: &c [*b,*b]\nkpis: *c\n"),
            "anchors and aliases",
        ),
        Case("config deep nesting", run("kpis: " + "[" * 50_000), "nested too deeply"),
        Case("config deep mapping", run("a: " + "{b: " * 30_000), "nested too deeply|not valid"),
        Case("config a list", run("- 1\n- 2\n"), "must be a YAML mapping"),
        Case("config a number", run("42\n"), "must be a YAML mapping"),
        Case("config empty", run(""), "must be a YAML mapping"),
        Case("config malformed", run("kpis: [\n"), "not valid YAML at line"),
        Case("config tab indent", run("kpis:\n\t- id: a\n"), "not valid YAML"),
        Case("config no kpis", run({"categories": good["categories"]}), "kpis"),
        Case("config no categories", run({"kpis": good["kpis"]}), "categories"),
        Case("config unknown key", run({**good, "extra": 1}), "extra"),
        Case("config non-UTF-8", lambda: parse_config_text("é: 1".encode("latin-1")), "not UTF-8"),
        Case("config huge", lambda: parse_config_text("#" * 1_000_001), "larger than"),
    ]
    for key, value in [
        ("courses_per_completer", 0),
        ("courses_per_completer", "two"),
        ("hours_per_course", -1),
        ("hours_per_course", "team"),
        ("from_inactive", 2),
        ("from_inactive", "some"),
        ("enrolments_per_course", 0.5),
        ("activation_ceiling", 0),
        ("activation_ceiling", 1.5),
    ]:
        data = json.loads(json.dumps(good))
        data["scenario"][key] = value
        cases.append(Case(f"config scenario {key}={value!r}", run(data), f"scenario\\.{key}"))
    return cases


def link_cases() -> list[Case]:
    def b64(data: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    values = [
        ("empty", "", "holds no scenario"),
        ("percent", "%%%", "damaged"),
        ("script", "<script>alert(1)</script>", "damaged"),
        ("path", "../../etc/passwd", "damaged"),
        ("long", "A" * 9000, "longer than"),
        ("list", b64([1]), "scenario"),
        ("version", b64({"version": 9}), "version"),
        ("bad kind", b64({"levers": [{"target": "x", "kind": "drop", "value": 1}]}), "kind"),
        ("negative", b64({"levers": [{"target": "x", "kind": "add", "value": -3}]}), "value"),
        (
            "nan",
            base64.urlsafe_b64encode(
                b'{"levers":[{"target":"x","kind":"add","value":NaN}]}'
            ).decode(),
            "value",
        ),
        ("extra key", b64({"levers": [], "cmd": "rm"}), "cmd"),
        (
            "long target",
            b64({"levers": [{"target": "x" * 300, "kind": "add", "value": 1}]}),
            "target",
        ),
        ("deep json", base64.urlsafe_b64encode(b"[" * 3000).decode(), "not valid"),
        ("bad ceiling", b64({"assumptions": {"activation_ceiling": 9}}), "activation_ceiling"),
        ("unicode junk", "\u202e\u0000abc", "damaged|not valid"),
    ]
    return [
        Case(f"link {name}", lambda v=value: decode_link(v), message)
        for name, value, message in values
    ]


def cli_cases() -> list[Case]:
    argv = [
        (["simulate", "--add", "Ministry of Magic=5"], "no department, MDO or MDO id"),
        (["simulate", "--add", "education-department-bihar=-5"], "non-negative"),
        (["simulate", "--add", "education-department-bihar=1.5"], "whole number"),
        (["simulate", "--add", "education-department-bihar=abc"], "is not a number"),
        (["simulate", "--add", "=5"], "expected NAME=N"),
        (["simulate", "--add", "noequals"], "expected NAME=N"),
        (["simulate", "--reach", "education-department-bihar=101"], "above 100"),
        (["simulate", "--reach", "education-department-bihar=nan"], "non-negative|number"),
        (["simulate", "--add", "unlisted-remainder=5"], "no department"),
        (["goal", "--beat", "Atlantis"], "no state called"),
        (["goal", "--beat", "GOA"], "category A"),
        (["goal", "--rank", "0"], "1 or more"),
        (["rank", "--config", "/nonexistent.yaml"], "cannot read"),
        (["rank", "--data", "/nonexistent"], "manifest"),
        (["simulate", "--add", "x" * 5000 + "=1"], "no department"),
    ]
    return [Case(f"cli {' '.join(a)[:40]}", lambda a=a: _cli(a), m) for a, m in argv]


def _cli(argv: list[str]) -> None:
    import contextlib

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli_main(argv)
    lines = err.getvalue().strip().splitlines()
    assert code != 0 and len(lines) == 1, lines
    raise ScoringInputError(lines[0])


CORPUS = [
    *department_cases(),
    *ranking_cases(),
    *totals_cases(),
    *config_cases(),
    *link_cases(),
    *cli_cases(),
]
# Round two (issue 13): limits, numbers in range, manifests, consistency, capped messages, links.
CORPUS_ROUND_TWO = [
    *round_two.config_range_cases(),
    *round_two.link_range_cases(),
    *round_two.manifest_cases(),
    *round_two.consistency_cases(),
    *round_two.message_cap_cases(),
    *round_two.limit_cases(),
    *round_two.cli_round_two_cases(),
    *round_two.history_cases(),
]
NORMALISED = round_two.normalisation_cases()


@pytest.mark.parametrize(
    "case", CORPUS + CORPUS_ROUND_TWO, ids=[c.name for c in CORPUS + CORPUS_ROUND_TWO]
)
def test_bad_input_gets_a_clear_message(case: Case) -> None:
    with pytest.raises(ScoringInputError) as err:
        case.run()
    message = str(err.value)
    assert re.search(case.message, message), message
    assert "Traceback" not in message and "\n" not in message
    assert len(message) < 4_000


def test_corpus_size_is_reported() -> None:
    out = REPO / "test-artifacts"
    out.mkdir(exist_ok=True)
    kinds: dict[str, int] = {}
    for case in CORPUS + CORPUS_ROUND_TWO:
        kinds[case.name.split()[0]] = kinds.get(case.name.split()[0], 0) + 1
    round_two_count = len(CORPUS_ROUND_TWO) + len(NORMALISED)
    (out / "bad_input_corpus.json").write_text(
        json.dumps(
            {
                "total": len(CORPUS) + round_two_count,
                "round_two": round_two_count,
                "normalised": len(NORMALISED),
                **kinds,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    assert len(CORPUS) >= 200
    assert round_two_count >= 150


@pytest.mark.parametrize("case", NORMALISED, ids=[c.name for c in NORMALISED])
def test_hostile_input_is_normalised(case: round_two.Normalised) -> None:
    """Input that is accepted after normalising: the result is exactly the expected one."""
    assert case.run() == case.expected


@pytest.mark.parametrize(
    "name",
    [
        "शिक्षा विभाग",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        'O\'Brien & "Sons"; DROP',
    ],
)
def test_odd_names_are_accepted_as_plain_text(name: str) -> None:
    rows = _with(GOOD_DEPT, 0, department=name, mdo=name)
    table = parse_departments(read_table(_csv(rows), "d.csv"))
    assert table.frame["mdo"].iloc[0] == name


def test_an_unreadable_number_is_reported_alone() -> None:
    rows = _with(GOOD_DEPT, 1, active="12abc")
    with pytest.raises(ScoringInputError) as err:
        parse_departments(read_table(_csv(rows), "d.csv"), name="d.csv")
    assert err.value.problems == ["row 3 (Unit B): active is '12abc', not a number"]
