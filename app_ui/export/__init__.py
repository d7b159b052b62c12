"""Files made for a meeting: HTML briefing, plan tables, chart images (and their Chromium)."""
