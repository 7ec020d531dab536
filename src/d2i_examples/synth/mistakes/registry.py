"""What a planted mistake is, and the catalogue the modules of mistakes register into.

Each return's module (:data:`MODULES`) defines its mistake-planting functions, each under
the decorator that enters it in :data:`CATALOGUE`, so a mistake's rule, table, column and
plain-words description sit beside the code that plants it::

    mistake = mistakes_of(SSDA903)

    @mistake(rule="144", table="episodes", column="LS",
             text="Invalid legal status code 'C3' (care orders are C1 interim, C2 full).")
    def _legal_status(c: Ssda903Tables): ...

The order of :data:`CATALOGUE` is the order in which mistakes are planted, and so decides
which child the seed gives each one: the modules in :data:`MODULES` order, each module's
mistakes in the order they are defined there (never the order the modules happen to be
imported in). :class:`Targets` is the seeded choice of those children.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

SSDA903 = "SSDA903"
CIN = "CIN census"

#: The modules of mistakes, in the order their mistakes are planted.
MODULES = ("ssda903_header", "ssda903_care", "cin_census")


@dataclass(frozen=True)
class Planting:
    """The cell one planted mistake changed.

    ``row`` is the 0-based row of the SSDA903 table (as ``validate_ssda903`` reports it);
    ``cin_details`` the number of the child's CINdetails block, from 1 (as
    ``validate_cin_census`` reports ``CINdetailsID``), None for the child's identifiers or
    characteristics. ``also`` lists other cells changed to keep the mistake consistent.
    """

    child: str
    table: str
    column: str
    old: str
    new: str
    row: int | None = None
    cin_details: int | None = None
    also: str = ""


@dataclass(frozen=True)
class Mistake:
    """One kind of mistake: the rule it breaks, where, and how it is planted.

    ``plant(context)`` chooses a child among those the mistake suits (and that carry no
    mistake yet), with the context's seeded generator; changes the data in the context and
    returns a :class:`Planting`, or None if no child suits.
    """

    rule: str
    ret: str
    table: str
    column: str
    mistake: str
    plant: Callable[..., Planting | None]


class Targets:
    """Children already given a mistake, and the seeded choice of the next one.

    Normally a mistake goes to a child with no mistake yet. While ``only`` names a child,
    mistakes go to that child alone (the several mistakes of a muddled record); while
    ``survey`` is a set, choosing changes nothing: the children a mistake suits are added
    to it instead.
    """

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.used: set[str] = set()
        self.only: str | None = None
        self.survey: set[str] | None = None

    def free(self, children: pd.Series) -> pd.Series:
        """Per child: may the next mistake go to them?"""
        if self.only is not None:
            return children == self.only
        return ~children.isin(self.used)

    def pick(self, candidates: list):
        """One of ``candidates`` (rows or children, in a reproducible order), or None."""
        if not candidates:
            return None
        return candidates[int(self.rng.integers(len(candidates)))]

    def take(self, candidates: list, child: Callable):
        """Pick one of ``candidates`` and mark its child (``child(candidate)``) as used; in a
        survey, note every candidate's child and pick none."""
        if self.survey is not None:
            self.survey.update(child(x) for x in candidates)
            return None
        found = self.pick(candidates)
        if found is not None:
            self.used.add(child(found))
        return found


#: Every mistake :func:`~d2i_examples.synth.mistakes.inject_errors` can plant, in the order
#: it plants them (see the module docstring).
CATALOGUE: list[Mistake] = []
_REGISTERED: list[tuple[int, int, Mistake]] = []


def mistakes_of(ret: str) -> Callable[..., Callable]:
    """The decorator a module of ``ret``'s mistakes registers each of them with:
    ``@mistake(rule=..., table=..., column=..., text=...)`` above the function that plants
    it (``text`` says the mistake in plain words)."""

    def mistake(*, rule: str, table: str, column: str, text: str) -> Callable:
        def register(plant: Callable[..., Planting | None]) -> Callable[..., Planting | None]:
            module = plant.__module__.rpartition(".")[2]
            if module not in MODULES:
                raise ValueError(f"{plant.__module__} is not one of the MODULES of mistakes.")
            entry = Mistake(rule, ret, table, column, text, plant)
            _REGISTERED.append((MODULES.index(module), len(_REGISTERED), entry))
            _REGISTERED.sort(key=lambda r: r[:2])
            CATALOGUE[:] = [m for _, _, m in _REGISTERED]
            return plant

        return register

    return mistake


def catalogue() -> pd.DataFrame:
    """The mistakes :func:`~d2i_examples.synth.mistakes.inject_errors` can plant: rule,
    return, table, column, mistake."""
    return pd.DataFrame(
        [
            {
                "rule": m.rule,
                "return": m.ret,
                "table": m.table,
                "column": m.column,
                "mistake": m.mistake,
            }
            for m in CATALOGUE
        ]
    )
