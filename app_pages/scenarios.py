"""Scenarios: save (private or shared), reopen, rename, share, delete (with undo) and compare saved
scenarios; share links; briefings."""

from __future__ import annotations

import streamlit as st

from app_ui import links, services
from app_ui.l10n import t
from app_ui.services import saved
from app_ui.text import plain
from app_ui.views import briefing, dates
from app_ui.views import saved as saved_views
from app_ui.widgets import saved as saved_widgets
from app_ui.widgets.notices import show_notices
from app_ui.widgets.problems import show_problems
from scoring.errors import ScoringInputError

st.title(t("scenarios.title"))
st.caption(t("scenarios.intro"))
dates.show("scenarios")
if (aside := saved.recovered_from()) is not None:
    st.warning(plain(t("scenarios.recovered", file=aside.name)))
show_notices(saved_widgets.PAGE)
saved_widgets.undo_offer()
saved_widgets.save_form()
try:
    listing = saved.listing()
except ScoringInputError as exc:
    listing = saved.Listing((), ())
    show_problems(exc.problems, t("scenarios.list_failed"))
try:
    model = services.current_model()
except ScoringInputError as exc:
    show_problems(exc.problems)
    st.stop()
evaluated = [saved.evaluate(s) for s in listing.scenarios]
saved_views.table(evaluated, model, listing.unreadable)
saved_widgets.manage(evaluated)
saved_widgets.recently_deleted()
saved_views.comparison(evaluated, model)
st.subheader(t("scenarios.share_heading"))
links.share_box()
briefing.downloads()
