"""The bad-input corpus, round two (issue 13): numbers out of range, limits, manifests, impossible
totals, huge cells, links, and input that is accepted only after normalising."""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scoring.cli import main as cli_main
from scoring.config import COLUMNS, dump_config, load_config, parse_config_text
from scoring.data import load_dataset, parse_departments, parse_ranking, parse_totals, read_table
from scoring.errors import ScoringInputError
from scoring.history import combine_months, load_bihar_history
from scoring.limits import (
    MAX_HISTORY_FILE_BYTES,
    MAX_HISTORY_FILES,
    check_date,
    check_deadline,
    check_history_uploads,
    check_rank,
)
from scoring.safe_csv import defuse, rows_to_safe_csv
from scoring.scenario import MAX_LEVER_VALUE
from scoring.share import decode_link, encode_link, load_link, parse_state

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[], object]
    message: str  # a regex the one-line message must match


@dataclass(frozen=True)
class Normalised:
    name: str
    run: Callable[[], object]
    expected: object


GOOD_DEPT = {
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
}
GOOD_TOTALS = {c: GOOD_DEPT[c] for c in COLUMNS}


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _good_config() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(dump_config(load_config()))
    return data


def _config(data: object) -> Callable[[], object]:
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    return lambda: parse_config_text(text, "kpis.yaml")


