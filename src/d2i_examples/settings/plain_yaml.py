"""YAML as readers write settings: only true/false are booleans, and dates stay text.

PyYAML's defaults (YAML 1.1) turn Yes/No/On/Off into booleans and 2025-12-31
into a date object. In a code mapping ("Yes" -> "Y") or a notebook parameter
(injected as a Python literal) both are wrong, so every YAML the project reads
from a reader goes through :func:`load`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (true/false only) and no implicit dates."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load(text: str) -> Any:
    """Parse ``text``; raises yaml.YAMLError when it is not valid YAML."""
    return yaml.load(text, Loader=_Loader)
