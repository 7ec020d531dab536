"""The locked environment: D2I's real tools import and run side by side."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from d2i_examples import paths


def _major_minor(name: str) -> tuple[int, int]:
    major, minor = version(name).split(".")[:2]
    return int(major), int(minor)


def test_pandas_and_numpy_are_the_versions_the_tools_pin():
    assert _major_minor("pandas") < (2, 0)
    assert _major_minor("numpy") < (1, 25)


def test_rich_override_satisfies_the_validators_and_prpc_cli_still_works():
    assert _major_minor("rich") >= (13, 4)
    from click.testing import CliRunner
    from prpc_python import cli  # imports rich.print_json: the reason for the override

    result = CliRunner().invoke(cli.prpc, ["--help"])
    assert result.exit_code == 0, result.output


def test_ssda903_validator_loads_the_2025_26_rules():
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    registry = get_year_ruleset("2026")
    assert len(registry) > 250


def test_cin_validator_loads_the_2025_26_rules():
    from cin_validator.rules.ruleset_utils import get_year_ruleset

    assert len(get_year_ruleset("2026")) > 100


def test_demand_model_and_its_sample_are_installed():
    import cs_demand_model_samples
    from cs_demand_model import Config
    from demand_model.multinomial import MultinomialPredictor  # noqa: F401

    assert [b.label for b in Config().AgeBrackets]
    assert list(Path(cs_demand_model_samples.__path__[0]).glob("*/*header*.csv"))


def test_uv_lock_pins_the_override():
    lock = tomllib.loads((paths.ROOT / "uv.lock").read_text())
    rich = next(p for p in lock["package"] if p["name"] == "rich")
    assert int(rich["version"].split(".")[0]) >= 13
