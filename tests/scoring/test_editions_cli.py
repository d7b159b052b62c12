"""The command line on editions: list, show, publish, withdraw; rank, simulate and goal state
the dates they use and the nowcast; one-line errors; --data still reads files only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring import db
from scoring.cli import main
from scoring.config import ModelConfig
from scoring.data import DATA_DIR, Dataset
from scoring.db import sqlite_url
from tests.scoring.test_editions import JAN, grown_table


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    yield sqlite_url(tmp_path / "igot.sqlite")
    db.forget_databases()


def test_publish_nowcast_and_withdraw(
    capsys: pytest.CaptureFixture[str],
    url: str,
    tmp_path: Path,
    dataset: Dataset,
    config: ModelConfig,
) -> None:
    table, totals, _ = grown_table(dataset, config)
    (tmp_path / "jan.csv").write_bytes(table)
    (tmp_path / "totals.csv").write_bytes(totals)
    code, out, _ = _run(capsys, "editions", "list", "--database", url, "--format", "json")
    assert code == 0 and [e["as_of"] for e in json.loads(out)] == ["2025-12-31"]
    code, out, err = _run(
        capsys,
        "editions", "publish", "--database", url,
        "--departments", str(tmp_path / "jan.csv"), "--totals", str(tmp_path / "totals.csv"),
        "--as-of", JAN, "--by", "data.admin@bihar.gov.in",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == f"published edition #2 dated {JAN} (departments), in force: departments"
    code, out, _ = _run(capsys, "simulate", "--database", url, "--format", "json")
    data = json.loads(out)
    assert (data["ranking_as_of"], data["departments_as_of"]) == ("2025-12-31", JAN)
    assert data["nowcast"] == {"score": 42.44, "rank": 7}
    assert data["baseline"] == {"score": 39.09, "rank": 8}
    assert data["scenario"] == {"score": 42.44, "rank": 7}
    code, out, _ = _run(capsys, "goal", "--rank", "5", "--database", url, "--format", "json")
    goal = json.loads(out)
    assert goal["extra_completers"] == 157_484 and goal["nowcast"]["score"] == 42.44
    code, out, _ = _run(capsys, "goal", "--rank", "5", "--database", url)
    assert "Nowcast (an estimate): 42.44, rank 7, from the department table of 2026-01-31" in out
    code, out, _ = _run(
        capsys, "rank", "--database", url, "--edition", "2025-12-31", "--format", "json"
    )
    data = json.loads(out)
    assert "nowcast" not in data and data["departments_as_of"] == "2025-12-31"
    code, out, _ = _run(capsys, "editions", "show", JAN, "--database", url, "--format", "json")
    shown = json.loads(out)
    assert shown["published_by"] == "data.admin@bihar.gov.in"
    assert [f["role"] for f in shown["files"]] == ["departments", "totals"]
    code, out, _ = _run(capsys, "editions", "withdraw", JAN, "--database", url)
    assert code == 0 and out.strip() == f"withdrew edition #2 dated {JAN}"
    code, out, _ = _run(capsys, "simulate", "--database", url, "--format", "json")
    assert "nowcast" not in json.loads(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("editions", "publish", "--as-of", JAN), "needs a ranking, a department table or both"),
        (
            (
                "editions",
                "publish",
                "--ranking",
                str(DATA_DIR / "ranking_2025-12-31.csv"),
                "--as-of",
                "31.1.2026",
            ),
            "'31.1.2026' is not a date",
        ),
        (
            (
                "editions",
                "publish",
                "--departments",
                str(DATA_DIR / "ranking_2025-12-31.csv"),
                "--as-of",
                JAN,
            ),
            "missing column(s) department, mdo",
        ),
        (("editions", "publish", "--ranking", "/nonexistent.csv", "--as-of", JAN), "cannot read"),
        (("editions", "publish", "--ranking", str(DATA_DIR), "--as-of", JAN), "is a folder"),
        (("editions", "show", "2026-01-30"), "no published edition dated 2026-01-30"),
        (
            ("editions", "publish", "--ranking", "{no_bihar}", "--as-of", JAN),
            "focus state 'BIHAR' is not in the ranking",
        ),
        (("editions", "withdraw", "2025-12-31"), "holds the only published ranking"),
        (("rank", "--edition", "2024-01-01"), "no published edition dated 2024-01-01"),
    ],
)
def test_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str],
    url: str,
    tmp_path: Path,
    args: tuple[str, ...],
    message: str,
) -> None:
    no_bihar = tmp_path / "no_bihar.csv"
    no_bihar.write_text("state,category,score\nGOA,A,56.17\nKERALA,C,48.74\n")
    args = tuple(a.replace("{no_bihar}", str(no_bihar)) for a in args)
    code, out, err = _run(capsys, *args, "--database", url)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize("bad", ["mysql://x@y/z", "postgresql://nobody@127.0.0.1:1/x"])
def test_a_bad_database_is_one_line(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    for args in (("rank",), ("editions", "list")):
        code, out, err = _run(capsys, *args, "--database", bad)
        assert code == 1 and out == "" and len(err.strip().splitlines()) == 1


def test_data_folder_reads_files_without_a_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(db.ENV_URL, "postgresql://nobody@127.0.0.1:1/unreachable")
    code, out, err = _run(capsys, "simulate", "--data", str(DATA_DIR), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["scenario"] == {"score": 39.09, "rank": 8} and "ranking_as_of" not in data
