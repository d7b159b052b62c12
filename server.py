"""The app as served: `streamlit run server.py` runs app.py behind Streamlit's st.App, whose
start-up hook loads the pages' modules in the background while the first browser is still
fetching the page (`streamlit run app.py` works too, without that head start)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st

from app_ui import warmup


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    warmup.start()  # in a thread: the server answers at once
    yield


app = st.App("app.py", lifespan=lifespan)
