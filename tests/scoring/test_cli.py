"""The command line: formats, the goal plan replayed through simulate, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.cli import main

REPO = Path(__file__).resolve().parents[2]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_rank_json_lists_every_category(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "rank", "--format", "json")
    data = json.loads(out)["categories"]
    assert code == 0 and [len(data[c]) for c in "ABC"] == [13, 14, 9]
    assert data["C"][7] == {"state": "BIHAR", "score": 39.09, "rank": 8}


def test_simulate_without_levers_reproduces_published(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "simulate", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["baseline"] == data["scenario"] == {"score": 39.09, "rank": 8}
    assert set(data) >= {"state", "category", "baseline", "scenario", "kpis", "category_table"}
    assert set(data["kpis"][0]) >= {"id", "baseline", "scenario", "contribution"}


def test_simulate_table_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "simulate", "--add", "EDUCATION DEPARTMENT, BIHAR=50000")
    assert code == 0 and "39.09 -> 42.15 (+3.06), rank 8 -> 7" in out
    code, out, _ = _run(
        capsys, "simulate", "--reach", "home-department-bihar=20", "--format", "csv"
    )
    assert code == 0 and out.splitlines()[0] == "kpi,baseline,scenario,contribution"


def test_goal_plan_replayed_by_simulate_gives_the_same_result(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "goal", "--rank", "6", "--format", "json")
    goal = json.loads(out)
    assert code == 0 and goal["reachable"] and goal["scenario"]["rank"] <= 6
    assert set(goal) >= {
        "state",
        "target",
        "reachable",
        "extra_completers",
        "plan",
        "scenario",
        "per_day",
        "reason",
    }
    adds = [f"{row['id']}={row['extra_completers']}" for row in goal["plan"]]
    code, out, _ = _run(
        capsys, "simulate", *[a for add in adds for a in ("--add", add)], "--format", "json"
    )
    sim = json.loads(out)
    assert sim["scenario"] == goal["scenario"]
    assert sim["extra_completers"] == goal["extra_completers"]
    assert goal["per_day"]["until"] == "2026-03-31"


@pytest.mark.parametrize(
    "args",
    [
        ("simulate", "--add", "Ministry of Magic=5"),
        ("simulate", "--add", "education-department-bihar=-5"),
        ("simulate", "--reach", "education-department-bihar=101"),
        ("simulate", "--add", "education-department-bihar=lots"),
        ("simulate", "--add", "no-equals-sign"),
        ("goal", "--beat", "Atlantis"),
        ("goal", "--rank", "x"),
        ("rank", "--config", "/nonexistent/kpis.yaml"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, out, err = _run(capsys, *args)
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_broken_config_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "kpis.yaml"
    bad.write_text("kpis: [\n", encoding="utf-8")
    code, _, err = _run(capsys, "rank", "--config", str(bad))
    assert code == 1 and err.startswith("error: kpis.yaml: not valid YAML at line")


def test_module_entry_point_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scoring", "goal", "--beat", "tamil nadu"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "pass TAMIL NADU needs a score of 40.40" in proc.stdout


def _strict(text: str) -> dict:  # type: ignore[type-arg]
    """Parse JSON refusing NaN and Infinity, which `json.loads` would accept."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} in JSON")

    return json.loads(text, parse_constant=refuse)  # type: ignore[no-any-return]


def test_goal_json_carries_chance_optimal_and_margin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "goal", "--beat", "tamil nadu", "--format", "json")
    goal = _strict(out)
    assert code == 0 and goal["optimal"] is True and goal["gap"] == 0
    assert goal["extra_completers"] == goal["lower_bound"] == 3_328
    assert goal["margin"] == 0.0 and goal["tie"] is False
    low, high = goal["chance_interval"]
    assert 0 < low <= goal["chance"] <= high < 0.5  # a proven minimum is fragile


def test_goal_with_a_chance_checks_it_on_fresh_draws(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "goal", "--beat", "Tamil Nadu", "--chance", "90", "--format", "json"
    )
    goal = _strict(out)
    assert code == 0 and goal["probability"] == 0.9 and goal["chance_met"] is True
    assert goal["chance"] >= 0.9 and goal["chance_draws"] == 100_000
    assert goal["optimal"] is False and goal["extra_completers"] > 3_328
    code, out, _ = _run(capsys, "goal", "--rank", "6", "--chance", "50%")
    assert code == 0 and "aiming at a 50.0% chance" in out


def test_goal_json_stays_valid_when_the_rank_is_always_met(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "goal", "--rank", "9", "--format", "json")
    goal = _strict(out)
    assert code == 0 and goal["needed_score"] is None and goal["chance"] == 1.0


@pytest.mark.parametrize("value", ["0", "101", "100", "-5", "ninety", "nan", ""])
def test_bad_chance_exits_non_zero_with_one_line(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, out, err = _run(capsys, "goal", "--rank", "5", "--chance", value)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--chance" in err


def test_simulate_json_carries_the_chance_of_its_rank(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "simulate", "--add", "EDUCATION DEPARTMENT, BIHAR=5000", "--format", "json"
    )
    sim = _strict(out)
    assert code == 0 and sim["chance_rank"] == sim["scenario"]["rank"] == 8
    assert sim["chance"] == 1.0 and sim["rival"] == "WEST BENGAL"
    assert sim["margin"] == round(sim["scenario"]["score"] - 38.06, 6) and not sim["tie"]
    assert sim["chance_draws"] == 20_000 and len(sim["chance_interval"]) == 2
    code, out, _ = _run(
        capsys, "simulate", "--add", "EDUCATION DEPARTMENT, BIHAR=50000", "--format", "json"
    )
    sim = _strict(out)
    assert sim["chance_rank"] == 7 and sim["rival"] == "TAMIL NADU" and sim["margin"] == 1.76


def test_native_prints_never_reach_stdout() -> None:
    # HiGHS printed C++ debug lines to file descriptor 1, inside `goal --chance 90`'s JSON.
    code = (
        "import os\n"
        "from scoring.cli import results_only_on_stdout\n"
        "results_only_on_stdout()\n"
        "os.write(1, b'native noise\\n')\n"
        "print('{\"ours\": 1}')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == {"ours": 1}
    assert "native noise" in done.stderr
