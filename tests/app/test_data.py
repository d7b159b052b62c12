"""Data page: provenance, reconciliation, repairs, and validated uploads."""

from __future__ import annotations

import datetime as dt
import re

GOOD_RANKING = b"state,category,score,rank\nBIHAR,C,45.5,1\nKERALA,C,40,2\nGOA,A,50,1\n"
HEADER = (
    "department,mdo,onboarded,active,user_completions,enrolments,completions,hours,"
    "attempted,passed\n"
)
BAD_RANKING = b"state,category,score\nBIHAR,D,x\n,C,10\n"


def shown(markdown: str) -> str:
    """The text a reader sees: names in messages are Markdown-escaped, with invisible word
    joiners against autolinks (app_ui.text.plain)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def test_data_shows_sources_and_files(page, page_text, find_table) -> None:
    at = page("data")
    body = page_text(at)
    assert "20 January 2026" in body and "Annexure 1" in body and "Annexure 3" in body
    files = find_table(at, "File")
    assert "ranking_2025-12-31.csv" in set(files["File"])
    assert "bihar_departments_2025-12-31.csv" in set(files["File"])


def test_data_reconciliation_has_remainder_of_twelve_onboarded(page, find_table) -> None:
    table = find_table(page("data"), "Unlisted remainder")
    onboarded = table[table["Column"] == "Onboarded"].iloc[0]
    assert onboarded["Sum of listed rows"] == "13,89,803"
    assert onboarded["Unlisted remainder"] == "12"
    assert onboarded["Published total"] == "13,89,815"
    assert set(table["Equal"]) == {"✓"}


def test_data_lists_thirty_repairs(page, page_text, find_table) -> None:
    at = page("data")
    assert len(find_table(at, "Reason")) == 30
    assert "30 cells" in page_text(at)


def test_data_good_ranking_upload_is_applied_and_reset(page) -> None:
    at = page("data")
    at.file_uploader(key="data_ranking_file").set_value(("new.csv", GOOD_RANKING, "text/csv"))
    at.run()
    assert not at.exception
    assert "BIHAR: category C, score 45.50, rank 1" in at.success[0].value
    assert at.session_state["uploaded_data"] is None  # not used until confirmed
    assert not at.warning  # the ranks given agree with the scores
    at.button(key="data_use_ranking").click().run()
    assert not at.exception
    assert at.session_state["uploaded_data"].dataset.ranking["state"].tolist()[0] == "BIHAR"
    at.switch_page("app_pages/overview.py").run()
    assert at.metric[0].value == "45.50"
    at.switch_page("app_pages/data.py").run()
    at.button(key="data_reset").click().run()
    assert at.session_state["uploaded_data"] is None
    at.switch_page("app_pages/overview.py").run()
    assert at.metric[0].value == "39.09"


def test_data_ranking_with_inconsistent_ranks_is_flagged(page) -> None:
    at = page("data")
    body = b"state,category,score,rank\nBIHAR,C,41,2\nKERALA,C,40,1\n"
    at.file_uploader(key="data_ranking_file").set_value(("r.csv", body, "text/csv")).run()
    assert not at.exception
    assert "differs from the rank computed from the scores for: BIHAR, KERALA" in (
        at.warning[0].value
    )
    assert at.button(key="data_use_ranking")  # a warning, not a refusal


def test_data_uploaded_ranking_carries_its_own_date(page, page_text) -> None:
    at = page("data")
    at.date_input(key="data_as_of").set_value(dt.date(2026, 1, 31))
    at.file_uploader(key="data_ranking_file").set_value(("jan.csv", GOOD_RANKING, "text/csv"))
    at.run()
    at.button(key="data_use_ranking").click().run()
    assert not at.exception
    assert at.session_state["uploaded_data"].dataset.as_of == dt.date(2026, 1, 31)
    assert "data as on 31 Jan 2026" in at.warning[0].value
    at.switch_page("app_pages/overview.py").run()
    assert "Data as on **31 Jan 2026**" in page_text(at)
    at.switch_page("app_pages/data.py").run()
    at.button(key="data_reset").click().run()
    assert at.date_input(key="data_as_of").value == dt.date(2025, 12, 31)


def test_data_bad_ranking_is_refused_with_row_numbers(page) -> None:
    at = page("data")
    at.file_uploader(key="data_ranking_file").set_value(("bad.csv", BAD_RANKING, "text/csv"))
    at.run()
    assert not at.exception
    message = shown(at.error[0].value)
    assert "refused" in message
    assert "row 2 (BIHAR): category 'D' is not one of A, B, C" in message
    assert "row 3: state is blank" in message
    assert at.session_state["uploaded_data"] is None


def test_data_ranking_without_focus_state_is_refused(page) -> None:
    at = page("data")
    at.file_uploader(key="data_ranking_file").set_value(
        ("nobihar.csv", b"state,category,score\nKERALA,C,40\n", "text/csv")
    )
    at.run()
    assert not at.exception
    assert "BIHAR" in at.error[0].value
    assert at.session_state["uploaded_data"] is None


def test_data_department_upload_with_totals_adds_remainder(page, find_table) -> None:
    at = page("data")
    header = HEADER
    rows = header + "Dept A,Unit 1,100,50,40,80,60,30.5,20,10\nDept A,Unit 2,50,10,5,10,8,4,4,2\n"
    totals = header.split(",", 2)[2] + "160,61,46,95,70,36,25,13\n"
    at.file_uploader(key="data_departments_file").set_value(("d.csv", rows.encode(), "text/csv"))
    at.file_uploader(key="data_totals_file").set_value(("t.csv", totals.encode(), "text/csv"))
    at.run()
    assert not at.exception
    report = at.success[0].value
    assert "2 MDO rows in 1 departments, 160 onboarded users" in report
    assert "remainder row is added (10 onboarded)" in report
    at.button(key="data_use_departments").click().run()
    assert not at.exception
    table = find_table(at, "Unlisted remainder")
    onboarded = table[table["Column"] == "Onboarded"].iloc[0]
    assert onboarded["Unlisted remainder"] == "10"
    assert onboarded["Published total"] == "160"


def test_data_department_upload_bad_rows_keep_good_data(page) -> None:
    at = page("data")
    header = HEADER
    rows = header + "Dept A,Unit 1,100,500,40,80,60,30.5,20,10\n"
    at.file_uploader(key="data_departments_file").set_value(("d.csv", rows.encode(), "text/csv"))
    at.run()
    assert not at.exception
    assert "row 2 (Unit 1): active (500) is more than onboarded (100)" in shown(at.error[0].value)
    assert at.session_state["uploaded_data"] is None


def test_data_templates_are_offered(page) -> None:
    at = page("data")
    keys = {b.key for b in at.get("download_button")}
    assert {"data_template_ranking", "data_template_departments", "data_template_totals"} <= keys


def test_data_page_in_hindi(page, find_table) -> None:
    at = page("data", lang="hi")
    assert at.title[0].value == "डेटा और उसके स्रोत"
    table = find_table(at, "असूचीबद्ध शेष")
    assert "असूचीबद्ध शेष" in table.columns
