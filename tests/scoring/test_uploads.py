"""Uploaded tables checked against the data in use; reconciliation; templates; content keys."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from scoring.config import COLUMNS, ModelConfig
from scoring.data import Dataset, parse_departments, parse_ranking, parse_totals
from scoring.errors import ScoringInputError
from scoring.uploads import (
    Remainder,
    bundled_manifest,
    bundled_row_counts,
    bundled_totals,
    check_departments,
    check_ranking,
    content_key,
    kept_totals,
    reconciliation,
    replaced_roles,
    template_csv,
)

GOOD_RANKING = b"state,category,score,rank\nBIHAR,C,45.5,1\nKERALA,C,40,2\nGOA,A,50,1\n"
HEADER = (
    "department,mdo,onboarded,active,user_completions,enrolments,completions,hours,"
    "attempted,passed\n"
)
ROWS = HEADER + "Dept A,Unit 1,100,50,40,80,60,30.5,20,10\nDept A,Unit 2,50,10,5,10,8,4,4,2\n"
TOTALS_LINE = ",".join(COLUMNS) + "\n"


def test_good_ranking_reports_its_figures(dataset: Dataset, config: ModelConfig) -> None:
    check = check_ranking(GOOD_RANKING, "new.csv", dataset, config)
    assert check.states == 3
    assert check.per_category == {"A": 1, "B": 0, "C": 2}
    assert (check.focus, check.category, check.score, check.rank) == ("BIHAR", "C", 45.5, 1)
    assert check.rank_mismatch == ()
    assert check.dataset.ranking["state"].tolist() == ["BIHAR", "KERALA", "GOA"]
    assert check.dataset.departments is dataset.departments  # only the ranking is replaced
    assert dataset.ranking["state"].tolist()[0] == "CHANDIGARH"  # the data in use is untouched


def test_ranks_that_disagree_with_scores_are_named(dataset: Dataset, config: ModelConfig) -> None:
    body = b"state,category,score,rank\nBIHAR,C,41,2\nKERALA,C,40,1\n"
    check = check_ranking(body, "r.csv", dataset, config)
    assert check.rank_mismatch == ("BIHAR", "KERALA")
    assert check.rank == 1  # ranks are recomputed from the scores


def test_bad_ranking_is_refused_by_row(dataset: Dataset, config: ModelConfig) -> None:
    with pytest.raises(ScoringInputError) as caught:
        check_ranking(b"state,category,score\nBIHAR,D,x\n,C,10\n", "bad.csv", dataset, config)
    problems = " | ".join(caught.value.problems)
    assert "row 2 (BIHAR): category 'D' is not one of A, B, C" in problems
    assert "row 3: state is blank" in problems
    assert caught.value.source == "bad.csv"


def test_ranking_without_the_focus_state_is_refused(dataset: Dataset, config: ModelConfig) -> None:
    with pytest.raises(ScoringInputError, match="BIHAR"):
        check_ranking(b"state,category,score\nKERALA,C,40\n", "x.csv", dataset, config)


def test_departments_with_totals_get_a_remainder(dataset: Dataset, config: ModelConfig) -> None:
    totals = TOTALS_LINE + "160,61,46,95,70,36,25,13\n"
    check = check_departments(ROWS.encode(), "d.csv", totals.encode(), "t.csv", dataset, config)
    assert (check.rows, check.departments) == (2, 1)
    assert check.onboarded == 160  # 100 + 50 listed + 10 remainder
    assert check.remainder is Remainder.ADDED
    assert check.remainder_onboarded == 10
    assert check.totals is not None and check.totals["hours"] == 36
    frame = check.dataset.departments.frame
    assert frame["is_remainder"].tolist() == [False, False, True]
    assert frame.iloc[2]["hours"] == pytest.approx(1.5)  # 36 - 30.5 - 4


def test_departments_matching_totals_and_without_totals(
    dataset: Dataset, config: ModelConfig
) -> None:
    exact = TOTALS_LINE + "150,60,45,90,68,34.5,24,12\n"
    check = check_departments(ROWS.encode(), "d.csv", exact.encode(), "t.csv", dataset, config)
    assert check.remainder is Remainder.NONE and check.remainder_onboarded == 0
    bare = check_departments(ROWS.encode(), "d.csv", None, "totals", dataset, config)
    assert bare.remainder is Remainder.NO_TOTALS and bare.totals is None
    assert bare.onboarded == 150


def test_bad_department_rows_are_refused(dataset: Dataset, config: ModelConfig) -> None:
    rows = HEADER + "Dept A,Unit 1,100,500,40,80,60,30.5,20,10\n"
    with pytest.raises(ScoringInputError) as caught:
        check_departments(rows.encode(), "d.csv", None, "totals", dataset, config)
    assert "row 2 (Unit 1): active (500) is more than onboarded (100)" in caught.value.problems
    short = TOTALS_LINE + "10,1,1,1,1,1,1,1\n"
    with pytest.raises(ScoringInputError, match="more than the published total"):
        check_departments(ROWS.encode(), "d.csv", short.encode(), "t.csv", dataset, config)


def test_bundled_reconciliation_leaves_twelve_onboarded_unlisted(dataset: Dataset) -> None:
    table = reconciliation(dataset.departments, bundled_totals())
    assert table.loc["onboarded", "listed"] == 1_389_803
    assert table.loc["onboarded", "remainder"] == 12
    assert table.loc["onboarded", "published"] == 1_389_815
    assert table["matches"].all()
    assert list(table.index) == list(COLUMNS)
    assert "published" not in reconciliation(dataset.departments, None).columns


def test_reconciliation_flags_a_total_that_differs(dataset: Dataset) -> None:
    published = bundled_totals().copy()
    published["hours"] += 0.01
    table = reconciliation(dataset.departments, published)
    assert table["matches"].tolist() == [c != "hours" for c in COLUMNS]


def test_templates_parse_back(dataset: Dataset) -> None:
    ranking = pd.read_csv(io.StringIO(template_csv("ranking", dataset)))
    assert list(ranking.columns) == ["state", "category", "score", "rank"]
    assert parse_ranking(ranking)["state"].tolist() == ["CHANDIGARH"]
    departments = pd.read_csv(io.StringIO(template_csv("departments", dataset)))
    assert list(departments.columns) == ["id", "department", "mdo", *COLUMNS]
    assert parse_departments(departments).frame.iloc[0]["onboarded"] == 909_288
    totals = parse_totals(pd.read_csv(io.StringIO(template_csv("totals", dataset))))
    assert totals["onboarded"] == 1_389_815 and totals["hours"] == pytest.approx(705_788.84)
    assert "1389815," in template_csv("totals", dataset)  # counts as whole numbers
    with pytest.raises(ValueError):
        template_csv("courses", dataset)


def test_bundled_manifest_and_row_counts(dataset: Dataset) -> None:
    manifest = bundled_manifest()
    assert manifest["ranking"] == "ranking_2025-12-31.csv"
    counts = bundled_row_counts(dataset)
    assert counts["totals"] == 1 and counts["repairs"] == 30
    assert counts["departments"] == len(dataset.departments.frame) - 1  # without the remainder


def test_bundled_manifest_problem_is_named(tmp_path) -> None:
    (tmp_path / "manifest.yaml").write_text("as_of: 2025-12-31\nranking: r.csv\n")
    with pytest.raises(ScoringInputError, match="departments, totals, courses, repairs"):
        bundled_manifest(tmp_path)


def test_content_key() -> None:
    assert content_key("ranking", b"abc") == content_key("ranking", b"abc")
    assert content_key("ranking", b"abc") != content_key("ranking", b"abd")
    assert content_key("ab", "c") != content_key("a", "bc")
    assert len(content_key(b"")) == 64


def test_replaced_roles_and_kept_totals() -> None:
    assert replaced_roles((), "ranking") == ("ranking",)
    assert replaced_roles(("ranking", "departments"), "ranking") == ("departments", "ranking")
    earlier = pd.Series({"onboarded": 5.0})
    new = pd.Series({"onboarded": 7.0})
    assert kept_totals("ranking", None, earlier) is earlier
    assert kept_totals("departments", new, earlier) is new
    assert kept_totals("departments", None, earlier) is None
