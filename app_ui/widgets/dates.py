"""Date inputs whose calendar opens on the month the field shows.

Streamlit 1.67's date_input keeps the calendar's visible month as the front end's own state and
moves it only when the committed value changes: browse the calendar to another month, close it
without picking, and it reopens there ("31/01/2026" in the field, December on the calendar).
The page's own script (no data in it) brings every calendar that opens back to the field's month
and year, read from the field's segments, with the calendar's own previous/next buttons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

# The script's own element takes no room (a flex gap would push the page down).
CALENDAR_SYNC = """<style>
[data-testid="stLayoutWrapper"]:has(> [class*="_calendar_sync"]) { display: none; }
</style><script>
(() => {
  if (window.igotCalendarSync) return;
  window.igotCalendarSync = true;
  const part = (field, type) =>
    Number(field.querySelector(`[data-type="${type}"]`)?.getAttribute('aria-valuenow'));
  const sync = (dialog, field, left) => {
    const [wantYear, wantMonth] = [part(field, 'year'), part(field, 'month')];
    const [month, year] = dialog.querySelectorAll('select');
    // An empty or half-typed field, or a closed calendar: nothing to follow.
    if (!wantYear || !wantMonth || !month || !year || !document.body.contains(dialog)) return;
    const steps = wantYear * 12 + wantMonth - (Number(year.value) * 12 + Number(month.value));
    if (!left) return;
    if (steps) {
      dialog.querySelector(steps > 0 ? '[slot="next"]' : '[slot="previous"]')?.click();
    } else {
      // The right month; the keyboard's day may still be the browsed one (30 Nov -> 30 Jan).
      const cell = dialog.querySelector('[role="grid"] [tabindex="0"]');
      const [day, wantDay] = [Number(cell?.textContent), part(field, 'day')];
      if (!cell || !day || !wantDay || day === wantDay) return;
      const key = day < wantDay ? 'ArrowRight' : 'ArrowLeft';
      cell.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    }
    requestAnimationFrame(() => sync(dialog, field, left - 1));
  };
  new MutationObserver(() => {
    for (const dialog of document.querySelectorAll('[data-testid="stDateInputCalendar"]')) {
      if (dialog.dataset.igotSynced) continue;
      dialog.dataset.igotSynced = '1';
      const button = document.querySelector(`[aria-controls="${CSS.escape(dialog.id)}"]`);
      const field = button?.closest('[data-testid="stDateInput"]');
      if (field) requestAnimationFrame(() => sync(dialog, field, 240));
    }
  }).observe(document.body, { childList: true, subtree: true });
})();
</script>"""


def date_field(label: str, key: str, *, where: Any = None, **options: Any) -> dt.date | None:
    """st.date_input (keyed, its value seeded in the session by the caller) with the calendar
    kept on the field's month."""
    box = where if where is not None else st.container()
    with box:
        value = st.date_input(label, key=key, **options)
        with st.container(key=f"{key}_calendar_sync"):
            st.html(CALENDAR_SYNC, unsafe_allow_javascript=True)
    return value if isinstance(value, dt.date) else None
