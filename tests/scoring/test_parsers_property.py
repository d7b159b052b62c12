"""Property-based: whatever text arrives, every loader and parser either accepts it or raises
ScoringInputError with a one-line message; nothing else escapes."""

from __future__ import annotations

import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.cli import main as cli_main
from scoring.config import COLUMNS, parse_config_text
from scoring.data import parse_departments, parse_ranking, parse_totals, read_table
from scoring.errors import ScoringInputError

HEADER = "department,mdo," + ",".join(COLUMNS)
cells = st.one_of(
    st.integers(-10, 10**7).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=12),
    st.sampled_from(["", " ", "nan", "1e400", "-0", "१२३", "<b>x</b>", '"', "1,000"]),
)


def _one_line(exc: ScoringInputError) -> None:
    assert "\n" not in str(exc) and str(exc)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cells, min_size=10, max_size=10), min_size=1, max_size=5))
def test_department_rows(rows: list[list[str]]) -> None:
    text = (
        HEADER
        + "\n"
        + "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows)
    )
    try:
        table = parse_departments(read_table(text.encode("utf-8", "surrogatepass"), "d.csv"))
    except ScoringInputError as exc:
        _one_line(exc)
    except UnicodeEncodeError:
        pass  # a lone surrogate cannot be in a real file
    else:
        frame = table.frame
        assert (frame["active"] <= frame["onboarded"]).all()
        assert (frame["completions"] <= frame["enrolments"]).all()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_a_table(data: bytes) -> None:
    for parse in (parse_departments, parse_ranking, parse_totals):
        try:
            parse(read_table(data, "t.csv"))
        except ScoringInputError as exc:
            _one_line(exc)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=15), st.text(max_size=3), cells), max_size=6))
def test_ranking_rows(rows: list[tuple[str, str, str]]) -> None:
    out = io.StringIO()
    out.write("state,category,score\n")
    for state, category, score in rows:
        out.write(",".join('"' + c.replace('"', '""') + '"' for c in (state, category, score)))
        out.write("\n")
    try:
        parse_ranking(read_table(out.getvalue().encode("utf-8", "surrogatepass"), "r.csv"))
    except ScoringInputError as exc:
        _one_line(exc)
    except UnicodeEncodeError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_any_yaml(text: str | bytes) -> None:
    try:
        parse_config_text(text)
    except ScoringInputError as exc:
        _one_line(exc)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "rank",
                    "simulate",
                    "goal",
                    "--add",
                    "--reach",
                    "--rank",
                    "--beat",
                    "--format",
                    "json",
                    "csv",
                    "--config",
                ]
            ),
            st.text(max_size=20),
        ),
        max_size=6,
    )
)
def test_any_command_line(argv: list[str]) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli_main(argv)
        except SystemExit as exc:  # argparse: usage errors and --help
            code = int(exc.code or 0) if not isinstance(exc.code, str) else 2
    assert "Traceback" not in err.getvalue()
    if code != 0:
        assert len(err.getvalue().strip().splitlines()) <= 30  # usage text at most
