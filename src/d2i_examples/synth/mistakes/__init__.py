"""Planted mistakes: realistic errors put into the synthetic returns, with a log of each.

One module per return, each mistake beside its catalogue entry (rule, table, column, what
was done) in the decorator that registers it:

- ``ssda903_header``: SSDA903 mistakes in who the child is (header, UASC, missing DOB);
- ``ssda903_care``: SSDA903 mistakes in the child's care (episodes, reviews, missing
  spells, OC2, OC3, social workers, previous permanence);
- ``cin_census``: CIN census mistakes, planted in the census XML;
- ``sen2``: the SEN2's mistakes (:func:`plant_sen2_errors`), logged apart in
  ``planted_errors_sen2.csv``;

and what they share:

- ``registry``: what a mistake is (:class:`Mistake`, :class:`Planting`), the decorator the
  modules register with, :data:`CATALOGUE` (its order decides, with the seed, which
  child gets which mistake) and :func:`catalogue`;
- ``ssda903_tables``: the SSDA903 tables while mistakes are planted in them;
- ``planting``: :func:`inject_errors`, the entry point for the SSDA903 and CIN census,
  its log (:data:`LOG_COLUMNS`, :class:`Planted`), the extract-level faults
  (:data:`EXTRACT_FAULTS`) and the muddled records (:data:`MUDDLED_RECORDS`).

What the validators themselves get wrong on clean data is not here but in
``d2i_examples.tools.known_faults``.
"""

from d2i_examples.synth.mistakes.planting import (
    EXTRACT_FAULTS,
    LOG_COLUMNS,
    MUDDLED_RECORDS,
    Planted,
    inject_errors,
)
from d2i_examples.synth.mistakes.registry import (
    CATALOGUE,
    CIN,
    MODULES,
    SSDA903,
    Mistake,
    Planting,
    catalogue,
)
from d2i_examples.synth.mistakes.sen2 import FILE_NAME as SEN2_ERRORS_FILE
from d2i_examples.synth.mistakes.sen2 import LOG_COLUMNS as SEN2_LOG_COLUMNS
from d2i_examples.synth.mistakes.sen2 import plant_sen2_errors

__all__ = [
    "CATALOGUE",
    "CIN",
    "EXTRACT_FAULTS",
    "LOG_COLUMNS",
    "MODULES",
    "MUDDLED_RECORDS",
    "SEN2_ERRORS_FILE",
    "SEN2_LOG_COLUMNS",
    "SSDA903",
    "Mistake",
    "Planted",
    "Planting",
    "catalogue",
    "inject_errors",
    "plant_sen2_errors",
]
