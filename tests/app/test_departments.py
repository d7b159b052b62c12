"""Departments page: totals, ratios, search, drill-down, the unlisted remainder."""

from __future__ import annotations

EDUCATION = "Education Department, Bihar"
REMAINDER = "Unlisted MDOs (published total minus listed rows)"


def test_departments_totals_and_counts(page) -> None:
    at = page("departments")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Onboarded users"] == "13,89,815"
    assert shown["Active users"] == "90,110 (6.5%)"
    assert shown["Departments / MDOs"] == "60 / 100"


def test_departments_table_aggregates_by_department_with_ratios(page, find_table) -> None:
    table = find_table(page("departments"), "Department", "Headroom")
    assert table["Onboarded"].sum() == 1389815
    education = table[table["Department"] == EDUCATION].iloc[0]
    assert education["Onboarded"] == 293307
    assert abs(education["Active %"] - 16795 / 293307) < 1e-12
    assert abs(education["% passed"] - 16744 / 21008) < 1e-12
    assert education["Headroom"] == 293307 - 12068
    # Numbers stay numeric so that sorting by a column header sorts by value.
    assert table["Onboarded"].dtype.kind == "f"
    assert REMAINDER in set(table["Department"])


def test_departments_search_and_mdo_view(page, find_table) -> None:
    at = page("departments")
    at.text_input(key="dept_search").input("education").run()
    assert not at.exception
    table = find_table(at, "Department", "Headroom")
    assert EDUCATION in set(table["Department"])
    assert len(table) < 10
    at.toggle(key="dept_show_mdos").set_value(True).run()
    mdos = find_table(at, "Department", "MDO")
    assert {"Department", "MDO"} <= set(mdos.columns)
    at.text_input(key="dept_search").input("no such unit zzz").run()
    assert not at.exception
    assert 'No department or MDO matches "no such unit zzz"' in at.warning[0].value


def test_departments_drill_down_lists_mdos(page, find_table) -> None:
    at = page("departments")
    at.selectbox(key="dept_drill").set_value("General Administration Department Bihar").run()
    assert not at.exception
    mdos = find_table(at, "MDO", "% passed")
    assert len(mdos) == 2
    assert mdos["Onboarded"].sum() == 65443


def test_departments_explains_the_remainder(page, page_text) -> None:
    body = page_text(page("departments"))
    assert "12 onboarded" in body
    assert REMAINDER in body


def test_departments_in_hindi(page, find_table) -> None:
    at = page("departments", lang="hi")
    assert at.title[0].value == "बिहार के विभाग और MDO"  # state names in Devanagari (issue 16)
    assert "ऑनबोर्ड" in find_table(at, "विभाग").columns
