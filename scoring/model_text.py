"""The model file as text: the same YAML with new KPI weights, its comments and layout kept."""

from __future__ import annotations

import io
from collections.abc import Mapping, MutableMapping

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from scoring.errors import ScoringInputError


def with_weights_text(text: str, weights: Mapping[str, float], source: str = "model") -> str:
    """`text` (a model file that loads) with each KPI's `weight` set from `weights` by id.

    Everything else, the explanatory comments above all, stays as written: a download of the
    model in use reads like the file it came from. KPIs missing from `weights` keep theirs.
    """
    yaml = YAML()  # round-trip mode: comments, key order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=4, offset=2)  # the bundled file's "  - id:" layout
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise ScoringInputError(f"not valid YAML ({exc})", source) from None
    kpis = data.get("kpis") if isinstance(data, Mapping) else None
    if not isinstance(kpis, list):
        raise ScoringInputError("no 'kpis' list", source)
    for kpi in kpis:
        if isinstance(kpi, MutableMapping) and kpi.get("id") in weights:
            value = float(weights[kpi["id"]])
            kpi["weight"] = int(value) if value.is_integer() else value
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
