"""The model file: which one is in use, download it as YAML, upload another (checked first),
go back to the bundled one."""

from __future__ import annotations

from typing import Protocol

import streamlit as st

from app_ui import auth, services, session
from app_ui.l10n import t
from app_ui.services.model_file import download_text
from app_ui.widgets.notices import show_notices
from scoring.config import ModelConfig, parse_config_text
from scoring.errors import ScoringInputError
from scoring.roles import Action

# Upload messages are shown beside the uploader, apart from the page's other messages.
PAGE = "weights.file"
ROUND = "w_upload_round"  # page-local: how many times the uploader was emptied


class Upload(Protocol):
    """What st.file_uploader gives: the file's name and its bytes."""

    name: str

    def getvalue(self) -> bytes: ...


def _clear_uploader() -> None:
    """A new, empty uploader: a refused file (or one replaced by the bundled model) must not
    stay named in it as if it were in use."""
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


def _upload_key() -> str:
    return f"w_upload_{st.session_state.get(ROUND, 0)}"


def accept_upload(upload: Upload) -> None:
    """Only a model that loads and scores the session's data, from a role that may change the
    weights (checked here, on the server), replaces the one in use; either way a message waits
    beside the uploader."""
    try:
        auth.require(Action.CHANGE_WEIGHTS)
    except auth.ActionRefused as exc:
        session.notify(PAGE, "error", str(exc))
        session.notify(PAGE, "warning", t("weights.upload_kept"))
        return
    raw = upload.getvalue()
    try:
        config = parse_config_text(raw, upload.name)
        services.plain_model(config)  # the KPIs' columns and the data must fit
        text = raw.decode("utf-8-sig")
    except ScoringInputError as exc:
        session.notify(PAGE, "error", t("common.input_error"), exc.problems)
        session.notify(PAGE, "warning", t("weights.upload_kept"))
        _clear_uploader()
        return
    session.set_config_yaml(text)
    session.set_weights(None)
    session.notify(PAGE, "success", t("weights.upload_ok", name=upload.name))


def _on_upload(key: str) -> None:
    upload = st.session_state.get(key)
    if upload is not None:  # None: the file was removed from the uploader, nothing changes
        accept_upload(upload)


def _on_reset_weights() -> None:
    session.set_weights(None)


def on_reset_model() -> None:
    session.set_weights(None)
    session.set_config_yaml(None)
    _clear_uploader()


def reset_model_button() -> None:
    st.button(t("weights.reset_model"), key="w_reset_model", on_click=on_reset_model)


def section(config: ModelConfig) -> None:
    """Download and upload of the model file (`config`: the one in use), and the buttons that
    go back to its weights and to the bundled model."""
    st.subheader(t("weights.file_heading"))
    uploaded = session.config_yaml() is not None
    st.caption(t("weights.source_uploaded") if uploaded else t("weights.source_bundled"))
    down_col, up_col = st.columns(2)
    down_col.download_button(
        t("weights.download"),
        data=download_text(config),
        file_name="kpis.yaml",
        mime="application/x-yaml",
        key="w_download",
        help=t("weights.download_help"),
    )
    with up_col.container(key="w_upload"):  # a fixed name around the uploader's changing key
        key = _upload_key()
        st.file_uploader(
            t("weights.upload"),
            type=["yaml", "yml"],
            key=key,
            on_change=_on_upload,
            args=(key,),
            help=t("weights.upload_help"),
            disabled=not auth.allowed(Action.CHANGE_WEIGHTS),
        )
        show_notices(PAGE)  # right under the uploader, where the eye is
    reset_col, model_col = st.columns(2)
    reset_col.button(t("weights.reset"), key="w_reset", on_click=_on_reset_weights)
    if uploaded:
        with model_col:
            reset_model_button()
