"""Read SSDA903, CIN census, Annex A and SEN2 files into tidy pandas frames.

    read_ssda903(folder)      one year's 903 tables  -> {"header": ..., "episodes": ...}
    read_cin_census(path)     a CIN census XML file  -> {"Header": ..., "CINdetails": ...}
    read_annex_a(path)        an Annex A workbook    -> {"list_1": ..., "list_11": ...}
    read_sen2(path)           a SEN2 XML file        -> {"person": ..., "requests": ...}
    load_sample(return_name)  the project's synthetic sample of one return
    load_population(data_dir, path)
                              the child population by ethnicity (disproportionality)
    published.load_published(data_dir)
                              the DfE's published tables (Explore Education
                              Statistics CSVs) in the folder's published/, or the sample's
    load(return_name, data_dir, year=, settings=)
                              what every worked example calls: the sample when
                              data_dir is None, else the reader's own folder
                              (see datasets.load for the notebook contract)
    years.decide(return_name, path, asked)
                              which collection year files hold, how we know, and
                              a note when sources disagree or it is an in-year extract

Every problem a reader's files can cause raises d2i_examples.DataError, whose
message names the file, column, what was expected, what was found and what to do.
The loaders only read: nothing in the reader's folders is changed.
"""

from d2i_examples.datasets.annex_a import read_annex_a
from d2i_examples.datasets.cin_census import read_cin_census
from d2i_examples.datasets.load import LocalDataWarning, data_path, load
from d2i_examples.datasets.population import load_population, read_population
from d2i_examples.datasets.samples import (
    SAMPLE_LAYOUT,
    SAMPLE_SETS,
    load_sample,
    sample_path,
    sample_root,
    sample_years,
)
from d2i_examples.datasets.sen2 import read_sen2
from d2i_examples.datasets.ssda903 import read_ssda903
from d2i_examples.datasets.year_notation import parse_collection_year

__all__ = [
    "SAMPLE_LAYOUT",
    "SAMPLE_SETS",
    "LocalDataWarning",
    "data_path",
    "load",
    "load_population",
    "load_sample",
    "parse_collection_year",
    "read_annex_a",
    "read_cin_census",
    "read_population",
    "read_sen2",
    "read_ssda903",
    "sample_path",
    "sample_root",
    "sample_years",
]
