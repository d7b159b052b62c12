"""Files made for a meeting: the HTML briefing, plan tables, chart images; the headless Chromium they use."""
