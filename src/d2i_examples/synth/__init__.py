"""Synthetic data: simulate one local authority's children, then write each return.

``write_dataset(folder, profile, seed, collection_year, ...)`` simulates once and writes
the SSDA903 return (this year's and last year's), the CIN census, the Annex A workbook and
the child population by ethnicity, laid out as the project's sample data
(``synth.dataset``). Underneath, ``simulate(profile, seed, start_year, end_year)`` gives
the children's journeys and the writers (``write_ssda903``, ``synth.cin_census``,
``synth.annex_a``) turn the same journeys into each return, so a child is the same child
in every return.
"""

from d2i_examples.synth.dataset import write_dataset
from d2i_examples.synth.profile import DEFAULT_PROFILE, LAProfile, population_by_ethnicity
from d2i_examples.synth.simulate import Journeys, simulate
from d2i_examples.synth.ssda903 import ssda903_tables, write_ssda903

__all__ = ["DEFAULT_PROFILE", "Journeys", "LAProfile", "population_by_ethnicity", "simulate",
           "ssda903_tables", "write_dataset", "write_ssda903"]
