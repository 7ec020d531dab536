"""Synthetic data: simulate one local authority's children, then write each return.

``simulate(profile, seed, start_year, end_year)`` gives the children's journeys; the
writers turn the same journeys into the SSDA903 return (``write_ssda903``), the CIN census
and the Annex A workbook, so a child is the same child in every return.
"""

from d2i_examples.synth.profile import DEFAULT_PROFILE, LAProfile
from d2i_examples.synth.simulate import Journeys, simulate
from d2i_examples.synth.ssda903 import ssda903_tables, write_ssda903

__all__ = ["DEFAULT_PROFILE", "Journeys", "LAProfile", "simulate", "ssda903_tables",
           "write_ssda903"]
