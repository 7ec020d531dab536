"""Which collection year a return's files hold, and how we know: the one home for that question.

A collection year is named by the day its return ends: 2026 is 2025/26, the
year 1 April 2025 to 31 March 2026. The check, the loaders, ``run``, the
validator wrappers and the notebooks all ask this module; none decides a
year on its own.

Where the year comes from (``decide``), strongest first:

1. ``collection_year`` as the reader sets it (notebook parameter,
   ``-p collection_year=...`` or the settings file): always used. When the
   files' own content says another year, the note says so, once.
2. The files' own content, by the return's rule in ``RULES`` (one entry per
   return; each entry's reader states its rule in its docstring). A file
   cannot hold dates after the end of its own year, so content beats names.
3. Names: a year folder's name, else a year in the file names
   (``year_in_name``: "2026", "2025-26", "903_2025_26", "2024 to 2025").
   Used when the content says nothing; when names and content disagree the
   content is used and the note says so.

In-year extracts (a census made in July, a 903 export in November) belong to
the collection year whose end is still ahead: they are checked against that
year's rules, and the note says that rules about the whole year may flag what
is simply not finished yet. A census is in-year when its ReferenceDate is
before 31 March; a 903 when its latest episode date is before 1 March (a
whole year's return has episodes starting or ending in its last month).

Files written for another year's specification (a census recording
GenderCurrent, 903 codes a year no longer accepts) get a note naming it.

Adding a return (SEN2, say, whose census day is in January) is one more entry
in ``RULES``: a reader of its dated evidence, with its own ``year_of`` and
``in_year`` where the 31 March ones do not fit.

What lives where (every name below is importable from here)::

    datasets/year_notation.py  how a year is written and read: year_label,
                               year_in_name, stated_year, year_ending_31_march,
                               checked, parse_collection_year, PARAMETER (beside
                               this package, not in it: the readers need it, and
                               this package reads files with the readers)
    years/evidence.py          each return's dated evidence and its rule: RULES,
                               YearRule, Evidence, ssda903_evidence_from_episodes,
                               sen2_year, CIN_SEX_FROM
    years/answer.py            the answer: decide, Found, from_names,
                               from_content, common_year, misnamed, IN_YEAR_NOTE,
                               Span, ssda903_span (the days a run of 903 years covers)
    years/folders.py           which files under a return's folder are which
                               year's: return_years, ssda903_years,
                               cin_census_years, sen2_years, annex_a_files,
                               year_folders, files_by_year
"""

from d2i_examples.datasets.year_notation import (
    PARAMETER,
    checked,
    parse_collection_year,
    stated_year,
    year_ending_31_march,
    year_in_name,
    year_label,
)
from d2i_examples.datasets.years.answer import (
    IN_YEAR_NOTE,
    Found,
    Span,
    common_year,
    decide,
    from_content,
    from_names,
    misnamed,
    ssda903_span,
)
from d2i_examples.datasets.years.evidence import (
    CIN_SEX_FROM,
    RULES,
    Evidence,
    YearRule,
    sen2_year,
    ssda903_evidence_from_episodes,
)
from d2i_examples.datasets.years.folders import (
    annex_a_files,
    cin_census_years,
    files_by_year,
    return_years,
    sen2_years,
    ssda903_years,
    year_folders,
)

__all__ = [
    "CIN_SEX_FROM",
    "IN_YEAR_NOTE",
    "PARAMETER",
    "RULES",
    "Evidence",
    "Found",
    "Span",
    "YearRule",
    "annex_a_files",
    "checked",
    "cin_census_years",
    "common_year",
    "decide",
    "files_by_year",
    "from_content",
    "from_names",
    "misnamed",
    "parse_collection_year",
    "return_years",
    "sen2_year",
    "sen2_years",
    "ssda903_evidence_from_episodes",
    "ssda903_span",
    "ssda903_years",
    "stated_year",
    "year_ending_31_march",
    "year_folders",
    "year_in_name",
    "year_label",
]