def _b64(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _zlink(raw: bytes) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return "Z" + base64.urlsafe_b64encode(packer.compress(raw) + packer.flush()).decode().rstrip(
        "="
    )


def _cli(argv: list[str]) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli_main(argv)
    lines = err.getvalue().strip().splitlines()
    assert code != 0 and len(lines) == 1, lines
    assert "Traceback" not in lines[0]
    raise ScoringInputError(lines[0])


@contextlib.contextmanager
def _data_folder(**changes: str | bytes | None) -> Iterator[Path]:
    """A copy of the bundled data folder with files replaced (None deletes, "DIR" makes a
    folder)."""
    folder = Path(tempfile.mkdtemp(prefix="corpus-data-"))
    try:
        for path in DATA.iterdir():
            if path.is_file():
                shutil.copy(path, folder / path.name)
        for name, content in changes.items():
            target = folder / name.replace("__", ".")
            if content is None:
                target.unlink()
            elif content == "DIR":
                target.unlink(missing_ok=True)
                target.mkdir()
            else:
                target.write_bytes(content.encode() if isinstance(content, str) else content)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _load_folder(**changes: str | bytes | None) -> Callable[[], object]:
    def run() -> object:
        with _data_folder(**changes) as folder:
            return load_dataset(folder)

    return run


def _cli_folder(argv: list[str], **changes: str | bytes | None) -> Callable[[], object]:
    def run() -> object:
        with _data_folder(**changes) as folder:
            _cli([*argv, "--data", str(folder)])
        return None

    return run


def _cli_config(argv: list[str], data: dict[str, Any] | str) -> Callable[[], object]:
    def run() -> object:
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "kpis.yaml"
            path.write_text(text, encoding="utf-8")
            _cli([*argv, "--config", str(path)])
        return None

    return run


MANIFEST = (DATA / "manifest.yaml").read_text(encoding="utf-8")


def config_range_cases() -> list[Case]:
    """Every number and date of a model file, at and beyond the edge, with the field named."""
    good = _good_config()
    cases: list[Case] = []
    for kpi in good["kpis"]:
        for weight, message in [
            (1e308, "above the maximum of 1000"),
            (5000, "above the maximum of 1000"),
            (1000.5, "above the maximum of 1000"),
            (-0.5, "must not be negative"),
            (True, "number"),
        ]:
            data = json.loads(json.dumps(good))
            data["kpis"][[k["id"] for k in good["kpis"]].index(kpi["id"])]["weight"] = weight
            cases.append(
                Case(
                    f"config {kpi['id']} weight {weight!r}",
                    _config(data),
                    f"kpis\\['{kpi['id']}'\\]\\.weight: .*{message}",
                )
            )
    targets = [i for i, k in enumerate(good["kpis"]) if k["subscore"]["kind"] == "target"]
    for i in targets:
        kpi_id = good["kpis"][i]["id"]
        for target, message in [
            (0, "positive"),
            (-2, "positive"),
            (1e308, "above the maximum"),
            (20_000, "above the maximum"),
            (".nan", "positive finite"),
            (".inf", "positive finite"),
        ]:
            data = json.loads(json.dumps(good))
            data["kpis"][i]["subscore"]["target"] = target
            text = yaml.safe_dump(data).replace("'.nan'", ".nan").replace("'.inf'", ".inf")
            cases.append(
                Case(
                    f"config {kpi_id} target {target!r}",
                    _config(text),
                    f"kpis\\['{kpi_id}'\\]\\.subscore: .*{message}",
                )
            )
    shares = [i for i, k in enumerate(good["kpis"]) if k["aggregation"] == "mdo_share"]
    for i in shares:
        kpi_id = good["kpis"][i]["id"]
        for threshold in (0, -0.5, 1e12, 10_001, ".nan", ".inf"):
            data = json.loads(json.dumps(good))
            data["kpis"][i]["threshold"] = threshold
            text = yaml.safe_dump(data).replace("'.nan'", ".nan").replace("'.inf'", ".inf")
            cases.append(
                Case(
                    f"config {kpi_id} threshold {threshold!r}",
                    _config(text),
                    f"kpis\\['{kpi_id}'\\]: .*threshold",
                )
            )
    body = yaml.safe_dump({k: v for k, v in good.items() if k != "deadline"})
    for deadline, message in [
        ("2026-02-30", "day is out of range"),
        ("2026-13-01", "month must be in 1..12"),
        ("1999-01-01", "deadline: .*greater than or equal to 2020-01-01"),
        ("2200-01-01", "deadline: .*less than or equal to 2100-12-31"),
        ("tomorrow", "deadline: .*valid date"),
        ("'2026-02-30'", "deadline: .*valid date|day value is outside"),
        ("31-03-2026", "deadline: .*valid date"),
    ]:
        cases.append(
            Case(f"config deadline {deadline}", _config(f"deadline: {deadline}\n{body}"), message)
        )
    for key, value, message in [
        ("categories", [], "categories: .*at least 1"),
        ("categories", [{"id": f"K{i}"} for i in range(11)], "categories: .*at most 10"),
        ("categories", [{"id": "A", "max_employees": -5}], "max_employees"),
        ("categories", [{"id": "A", "max_employees": 10**12}], "max_employees"),
        ("categories", [{"id": ""}], "categories\\[0\\]\\.id"),
        ("focus_state", "", "focus_state"),
        ("focus_state", "X" * 300, "focus_state"),
        ("score_decimals", 7, "score_decimals"),
        ("score_decimals", -1, "score_decimals"),
        ("kpis", [], "kpis: .*at least 1"),
    ]:
        data = json.loads(json.dumps(good))
        data[key] = value
        cases.append(Case(f"config {key}={str(value)[:20]!r}", _config(data), message))
    data = json.loads(json.dumps(good))
    data["kpis"] = [dict(json.loads(json.dumps(good["kpis"][0])), id=f"k{i}") for i in range(51)]
    cases.append(Case("config 51 kpis", _config(data), "kpis: .*at most 50"))
    data = json.loads(json.dumps(good))
    data["kpis"][0]["label"]["en"] = "L" * 300
    cases.append(Case("config label 300 chars", _config(data), "label\\.en"))
    for key, value in [
        ("courses_per_completer", ".nan"),
        ("courses_per_completer", 1e308),
        ("hours_per_course", 1e308),
        ("hours_per_course", ".nan"),
        ("enrolments_per_course", ".inf"),
        ("activation_ceiling", ".nan"),
        ("from_inactive", ".nan"),
        ("from_inactive", -0.1),
    ]:
        data = json.loads(json.dumps(good))
        data["scenario"][key] = value
        text = (
            yaml.safe_dump(data)
            .replace("'.nan'", ".nan")
            .replace("'.inf'", ".inf")
            .replace("1.0e+308", "1e308")
        )
        cases.append(Case(f"config scenario {key}={value!r}", _config(text), f"scenario\\.{key}"))
    return cases


def link_range_cases() -> list[Case]:
    """Share links and saved scenarios: values out of range, conflicts, bombs, damage."""
    lever: Callable[[str, object], dict[str, object]] = lambda kind, value: {  # noqa: E731
        "target": "education-department-bihar",
        "kind": kind,
        "value": value,
    }
    values: list[tuple[str, str, str]] = [
        ("weight 1e308", _b64({"weights": {"active_rate": 1e308}}), "above the maximum"),
        ("weight 5000", _b64({"weights": {"active_rate": 5000}}), "above the maximum"),
        ("weight negative", _b64({"weights": {"active_rate": -1}}), "must not be negative"),
        ("weight text", _b64({"weights": {"active_rate": "x"}}), "weights.active_rate"),
        ("weight long id", _b64({"weights": {"k" * 100: 1}}), "not a KPI id"),
        ("51 weights", _b64({"weights": {f"k{i}": 1 for i in range(51)}}), "at most 50"),
        ("add fraction", _b64({"levers": [lever("add", 1.5)]}), "levers.0.value: .*whole"),
        ("add 1e9", _b64({"levers": [lever("add", 1e9)]}), "levers.0.value: .*up to"),
        ("add 1e308", _b64({"levers": [lever("add", 1e308)]}), "levers.0.value"),
        ("reach 101", _b64({"levers": [lever("reach", 101)]}), "levers.0.value: .*above 100"),
        ("reach -1", _b64({"levers": [lever("reach", -1)]}), "levers.0.value: .*non-negative"),
        ("reach 1e308", _b64({"levers": [lever("reach", 1e308)]}), "levers.0.value"),
        ("lever text value", _b64({"levers": [lever("add", "ten")]}), "levers.0.value"),
        (
            "lever infinity",
            base64.urlsafe_b64encode(
                b'{"levers":[{"target":"x","kind":"reach","value":Infinity}]}'
            ).decode(),
            "levers.0.value",
        ),
        (
            "blank target",
            _b64({"levers": [{"target": "   ", "kind": "add", "value": 1}]}),
            "target is blank",
        ),
        (
            "two kinds one target",
            _b64({"levers": [lever("add", 5), lever("reach", 20)]}),
            "levers: .*different kinds",
        ),
        (
            "two kinds, other case",
            _b64(
                {
                    "levers": [
                        lever("add", 5),
                        dict(lever("reach", 20), target=" EDUCATION-DEPARTMENT-BIHAR "),
                    ]
                }
            ),
            "levers: .*different kinds \\(add, reach\\)",
        ),
        ("assumptions unknown", _b64({"assumptions": {"speed": 2}}), "speed"),
        ("assumptions nan", _b64({"assumptions": {"activation_ceiling": "nan"}}), "activation"),
        ("zip bomb", _zlink(b'{"levers": [' + b" " * 5_000_000 + b"]}"), "unpacks to more than"),
        ("compressed damage", "Z" + "A" * 40, "damaged"),
        ("compressed cut short", _zlink(json.dumps({"levers": []}).encode())[:-4], "damaged"),
        ("compressed not json", _zlink(b"not json"), "not valid scenario data"),
        ("compressed trailing data", _zlink(b'{"levers": []}') + "Zm9v", "extra data at its end"),
        ("compressed latin-1", _zlink("{'é'}".encode("latin-1")), "damaged"),
        ("compressed list", _zlink(b"[1, 2]"), "scenario"),
        ("compressed too long", "Z" + "A" * 8_001, "longer than 8,000"),
    ]
    cases = [Case(f"link {name}", lambda v=value: decode_link(v), m) for name, value, m in values]
    # Hex digests do not compress: 200 levers of 128 of them need far more than 8,000 characters.
    many = {
        "levers": [
            {"target": hashlib.sha512(str(i).encode()).hexdigest(), "kind": "add", "value": i}
            for i in range(200)
        ]
    }
    cases.append(
        Case("link encode too long", lambda: encode_link(parse_state(many)), "save the scenario")
    )
    cases.append(
        Case(
            "saved scenario duplicate kinds",
            lambda: parse_state({"levers": [lever("reach", 5), lever("add", 5)]}, "saved"),
            "saved: levers: .*different kinds",
        )
    )
    return cases


def manifest_cases() -> list[Case]:
    """A --data folder whose manifest or files are broken: one message, never a traceback."""
    good = MANIFEST
    cases = [
        Case("manifest binary", _load_folder(manifest__yaml=bytes(range(256))), "not UTF-8"),
        Case("manifest empty", _load_folder(manifest__yaml=b""), "must be a mapping"),
        Case("manifest malformed", _load_folder(manifest__yaml="as_of: [\n"), "not valid YAML"),
        Case("manifest a list", _load_folder(manifest__yaml="- a\n- b\n"), "must be a mapping"),
        Case("manifest deep", _load_folder(manifest__yaml="a: " + "[" * 50_000), "nested|valid"),
        Case(
            "manifest missing", _load_folder(manifest__yaml=None), "cannot read the data manifest"
        ),
        Case("manifest a folder", _load_folder(manifest__yaml="DIR"), "is a folder"),
        Case("manifest huge", _load_folder(manifest__yaml="#" * 70_000), "limit is 64,000 bytes"),
        Case(
            "manifest as_of yesterday",
            _load_folder(manifest__yaml=good.replace("as_of: 2025-12-31", "as_of: yesterday")),
            "as_of: 'yesterday' is not a date",
        ),
        Case(
            "manifest as_of 2025-02-30",
            _load_folder(manifest__yaml=good.replace("as_of: 2025-12-31", "as_of: 2025-02-30")),
            "day is out of range",
        ),
        Case(
            "manifest as_of 1999",
            _load_folder(manifest__yaml=good.replace("as_of: 2025-12-31", "as_of: 1999-12-31")),
            "as_of: 1999-12-31 is outside",
        ),
        Case(
            "manifest as_of number",
            _load_folder(manifest__yaml=good.replace("as_of: 2025-12-31", "as_of: 20251231")),
            "as_of: 20251231 is not a date",
        ),
        Case(
            "manifest as_of missing",
            _load_folder(manifest__yaml=good.replace("as_of: 2025-12-31", "")),
            "as_of: None is not a date",
        ),
        Case(
            "manifest no ranking",
            _load_folder(manifest__yaml=good.replace("ranking: ranking_2025-12-31.csv", "")),
            "ranking: give the file name",
        ),
        Case(
            "manifest ranking path",
            _load_folder(manifest__yaml=good.replace("ranking_2025-12-31.csv", "../../etc/passwd")),
            "must be a file name in the data folder",
        ),
        Case(
            "manifest ranking absolute",
            _load_folder(manifest__yaml=good.replace("ranking_2025-12-31.csv", "/etc/passwd")),
            "must be a file name",
        ),
        Case(
            "manifest ranking a number",
            _load_folder(manifest__yaml=good.replace("ranking_2025-12-31.csv", "12")),
            "ranking: give the file name",
        ),
        Case(
            "manifest unknown key",
            _load_folder(manifest__yaml=good + "surprise: 1\n"),
            "unknown key\\(s\\): 'surprise'",
        ),
        Case(
            "data ranking is a folder",
            _load_folder(**{"ranking_2025-12-31__csv": "DIR"}),
            "is a folder, not a file",
        ),
        Case(
            "data ranking missing",
            _load_folder(**{"ranking_2025-12-31__csv": None}),
            "cannot read the file",
        ),
        Case(
            "data ranking binary",
            _load_folder(**{"ranking_2025-12-31__csv": bytes(range(256))}),
            "not UTF-8",
        ),
        Case(
            "data totals impossible",
            _load_folder(
                **{
                    "bihar_published_totals_2025-12-31__csv": ",".join(COLUMNS)
                    + "\n1389815,1389816,78215,1378042,931710,705788.84,717102,525582\n"
                }
            ),
            "active \\(1,389,816\\) is more than onboarded \\(1,389,815\\)",
        ),
    ]
    return cases


def consistency_cases() -> list[Case]:
    """Figures that cannot all be true: named, with the figures."""
    cases: list[Case] = []

    def dept(
        rows: list[dict[str, str]], totals: dict[str, str] | None = None
    ) -> Callable[[], object]:
        def run() -> object:
            parsed = parse_totals(read_table(_csv([totals]), "t.csv"), "t.csv") if totals else None
            return parse_departments(read_table(_csv(rows), "d.csv"), parsed, "d.csv")

        return run

    # Per onboarded user: a row, and the published totals, with 10,001 per user.
    for column in ("enrolments", "completions", "hours", "attempted", "passed"):
        row = dict(GOOD_DEPT, onboarded="100", active="60", **{column: "1000100"})
        if column == "completions":
            row["enrolments"] = "1000100"
        if column == "passed":
            row["attempted"] = "1000100"
        cases.append(
            Case(
                f"consistency row {column} per user",
                dept([row]),
                f"row 2 \\(Unit A\\): {column} \\(1,000,100\\) is more than 10,000 per onboarded",
            )
        )
        totals = dict(GOOD_TOTALS, **{column: "1000100"})
        if column == "completions":
            totals["enrolments"] = "1000100"
        if column == "passed":
            totals["attempted"] = "1000100"
        cases.append(
            Case(
                f"consistency totals {column} per user",
                lambda t=totals: parse_totals(read_table(_csv([t]), "t.csv"), "t.csv"),
                f"row 2: {column} \\(1,000,100\\) is more than 10,000 per onboarded",
            )
        )
    for small, large in (
        ("active", "onboarded"),
        ("user_completions", "onboarded"),
        ("user_completions", "active"),
        ("completions", "enrolments"),
        ("passed", "attempted"),
    ):
        totals = dict(GOOD_TOTALS, **{small: str(int(GOOD_TOTALS[large]) + 1)})
        cases.append(
            Case(
                f"consistency totals {small} > {large}",
                lambda t=totals: parse_totals(read_table(_csv([t]), "t.csv"), "t.csv"),
                f"row 2: {small} \\([\\d,]+\\) is more than {large}",
            )
        )
    # The remainder (published total minus listed rows) must be a possible row too.
    listed = dict(GOOD_DEPT, onboarded="1000", active="10", user_completions="5")
    for changes, message in [
        ({"active": "1000"}, "active \\(990\\) is more than onboarded \\(0\\)"),
        ({"hours": "1000000"}, "hours \\([\\d,.]+\\) with no onboarded users"),
        ({"onboarded": "1001", "hours": "9000000"}, "hours .* more than 10,000 per onboarded"),
        ({"enrolments": "900000"}, "enrolments .* with no onboarded users"),
        (
            {"active": "20", "user_completions": "20"},
            "user_completions \\(15\\) is more than active \\(10\\)",
        ),
        ({"passed": "100"}, "passed \\(20\\) is more than attempted \\(0\\)"),
    ]:
        totals = {c: listed[c] for c in COLUMNS} | changes
        cases.append(
            Case(
                f"consistency remainder {'+'.join(changes)}",
                dept([listed], totals),
                "impossible remainder for the unlisted MDOs .*" + message,
            )
        )
    for column in COLUMNS:
        row = dict(GOOD_DEPT, **{column: "2000000000"})
        cases.append(
            Case(
                f"consistency {column} above 1e9",
                dept([row]),
                f"row 2 \\(Unit A\\): {column} is 2,000,000,000, above the limit",
            )
        )
    return cases


def message_cap_cases() -> list[Case]:
    """A huge cell or a flood of bad rows gives a short message."""
    big = "9" * 15_000_000 + "x"
    cases = [
        Case(
            "message 15 MB number cell",
            lambda: parse_departments(
                read_table(_csv([dict(GOOD_DEPT, hours=big)]), "d.csv"), name="d.csv"
            ),
            "hours is '9{50,}…' \\(15,000,001 characters\\), not a number",
        ),
        Case(
            "message 15 MB name",
            lambda: parse_departments(
                read_table(_csv([dict(GOOD_DEPT, mdo="M" * 15_000_000)]), "d.csv"), name="d.csv"
            ),
            "mdo longer than 200",
        ),
        Case(
            "message 1 MB category",
            lambda: parse_ranking(
                read_table(
                    _csv([{"state": "GOA", "category": "Q" * 1_000_000, "score": "1"}]), "r.csv"
                ),
                "r.csv",
            ),
            "category 'Q+…' \\(1,000,000 characters\\) is not one of",
        ),
        Case(
            "message 1 MB id",
            lambda: parse_departments(
                read_table(_csv([dict(GOOD_DEPT, id="I" * 1_000_000)]), "d.csv"), name="d.csv"
            ),
            "id 'I+…' \\(1,000,000 characters\\) must be",
        ),
        Case(
            "message 5,000 bad rows",
            lambda: parse_departments(
                read_table(
                    _csv([dict(GOOD_DEPT, id=f"u{i}", active="x") for i in range(5_000)]),
                    "d.csv",
                ),
                name="d.csv",
            ),
            "\\.\\.\\. and 4,980 more$",
        ),
        Case(
            "message 1 MB file name",
            lambda: read_table(b"", "n" * 1_000_000),
            "^n+… the file is empty|the file is empty",
        ),
        Case(
            "message newline in value",
            lambda: parse_departments(
                read_table(_csv([dict(GOOD_DEPT, active="1\n2")]), "d.csv"), name="d.csv"
            ),
            "active is '1\\\\n2', not a number",
        ),
        Case(
            "message huge link target",
            lambda: decode_link(
                _b64({"levers": [{"target": "T" * 100_000, "kind": "add", "value": 1}]})
            ),
            "longer than 8,000",
        ),
    ]
    return cases


def limit_cases() -> list[Case]:
    """Limits chosen from reality (scoring/limits.py), each with a message naming it."""

    def ranking(n: int) -> bytes:
        return _csv([{"state": f"S{i}", "category": "A", "score": "1"} for i in range(n)])

    day = dt.date(2025, 12, 31)
    return [
        Case(
            "limit 101 states",
            lambda: parse_ranking(read_table(ranking(101), "r.csv"), "r.csv"),
            "101 states; .* limit is 100",
        ),
        Case(
            "limit 20,000 states",
            lambda: parse_ranking(read_table(ranking(20_000), "r.csv"), "r.csv"),
            "20,000 states",
        ),
        Case("limit rank 0", lambda: check_rank(0, 9), "1 or more"),
        Case(
            "limit rank 37 of 9",
            lambda: check_rank(37, 9, "C"),
            "37 is beyond the last place; there are 9 states in category C",
        ),
        Case("limit rank 10 of 9", lambda: check_rank(10, 9), "beyond the last place"),
        Case("limit rank True", lambda: check_rank(True, 9), "not a whole number"),  # type: ignore[arg-type]
        Case(
            "limit deadline before data",
            lambda: check_deadline(dt.date(2019, 12, 31), day),
            "not after the data date 2025-12-31",
        ),
        Case(
            "limit deadline on data date",
            lambda: check_deadline(day, day),
            "not after the data date",
        ),
        Case(
            "limit deadline 10 years",
            lambda: check_deadline(dt.date(2035, 12, 31), day),
            "3,652 days after",
        ),
        Case(
            "limit date yesterday",
            lambda: check_date("yesterday", "as_of"),
            "as_of: 'yesterday' is not a date",
        ),
        Case(
            "limit date 2025-02-30",
            lambda: check_date("2025-02-30", "as_of"),
            "as_of: '2025-02-30' is not a date",
        ),
        Case(
            "limit date 1999",
            lambda: check_date(dt.date(1999, 1, 1), "as_of"),
            "outside 2020-01-01",
        ),
        Case("limit date list", lambda: check_date([2025], "as_of"), "not a date"),
        Case(
            "limit history count",
            lambda: check_history_uploads(
                [(f"m{i}.csv", 1_000) for i in range(MAX_HISTORY_FILES + 1)]
            ),
            "61 files; the limit is 60",
        ),
        Case(
            "limit history file size",
            lambda: check_history_uploads([("big.csv", 19_900_000)]),
            "'big.csv' is 19,900,000 bytes; the limit is 1,000,000",
        ),
        Case(
            "limit history total",
            lambda: check_history_uploads(
                [(f"m{i}.csv", MAX_HISTORY_FILE_BYTES) for i in range(11)]
            ),
            "add up to 11,000,000 bytes",
        ),
        Case(
            "limit history months",
            lambda: combine_months(
                (dt.date(2021, 1, 1) + dt.timedelta(days=31 * i), _months_frame())
                for i in range(61)
            ),
            "more than 60 months",
        ),
        Case(
            "limit courses minutes",
            lambda: _courses("topic,band,course,provider,minutes\nAI,1,x,y,20000\n"),
            "row 2: minutes 20,000 is above 10,000",
        ),
    ]


def _months_frame() -> Any:
    import pandas as pd

    return pd.DataFrame({"state": ["A"], "category": ["C"], "score": [40.0]})


def _courses(text: str) -> object:
    from scoring.data import parse_courses

    return parse_courses(read_table(text.encode(), "courses.csv"), "courses.csv")


def cli_round_two_cases() -> list[Case]:
    """The command line on devices, folders, out-of-range targets and inconsistent models."""
    good = _good_config()
    before = dict(good, deadline="2025-06-30")
    far = dict(good, deadline="2034-01-01")
    no_categories = dict(good, categories=[])
    heavy = json.loads(json.dumps(good))
    heavy["kpis"][0]["weight"] = 1e308
    cases = [
        Case(
            "cli goal --rank 37",
            lambda: _cli(["goal", "--rank", "37"]),
            "37 is beyond the last place",
        ),
        Case(
            "cli goal --rank 10",
            lambda: _cli(["goal", "--rank", "10"]),
            "there are 9 states in category C",
        ),
        Case("cli goal --rank -1", lambda: _cli(["goal", "--rank", "-1"]), "1 or more"),
        Case(
            "cli goal --rank 37 json",
            lambda: _cli(["goal", "--rank", "37", "--format", "json"]),
            "beyond",
        ),
        Case(
            "cli config /dev/zero",
            lambda: _cli(["rank", "--config", "/dev/zero"]),
            "/dev/zero: is not a regular file",
        ),
        Case(
            "cli config /dev/urandom",
            lambda: _cli(["rank", "--config", "/dev/urandom"]),
            "not a regular file",
        ),
        Case(
            "cli config /dev/null",
            lambda: _cli(["rank", "--config", "/dev/null"]),
            "not a regular file",
        ),
        Case(
            "cli config a folder",
            lambda: _cli(["rank", "--config", str(REPO / "config")]),
            "is a folder",
        ),
        Case(
            "cli config NUL in path", lambda: _cli(["rank", "--config", "a\x00b"]), "invalid path"
        ),
        Case(
            "cli data a file",
            lambda: _cli(["rank", "--data", str(DATA / "manifest.yaml")]),
            "manifest",
        ),
        Case(
            "cli deadline before data",
            _cli_config(["rank"], before),
            "deadline: 2025-06-30 is not after the data date 2025-12-31",
        ),
        Case("cli deadline far", _cli_config(["rank"], far), "days after the data date"),
        Case(
            "cli deadline 2026-02-30",
            _cli_config(
                ["rank"],
                "deadline: 2026-02-30\n"
                + yaml.safe_dump({k: v for k, v in good.items() if k != "deadline"}),
            ),
            "day is out of range",
        ),
        Case("cli categories []", _cli_config(["rank"], no_categories), "categories: .*at least 1"),
        Case("cli weight 1e308", _cli_config(["simulate"], heavy), "above the maximum of 1000"),
        Case(
            "cli manifest binary",
            _cli_folder(["rank"], manifest__yaml=bytes(range(256))),
            "not UTF-8",
        ),
        Case("cli manifest empty", _cli_folder(["rank"], manifest__yaml=b""), "must be a mapping"),
        Case(
            "cli manifest malformed", _cli_folder(["rank"], manifest__yaml=b"{{{"), "not valid YAML"
        ),
        Case(
            "cli manifest as_of yesterday",
            _cli_folder(
                ["rank"], manifest__yaml=MANIFEST.replace("as_of: 2025-12-31", "as_of: yesterday")
            ),
            "as_of: 'yesterday' is not a date",
        ),
        Case(
            "cli ranking a folder",
            _cli_folder(["rank"], **{"ranking_2025-12-31__csv": "DIR"}),
            "is a folder",
        ),
    ]
    return cases


def history_cases() -> list[Case]:
    def run(text: str) -> Callable[[], object]:
        def go() -> object:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "history.csv"
                path.write_text(text, encoding="utf-8")
                return load_bihar_history(path)

        return go

    header = "as_of,onboarded,enrolments,completions\n"
    return [
        Case(
            "history bad date",
            run(header + "yesterday,1,1,1\n"),
            "row 2: as_of: 'yesterday' is not a date",
        ),
        Case(
            "history impossible date",
            run(header + "2025-02-30,1,1,1\n"),
            "row 2: as_of: '2025-02-30'",
        ),
        Case(
            "history text number",
            run(header + "2025-01-31,many,1,1\n"),
            "row 2: onboarded is 'many'",
        ),
        Case(
            "history negative", run(header + "2025-01-31,1,-1,1\n"), "row 2: enrolments is negative"
        ),
        Case(
            "history missing column",
            run("as_of,onboarded\n2025-01-31,1\n"),
            "missing column\\(s\\) enrolments, completions",
        ),
        Case("history a folder", lambda: load_bihar_history(DATA), "is a folder"),
    ]


def normalisation_cases() -> list[Normalised]:
    """Accepted after normalising, with the exact result."""
    edu = "education-department-bihar"

    def levers(*items: tuple[str, str, float]) -> list[dict[str, object]]:
        return [{"target": t, "kind": k, "value": v} for t, k, v in items]

    def state_levers(data: list[dict[str, object]]) -> list[tuple[str, str, float]]:
        return [(lv.target, lv.kind, lv.value) for lv in parse_state({"levers": data}).levers]

    cases = [
        Normalised(
            "normalise two adds",
            lambda: state_levers(levers((edu, "add", 5), (edu, "add", 7))),
            [(edu, "add", 12.0)],
        ),
        Normalised(
            "normalise two reaches",
            lambda: state_levers(levers((edu, "reach", 40), (edu, "reach", 25))),
            [(edu, "reach", 40.0)],
        ),
        Normalised(
            "normalise case and spaces",
            lambda: state_levers(levers((edu, "add", 5), (" " + edu.upper() + " ", "add", 1))),
            [(edu, "add", 6.0)],
        ),
        Normalised(
            "normalise three levers",
            lambda: state_levers(levers((edu, "add", 1), ("x", "add", 2), (edu, "add", 3))),
            [(edu, "add", 4.0), ("x", "add", 2.0)],
        ),
        Normalised(
            "normalise add overflow capped",
            lambda: state_levers(levers((edu, "add", MAX_LEVER_VALUE), (edu, "add", 5))),
            [(edu, "add", float(MAX_LEVER_VALUE))],
        ),
        Normalised(
            "normalise note",
            lambda: load_link(_b64({"levers": levers((edu, "add", 5), (edu, "add", 7))})).notes,
            (f"two levers on '{edu}' merged into one: add 12",),
        ),
        Normalised(
            "normalise legacy link",
            lambda: decode_link(_b64({"levers": levers((edu, "add", 5))})),
            parse_state({"levers": levers((edu, "add", 5))}),
        ),
        Normalised(
            "normalise compressed round trip",
            lambda: decode_link(encode_link(parse_state({"levers": levers((edu, "reach", 62.5))}))),
            parse_state({"levers": levers((edu, "reach", 62.5))}),
        ),
        Normalised(
            "normalise 200 levers fit",
            lambda: len(
                decode_link(
                    encode_link(
                        parse_state(
                            {"levers": levers(*[(f"unit-{i}", "add", i) for i in range(200)])}
                        )
                    )
                ).levers
            ),
            200,
        ),
    ]
    for value, expected in [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("＝1+1", "'＝1+1"),
        ("-5", "-5"),
        ("-1,234.50", "-1,234.50"),
        ("+3.25", "+3.25"),
        ("-1e-3", "-1e-3"),
        ("Education Department, Bihar", "Education Department, Bihar"),
        ("शिक्षा विभाग", "शिक्षा विभाग"),
        (-5, -5),
        (39.09, 39.09),
    ]:
        cases.append(
            Normalised(f"normalise defuse {str(value)[:20]!r}", lambda v=value: defuse(v), expected)
        )
    cases.append(
        Normalised(
            "normalise csv rows",
            lambda: rows_to_safe_csv([{"state": "=1+1", "score": -1.5}], ("state", "score")),
            "state,score\n'=1+1,-1.5",
        )
    )
    return cases
