"""The benchmarking worked example, run by the runner with fewer neighbours."""

from __future__ import annotations

import pytest

from tests.test_notebooks_send import all_text, alts, execute

pytestmark = pytest.mark.slow


def test_benchmarking_with_two_neighbours_ranks_among_three(tmp_path):
    nb = execute("benchmarking", {"neighbours": ["SYN0001", "SYN0003"]}, tmp_path)
    text = all_text(nb)
    assert "Furthest from the neighbours:" in text
    assert "(England " in text
    charts = alts(nb)
    assert len(charts) == 1
    assert "highest of 3" in charts[0] and "highest of 6" not in charts[0]
