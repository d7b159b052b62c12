"""Departments: every department and MDO with its ratios, searchable, sortable, with drill-down."""

from __future__ import annotations

import streamlit as st

from app_ui import services
from app_ui.l10n import fmt_num, state_name, t
from app_ui.text import plain
from app_ui.views import dates
from app_ui.views import departments as view
from app_ui.widgets.problems import show_problems
from scoring import departments
from scoring.errors import ScoringInputError

try:
    model = services.current_model()
except ScoringInputError as error:
    show_problems(error.problems)
    st.stop()

rows = model.departments
st.title(t("departments.title", state=plain(state_name(model.focus_state))))
st.caption(t("departments.intro"))
dates.show("departments")
view.totals(departments.totals(rows))

search_col, mode_col = st.columns([3, 2], vertical_alignment="bottom")
query = search_col.text_input(
    t("departments.search"), key="dept_search", placeholder=t("departments.search_placeholder")
)
# A toggle rather than a radio with translated option labels: those lose their selection in the
# browser when the language changes.
by_mdo = mode_col.toggle(t("departments.view_mdos"), key="dept_show_mdos")
found = departments.find_units(rows, query or "", whole_departments=not by_mdo)
if found.empty:
    st.warning(t("departments.no_match", query=plain((query or "").strip())))
elif by_mdo:
    view.table(departments.mdo_table(found), ("department", "mdo"), key="dept_mdo_table")
else:
    view.table(departments.department_table(found), ("department",), key="dept_table")

st.subheader(t("departments.chart_heading"))
count = rows["department"].nunique()
if count:
    st.session_state.setdefault("dept_top_n", min(10, count))
    top_n = st.slider(
        t("departments.top_n"), min_value=1, max_value=max(count, 2), key="dept_top_n", width=300
    )
    view.headroom(departments.headroom_leaders(rows, top_n))

st.subheader(t("departments.drill_heading"))
names = departments.department_names(rows)
if st.session_state.get("dept_drill") not in names:
    st.session_state["dept_drill"] = None
chosen = st.selectbox(
    t("departments.drill_select"),
    names,
    placeholder=t("departments.drill_none"),
    key="dept_drill",
)
if chosen:
    mdos = departments.department_mdos(rows, chosen)
    st.caption(t("departments.drill_caption", mdos=fmt_num(len(mdos)), department=plain(chosen)))
    view.table(mdos, ("mdo",), key="dept_drill_table")

rest = departments.remainder(rows)
if rest is not None:
    view.remainder_note(rest)
