"""The bundled data: published ranking, reconciliation to the published totals, validation."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from scoring.config import COLUMNS
from scoring.data import (
    REMAINDER_ID,
    Dataset,
    department_headroom,
    parse_departments,
    parse_ranking,
    parse_totals,
    read_table,
)
from scoring.errors import ScoringInputError

PUBLISHED_TOTALS = {
    "onboarded": 1389815,
    "active": 90110,
    "user_completions": 78215,
    "enrolments": 1378042,
    "completions": 931710,
    "hours": 705788.84,
    "attempted": 717102,
    "passed": 525582,
}
REPO = Path(__file__).resolve().parents[2]


def test_ranking_has_all_36_states_in_three_categories(dataset: Dataset) -> None:
    ranking = dataset.ranking
    assert len(ranking) == 36
    assert ranking["category"].value_counts().to_dict() == {"A": 13, "B": 14, "C": 9}
    bihar = ranking.set_index("state").loc["BIHAR"]
    assert (bihar["category"], bihar["score"], bihar["rank"]) == ("C", 39.09, 8)


def test_department_rows_reconcile_to_the_published_total_to_the_unit(dataset: Dataset) -> None:
    totals = dataset.departments.totals()
    for column, published in PUBLISHED_TOTALS.items():
        assert round(totals[column], 2) == published, column


def test_the_remainder_is_explicit_and_is_what_the_listed_rows_miss(dataset: Dataset) -> None:
    frame = dataset.departments.frame
    listed = frame[~frame["is_remainder"]]
    assert len(listed) == 100
    remainder = frame[frame["is_remainder"]]
    assert remainder["id"].tolist() == [REMAINDER_ID]
    expected = {
        "onboarded": 12,
        "active": 8,
        "user_completions": 6,
        "enrolments": 54,
        "completions": 14,
        "hours": 14.14,
        "attempted": 16,
        "passed": 15,
    }
    assert {c: round(float(remainder[c].iloc[0]), 2) for c in COLUMNS} == expected


def test_repairs_are_recorded_and_shared_names_are_kept(dataset: Dataset) -> None:
    frame = dataset.departments.frame
    assert len(dataset.repairs) == 30
    assert frame["id"].is_unique
    assert (frame["mdo"] == "Sugarcane Industries Department Bihar").sum() == 2
    by_mdo = frame.set_index("id")
    assert (
        by_mdo.loc["south-bihar-power-distribution-company-limited", "department"]
        == "Energy Department Bihar"
    )
    assert by_mdo.loc["district-arwal-bihar", "department"] == "District Arwal, Bihar"
    assert (
        by_mdo.loc["animal-and-fisheries-resource-department", "department"]
        == "Animal and Fish Resources Department Bihar"
    )
    assert by_mdo.loc["directorate-of-provident-fund", "attempted"] == 6
    assert (frame["department"] != "").all()


def test_build_script_reproduces_the_bundled_csvs(tmp_path: Path) -> None:
    seeds = REPO.parent / "shared" / "seeds"
    if not (seeds / "004_b62e7c695432352f.txt").exists():
        pytest.skip("seed documents not beside the repository")
    from tools.build_data import build

    build(seeds, tmp_path)
    for produced in tmp_path.iterdir():
        assert filecmp.cmp(produced, REPO / "data" / produced.name, shallow=False), produced.name


def _departments_csv(rows: list[str]) -> bytes:
    header = "department,mdo," + ",".join(COLUMNS)
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD_ROW = "Dept A,Unit A,10,5,4,20,10,7.5,8,6"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Dept A,Unit A,10,5,4,20,10,7.5,8,x", "row 2 (Unit A): passed is 'x', not a number"),
        ("Dept A,Unit A,-10,5,4,20,10,7.5,8,6", "row 2 (Unit A): onboarded is negative (-10)"),
        (
            "Dept A,Unit A,10,11,4,20,10,7.5,8,6",
            "row 2 (Unit A): active (11) is more than onboarded (10)",
        ),
        ("Dept A,Unit A,10,5,4,20,30,7.5,8,6", "completions (30) is more than enrolments (20)"),
        ("Dept A,Unit A,10,5,4,20,10,7.5,8,", "row 2 (Unit A): passed is blank"),
        (",Unit A,10,5,4,20,10,7.5,8,6", "row 2 (Unit A): department is blank"),
        ("Dept A,Unit A,10.5,5,4,20,10,7.5,8,6", "onboarded must be a whole number"),
    ],
)
def test_bad_department_rows_are_named(row: str, message: str) -> None:
    frame = read_table(_departments_csv([row]), "upload.csv")
    with pytest.raises(ScoringInputError) as err:
        parse_departments(frame, name="upload.csv")
    assert message in str(err.value)
    assert str(err.value).startswith("upload.csv: ")


def test_missing_columns_are_listed() -> None:
    frame = read_table(b"department,mdo,onboarded\nA,B,1\n", "t.csv")
    with pytest.raises(ScoringInputError, match="missing column\\(s\\) active, user_completions"):
        parse_departments(frame)


def test_odd_names_are_kept_as_text_and_ids_generated() -> None:
    frame = read_table(
        _departments_csv(
            [
                "शिक्षा विभाग,<script>alert(1)</script>,10,5,4,20,10,7.5,8,6",
                "शिक्षा विभाग,<script>alert(1)</script>,10,5,4,20,10,7.5,8,6",
            ]
        ),
        "t.csv",
    )
    table = parse_departments(frame)
    assert table.frame["department"].iloc[0] == "शिक्षा विभाग"
    assert table.frame["mdo"].iloc[0] == "<script>alert(1)</script>"
    assert table.ids == ["script-alert-1-script", "script-alert-1-script-2"]


def test_bom_is_accepted_and_other_encodings_refused() -> None:
    text = "\ufeff" + _departments_csv([GOOD_ROW]).decode()
    assert len(parse_departments(read_table(text.encode("utf-8"), "t.csv")).frame) == 1
    with pytest.raises(ScoringInputError, match="not UTF-8"):
        read_table("department,mdo\nशिक्षा,x\n".encode("utf-16"), "t.csv")


def test_rows_above_the_published_total_are_refused() -> None:
    frame = read_table(_departments_csv([GOOD_ROW]), "t.csv")
    totals = pd.Series({c: 1.0 for c in COLUMNS})
    with pytest.raises(ScoringInputError, match="more than the published total in onboarded"):
        parse_departments(frame, totals)


def test_totals_need_exactly_one_row() -> None:
    with pytest.raises(ScoringInputError, match="one row"):
        parse_totals(
            read_table(
                (",".join(COLUMNS) + "\n1,1,1,1,1,1,1,1\n2,2,2,2,2,2,2,2\n").encode(), "t.csv"
            )
        )


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("state,category,score\nGOA,D,50\n", "row 2 (GOA): category 'D' is not one of A, B, C"),
        ("state,category,score\nGOA,A,abc\n", "row 2 (GOA): score is 'abc', not a number"),
        ("state,category,score\nGOA,A,150\n", "score 150.0 is above 100"),
        ("state,category,score\nGOA,A,50\ngoa,A,40\n", "row 3 (GOA): state already given in row 2"),
        ("state,score\nGOA,50\n", "missing column(s) category"),
    ],
)
def test_bad_ranking_rows_are_named(csv: str, message: str) -> None:
    with pytest.raises(ScoringInputError) as err:
        parse_ranking(read_table(csv.encode(), "r.csv"), "r.csv")
    assert message in str(err.value)


def test_huge_files_are_refused_before_parsing() -> None:
    with pytest.raises(ScoringInputError, match="the limit is 20 MB"):
        read_table(b"x" * 20_000_001, "big.csv")


def test_lever_lookups_computed_once_agree_with_the_frame(dataset: Dataset) -> None:
    """The per-table caches the simulator reads on every lever change."""
    table = dataset.departments
    frame = table.frame
    listed = frame[~frame["is_remainder"]]
    pd.testing.assert_frame_equal(table.headroom, department_headroom(frame))
    for name in [*listed["department"].unique(), *listed["id"]]:
        rows = listed[(listed["department"] == name) | (listed["id"] == name)]
        expected = (float(rows["onboarded"].sum()), float(rows["user_completions"].sum()))
        assert table.unit_counts[name] == expected, name
    assert REMAINDER_ID not in table.unit_counts
    assert table.match_keys.departments[0] == frame["department"].iloc[0].casefold()
    assert not table.match_keys.usable[frame["is_remainder"].to_numpy()].any()
