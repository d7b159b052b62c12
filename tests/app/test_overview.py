"""Overview page: Bihar's published standing, neighbours, headline figures, KPIs."""

from __future__ import annotations


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_shows_published_score_rank_and_gaps(page) -> None:
    at = page("overview")
    shown = metrics(at)
    assert shown["Published score"] == "39.09"
    assert shown["Rank in category C"] == "8 of 9"
    assert shown["Behind TAMIL NADU"] == "1.30 points"
    assert shown["Ahead of WEST BENGAL"] == "1.03 points"
    assert at.title[0].value == "Where BIHAR stands"


def test_overview_headline_figures_use_indian_grouping(page) -> None:
    shown = metrics(page("overview"))
    assert shown["Onboarded users"] == "13,89,815"
    assert shown["Active users"] == "90,110 (6.5%)"
    assert shown["Users with a completion"].startswith("78,215")


def test_overview_shows_dates_and_caveat(page, page_text) -> None:
    body = page_text(page("overview"))
    assert "31 Dec 2025" in body
    assert "31 Mar 2026" in body
    assert "does not publish its KPI formula" in body


# The ranking as a table is drawn only while its expander is open: the reader opens it.
OPEN_TABLE = {"overview_table_expander": True}


def test_overview_ranking_defaults_to_category_c_with_bihar_eighth(page, find_table) -> None:
    at = page("overview", **OPEN_TABLE)
    assert at.selectbox(key="overview_category").value == "C"
    table = find_table(at, "Rank", "State", "Score")
    assert table.iloc[0]["State"] == "MAHARASHTRA"
    bihar = table[table["State"] == "BIHAR"].iloc[0]
    assert bihar["Rank"] == 8 and bihar["Score"] == 39.09


def test_overview_category_a_puts_chandigarh_first(page, find_table) -> None:
    at = page("overview", **OPEN_TABLE)
    at.selectbox(key="overview_category").set_value("A").run()
    assert not at.exception
    table = find_table(at, "Rank", "State", "Score")
    assert table.iloc[0]["State"] == "CHANDIGARH"
    assert table.iloc[0]["Score"] == 75.38
    assert at.metric[0].value == "39.09"  # Bihar's own standing does not change


def test_overview_kpis_are_grouped_by_pillar_with_normalised_weights(page, find_table) -> None:
    table = find_table(page("overview"), "KPI", "Pillar")
    assert set(table["Pillar"]) == {"Readiness", "Consumption", "Hygiene"}
    assert abs(table["Weight"].sum() - 1.0) < 1e-9
    active = table[table["KPI"] == "Active users / onboarded"].iloc[0]
    assert active["Value"] == "6.5%"


def test_overview_in_hindi(page, page_text, find_table) -> None:
    at = page("overview", lang="hi")
    assert at.title[0].value == "बिहार कहाँ खड़ा है"  # state names in Devanagari (issue 16)
    labels = [m.label for m in at.metric]
    assert "प्रकाशित अंक" in labels
    assert "कर्मयोगी भारत" in page_text(at)
    table = find_table(at, "स्तंभ")
    assert "उपयोगकर्ता तत्परता" in set(table["स्तंभ"])
    assert any("तमिलनाडु" in label for label in labels)  # the neighbour above, in Devanagari


def test_language_switch_in_the_sidebar_translates_the_page(app) -> None:
    at = app()  # the overview is the default page; the sidebar is only complete there in AppTest
    assert at.title[0].value == "Where BIHAR stands"
    at.selectbox(key="lang").set_value("hi").run()
    assert not at.exception
    assert at.title[0].value == "बिहार कहाँ खड़ा है"
    assert at.selectbox(key="overview_category").value == "C"


def test_ranking_chart_highlights_the_focus_state() -> None:
    import pandas as pd

    from app_ui.charts import FOCUS_COLOUR, PUBLISHED_COLOUR, ranking_chart

    frame = pd.DataFrame(
        {
            "state": ["TAMIL NADU", "BIHAR", "WEST BENGAL"],
            "published_score": [40.39, 39.09, 38.06],
            "score": [40.39, 41.00, 38.06],
            "rank": [2, 1, 3],
        }
    ).sort_values("rank")
    single = ranking_chart(frame, "BIHAR", title="T", score_title="S", focus_label="Bihar")
    spec = single.to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["label"] for r in rows] == ["1. BIHAR", "2. TAMIL NADU", "3. WEST BENGAL"]
    assert rows[0]["series"] == "Bihar"
    assert rows[0]["value_text"] == "41.00"
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert colour["range"][0] == FOCUS_COLOUR and colour["domain"][0] == "Bihar"

    both = ranking_chart(
        frame,
        "BIHAR",
        title="T",
        score_title="S",
        focus_label="Bihar",
        published_label="Published",
        simulated_label="Simulated",
    ).to_dict()
    rows = next(iter(both["datasets"].values()))
    assert len(rows) == 6
    published = [r for r in rows if r["series"] == "Published"]
    assert [r["value"] for r in published] == [39.09, 40.39, 38.06]
    scale = both["layer"][0]["encoding"]["color"]["scale"]
    assert scale["range"][0] == PUBLISHED_COLOUR


def test_overview_ranking_table_is_drawn_only_while_open(page) -> None:
    """A closed expander costs no data grid (the browser's dearest element after a chart)."""
    closed = page("overview")
    assert len(closed.dataframe) == 0
    assert len(closed.table) == 1  # the KPI table (a plain table: it prints whole on A4)
    opened = page("overview", **OPEN_TABLE)
    assert len(opened.dataframe) == 1
    assert list(opened.dataframe[0].value.columns) == ["Rank", "State", "Score"]
