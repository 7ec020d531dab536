"""d2i_examples.tools.forecast_demand runs Social Finance's cs_demand_model (and demand_model)."""

import math
import shutil
from io import StringIO
from pathlib import Path

import cs_demand_model_samples
import numpy as np
import pandas as pd
import pytest
from cs_demand_model import (
    Config,
    DemandModellingDataContainer,
    ModelPredictor,
    PopulationStats,
    fs_datastore,
)

from d2i_examples.errors import DataError
from d2i_examples.tools import WEEKS_PER_YEAR, cost_projection, forecast_demand
from d2i_examples.tools.demand_model import GROUPINGS, propagated_variance

SAMPLE = Path(cs_demand_model_samples.__file__).parent / "combined"  # 2017-header.csv, ...
REFERENCE = ("01/07/2019", "31/03/2020")
PLACEMENTS = ["FOSTERING", "RESIDENTIAL", "SUPPORTED", "OTHER"]

# A tiny LA over two 903 years (ending March 2024 and March 2025). On 31/03/2025 five
# children are looked after; the model bins a child by age at the start of the episode.
HEADERS = {
    2024: """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
SYN101,M,01/01/2012,WBRI,UN2,,
SYN102,F,15/05/2008,WBRI,UN2,0,
SYN104,M,01/07/2015,WBRI,UN2,,
""",
    2025: """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
SYN101,M,01/01/2012,WBRI,UN2,,
SYN102,F,15/05/2008,WBRI,UN2,0,
SYN103,F,20/03/2022,WBRI,UN1,,
SYN104,M,01/07/2015,WBRI,UN2,,
SYN105,M,01/01/2019,WBRI,UN1,,
SYN106,F,10/10/2010,WBRI,UN2,0,
""",
}
EPISODES = {
    2024: """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
SYN101,01/06/2023,S,C2,N1,U4,PR1,,,,,,
SYN102,10/02/2024,S,V2,N4,R1,PR3,,,,,,
SYN104,01/04/2023,S,C2,N1,K2,PR3,,,,,,
""",
    2025: """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
SYN101,01/06/2023,S,C2,N1,U4,PR1,,,,,,
SYN102,10/02/2024,S,V2,N4,R1,PR3,01/09/2024,X1,,,,
SYN102,01/09/2024,P,V2,N4,H5,PR4,,,,,,
SYN103,05/01/2025,S,C1,N1,U1,PR1,,,,,,
SYN104,01/04/2023,S,C2,N1,K2,PR3,15/03/2025,E4A,,,,
SYN105,01/10/2024,S,C2,N2,Z1,PR0,,,,,,
SYN106,01/05/2024,S,C2,N5,R1,PR3,,,,,,
""",
}
ON_31_MARCH_2025 = {
    ("FOSTERING", "10 to 16"): 1,  # SYN101, U4, aged 11 at the start
    ("SUPPORTED", "16 to 18+"): 1,  # SYN102, H5 after R1
    ("FOSTERING", "1 to 5"): 1,  # SYN103, U1
    ("OTHER", "5 to 10"): 1,  # SYN105, Z1
    ("RESIDENTIAL", "10 to 16"): 1,  # SYN106, R1 (SYN104 left care on 15/03/2025)
}
TINY_REFERENCE = ("01/04/2024", "31/03/2025")


def tiny_frames(parse_dates=False):
    frames = {}
    for year, header_text in HEADERS.items():
        header = pd.read_csv(StringIO(header_text), dtype=str)
        episodes = pd.read_csv(StringIO(EPISODES[year]), dtype=str)
        if parse_dates:
            header["DOB"] = pd.to_datetime(header["DOB"], format="%d/%m/%Y")
            for column in ("DECOM", "DEC"):
                episodes[column] = pd.to_datetime(episodes[column], format="%d/%m/%Y")
        frames[year] = {"header": header, "episodes": episodes}
    return frames


def write_years(folder, headers=HEADERS, episodes=EPISODES):
    for year in headers:
        (folder / str(year)).mkdir(parents=True)
        (folder / str(year) / "header.csv").write_text(headers[year])
        (folder / str(year) / "episodes.csv").write_text(episodes[year])
    return folder


@pytest.fixture(scope="module")
def base():
    return forecast_demand(SAMPLE, *REFERENCE, forecast_days=730, step_days=7)


@pytest.fixture(scope="module")
def by_type():
    return forecast_demand(SAMPLE, *REFERENCE, forecast_days=730, step_days=7, by="placement_type")


def totals(forecast, column="children"):
    return forecast.groupby("date")[column].sum()


def test_sample_forecast_has_tidy_columns_and_sensible_totals(base):
    assert list(base.columns) == ["date", *GROUPINGS, "children", "lower", "upper", "kind"]
    assert set(base["placement_type"]) == set(PLACEMENTS)
    assert base["age_band"].unique().tolist() == [
        "Birth to 1",
        "1 to 5",
        "5 to 10",
        "10 to 16",
        "16 to 18+",
    ]
    dates = base["date"].drop_duplicates()
    assert dates.iloc[0] == pd.Timestamp("2020-03-31") and len(dates) == 1 + math.ceil(730 / 7)
    assert (dates.diff().dropna() == pd.Timedelta(days=7)).all()
    assert (base["children"] >= 0).all()
    total = totals(base)
    assert (total > 0).all()
    # the sample is a shrinking synthetic cohort: fewer start than leave, so the total falls
    assert total.iloc[0] > total.iloc[-1] > total.iloc[0] / 10
    assert (base["lower"] <= base["children"] + 1e-9).all()
    assert (base["children"] <= base["upper"] + 1e-9).all()


def test_day_zero_is_the_observed_population_counted_by_hand(tmp_path):
    forecast = forecast_demand(write_years(tmp_path), *TINY_REFERENCE, forecast_days=28)
    first = forecast[forecast["date"] == pd.Timestamp("2025-03-31")]
    counted = first[first["children"] > 0].set_index(["placement_type", "age_band"])["children"]
    assert counted.to_dict() == ON_31_MARCH_2025
    assert (first["lower"] == first["children"]).all() and (
        first["upper"] == first["children"]
    ).all()


def test_year_folders_frames_and_named_files_give_the_same_forecast(tmp_path):
    folders = forecast_demand(write_years(tmp_path / "years"), *TINY_REFERENCE, forecast_days=56)
    frames = forecast_demand(tiny_frames(parse_dates=True), *TINY_REFERENCE, forecast_days=56)
    flat = tmp_path / "flat"
    flat.mkdir()
    for year, header_text in HEADERS.items():
        (flat / f"903_{year}_header.csv").write_text(header_text)
        (flat / f"903_{year}_episodes.csv").write_text(EPISODES[year])
    (flat / "903_2025_oc3.csv").write_text("")  # other tables (even empty ones) are ignored
    named = forecast_demand(flat, *TINY_REFERENCE, forecast_days=56)
    pd.testing.assert_frame_equal(folders, frames)
    pd.testing.assert_frame_equal(folders, named)


def test_scenario_with_fewer_moves_into_residential_lowers_residential(by_type):
    fewer = forecast_demand(
        SAMPLE, *REFERENCE, by="placement_type", scale_moves_into={"RESIDENTIAL": 0.5}
    )
    base_res = by_type[by_type["placement_type"] == "RESIDENTIAL"].set_index("date")["children"]
    fewer_res = fewer[fewer["placement_type"] == "RESIDENTIAL"].set_index("date")["children"]
    assert fewer_res.iloc[0] == base_res.iloc[0]
    assert fewer_res.iloc[-1] < base_res.iloc[-1] * 0.9
    assert (fewer_res <= base_res + 1e-9).all()
    base_fos = by_type[by_type["placement_type"] == "FOSTERING"]["children"].iloc[-1]
    assert fewer[fewer["placement_type"] == "FOSTERING"]["children"].iloc[-1] > base_fos


def test_scenario_factor_one_changes_nothing(by_type):
    # a partial rate_adjustment would turn the model's other rates into NaN (see module notes)
    same = forecast_demand(SAMPLE, *REFERENCE, by="placement_type", scale_moves_into={"OTHER": 1})
    pd.testing.assert_frame_equal(same, by_type)


def test_bands_widen_and_group_totals_are_consistent(base, by_type):
    width = (by_type["upper"] - by_type["lower"]).groupby(by_type["date"]).sum()
    assert width.iloc[0] == 0 and width.iloc[-1] > width.iloc[1] > 0
    # the by-type forecast is the by-type-and-age forecast summed
    summed = base.groupby(["date", "placement_type"], sort=False)["children"].sum()
    np.testing.assert_allclose(summed.to_numpy(), by_type["children"].to_numpy())


@pytest.fixture(scope="module")
def sample_predictor():
    config = Config()
    container = DemandModellingDataContainer(fs_datastore(str(SAMPLE)), config)
    stats = PopulationStats(container.enriched_view, config)
    start, end = (pd.to_datetime(d, format="%d/%m/%Y") for d in REFERENCE)
    return ModelPredictor.from_model(stats, start, end), config, stats


def test_the_tools_partial_rate_adjustment_trap_is_real(sample_predictor):
    # why forecast_demand passes scenario adjustments over the full index: in
    # cs-demand-model 0.5.1 a partial one, even of zero, blanks every other rate
    predictor, _, stats = sample_predictor
    one = predictor.transition_rates.iloc[[0]] * 0
    start, end = (pd.to_datetime(d, format="%d/%m/%Y") for d in REFERENCE)
    adjusted = ModelPredictor.from_model(stats, start, end, rate_adjustment=one)
    assert adjusted.transition_rates.isna().sum() == len(predictor.transition_rates) - 1


def test_multinomial_predictor_reproduces_the_forecast_and_first_day_variance(sample_predictor):
    from demand_model import MultinomialPredictor

    predictor, config, _ = sample_predictor
    multinomial = MultinomialPredictor(
        population=predictor.initial_population.copy(),
        transition_rates=predictor.transition_rates,
        transition_numbers=predictor.transition_numbers,
        start_date=predictor.date,
    )
    days = multinomial.predict(30, 1)
    ours = predictor.predict(30, 1)
    states = list(ours.columns)
    np.testing.assert_allclose(days.population[states].to_numpy(), ours.to_numpy(), atol=1e-9)
    # one state per (placement type, age band) group: our day-1 variance is the package's
    carried = propagated_variance(predictor, 1, 1, config, list(GROUPINGS))
    day1 = carried[carried["date"] == carried["date"].max()]
    brackets = {b.name: b.label for b in config.AgeBrackets}
    package = days.variance.iloc[0]
    for row in day1.itertuples():
        state = next(
            s
            for s in package.index
            if s and s[1] == row.placement_type and brackets[s[0]] == row.age_band
        )
        assert row.variance == pytest.approx(package[state], rel=1e-9, abs=1e-12)


def test_cost_projection_arithmetic_by_hand():
    forecast = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-04-01"] * 3 + ["2025-04-08"] * 3),
            "placement_type": ["FOSTERING", "FOSTERING", "RESIDENTIAL"] * 2,
            "age_band": ["5 to 10", "10 to 16", "10 to 16"] * 2,
            "children": [2.0, 1.0, 1.0, 2.0, 2.0, 0.5],
        }
    )
    costs = cost_projection(forecast, {"fostering": 500, "RESIDENTIAL": 5000, "OTHER": 0})
    assert costs[["placement_type", "children", "weekly_cost"]].values.tolist() == [
        ["FOSTERING", 3.0, 1500.0],
        ["RESIDENTIAL", 1.0, 5000.0],
        ["FOSTERING", 4.0, 2000.0],
        ["RESIDENTIAL", 0.5, 2500.0],
    ]
    assert costs["annual_cost"].iloc[0] == pytest.approx(1500 * 365.25 / 7)  # 78,267.86
    assert WEEKS_PER_YEAR == pytest.approx(52.1786, abs=1e-4)
    assert "weekly_cost_lower" not in costs  # ranges of age bands cannot simply be added


def test_cost_projection_carries_ranges_and_checks_costs(by_type):
    weekly = {"FOSTERING": 550, "RESIDENTIAL": 5500, "SUPPORTED": 1200, "OTHER": 900}
    costs = cost_projection(by_type, weekly)
    assert len(costs) == len(by_type)
    last = costs["date"] == costs["date"].max()
    supported = costs[last & (costs["placement_type"] == "SUPPORTED")].iloc[0]
    expected = by_type[
        (by_type["date"] == supported["date"]) & (by_type["placement_type"] == "SUPPORTED")
    ]
    assert supported["weekly_cost_upper"] == pytest.approx(expected["upper"].iloc[0] * 1200)
    assert supported["annual_cost_lower"] == pytest.approx(
        expected["lower"].iloc[0] * 1200 * WEEKS_PER_YEAR
    )
    with pytest.raises(DataError, match="do not match"):
        cost_projection(by_type, {"FOSTERING": 550})
    with pytest.raises(DataError, match="do not match"):
        cost_projection(by_type, weekly | {"RESIDENTAL": 1})
    with pytest.raises(DataError, match="numbers of pounds"):
        cost_projection(by_type, weekly | {"OTHER": "900"})


def test_history_comes_before_the_forecast(tmp_path):
    forecast = forecast_demand(
        write_years(tmp_path), *TINY_REFERENCE, forecast_days=28, by=None, include_history=True
    )
    observed = forecast[forecast["kind"] == "observed"]
    assert observed["date"].max() < pd.Timestamp("2025-03-31") <= forecast["date"].max()
    assert observed["lower"].isna().all()
    # 02/03/2025 (4 weeks before the reference end): SYN104 had not yet left care
    assert observed.set_index("date").loc["2025-03-03", "children"] == 6


def test_input_errors_are_data_errors(tmp_path):
    bad_date = {**EPISODES, 2025: EPISODES[2025].replace("05/01/2025", "2025-01-05")}
    with pytest.raises(DataError) as caught:
        forecast_demand(write_years(tmp_path / "a", episodes=bad_date), *TINY_REFERENCE)
    assert caught.value.column == "DECOM" and "line 5" in caught.value.found
    assert caught.value.file.endswith("episodes.csv")

    orphan = {**HEADERS, 2025: HEADERS[2025].replace("SYN106,F,10/10/2010,WBRI,UN2,0,\n", "")}
    with pytest.raises(DataError, match="no header row") as caught:
        forecast_demand(write_years(tmp_path / "b", headers=orphan), *TINY_REFERENCE)
    assert caught.value.found == "SYN106"

    gap = write_years(tmp_path / "c")
    (gap / "2025").rename(gap / "2026")
    with pytest.raises(DataError, match="not consecutive"):
        forecast_demand(gap, *TINY_REFERENCE)

    (tmp_path / "d" / "2025").mkdir(parents=True)
    (tmp_path / "d" / "2025" / "header.csv").write_text(HEADERS[2025])
    with pytest.raises(DataError, match="No SSDA903 episodes table found for 2025"):
        forecast_demand(tmp_path / "d", *TINY_REFERENCE)

    frames = tiny_frames()
    frames[2025]["episodes"] = frames[2025]["episodes"].drop(columns="PLACE")
    with pytest.raises(DataError) as caught:
        forecast_demand(frames, *TINY_REFERENCE)
    assert caught.value.column == "PLACE"


def test_settings_errors_are_data_errors(tmp_path):
    folder = write_years(tmp_path)
    with pytest.raises(DataError, match="inside the days your SSDA903 files cover"):
        forecast_demand(folder, "01/04/2024", "31/03/2026")
    with pytest.raises(DataError, match="not a date"):
        forecast_demand(folder, "2024/04/01", "31/03/2025")
    with pytest.raises(DataError, match="out of range"):
        forecast_demand(folder, *TINY_REFERENCE, step_days=0)
    with pytest.raises(DataError, match="Scenario factors"):
        forecast_demand(folder, *TINY_REFERENCE, scale_moves_into={"RESI": 0.5})
    with pytest.raises(DataError, match="Unknown breakdown"):
        forecast_demand(folder, *TINY_REFERENCE, by="ethnicity")


def test_year_folders_are_read_as_the_tools_own_fs_datastore_reads_them(tmp_path):
    for year in (2018, 2019):
        (tmp_path / str(year)).mkdir()
        for table in ("header", "episodes"):
            shutil.copy(SAMPLE / f"{year}-{table}.csv", tmp_path / str(year) / f"{table}.csv")
    # The sample leaves children open in 2018 who are absent from 2019; close them at the
    # end of 2018's year in the files, so both readers get the same, consistent history.
    first = pd.read_csv(tmp_path / "2018" / "episodes.csv", dtype=str, keep_default_na=False)
    later = set(pd.read_csv(tmp_path / "2019" / "episodes.csv", dtype=str)["CHILD"])
    first.loc[(first["DEC"] == "") & ~first["CHILD"].isin(later), "DEC"] = "31/03/2019"
    first.to_csv(tmp_path / "2018" / "episodes.csv", index=False)
    store = fs_datastore(str(tmp_path))
    names = sorted(f.name for f in store.files)
    assert names == ["2018/episodes.csv", "2018/header.csv", "2019/episodes.csv", "2019/header.csv"]
    start, end = pd.Timestamp("2019-04-01"), pd.Timestamp("2020-03-31")
    config = Config()
    stats = PopulationStats(DemandModellingDataContainer(store, config).enriched_view, config)
    direct = ModelPredictor.from_model(stats, start, end).predict(4, 7)
    in_care = [s for s in direct.columns if s and s[1] != "NOT_IN_CARE"]
    ours = forecast_demand(tmp_path, start, end, forecast_days=28, by=None, interval=None)
    np.testing.assert_allclose(ours["children"].iloc[1:], direct[in_care].sum(axis=1))


def test_by_date_keeps_the_same_placement_types_for_the_line_and_its_band():
    """A small placement type whose band's lower edge is zero on every day stays in the
    band (a chart draws each line's band from the same columns), and a type with no
    children on any day leaves line and band alike."""
    from d2i_examples.tools.demand_model import by_date

    days = pd.to_datetime(["2025-03-31", "2025-04-30"])
    forecast = pd.DataFrame({
        "date": list(days) * 3,
        "placement_type": ["FOSTERING"] * 2 + ["SUPPORTED"] * 2 + ["OTHER"] * 2,
        "children": [40.0, 41.0, 0.4, 0.6, 0.0, 0.0],
        "lower": [35.0, 34.0, 0.0, 0.0, 0.0, 0.0],
        "upper": [45.0, 48.0, 1.0, 2.0, 0.0, 0.0],
    })
    line = by_date(forecast, "placement_type")
    assert list(line.columns) == ["FOSTERING", "SUPPORTED"]
    for value in ("lower", "upper"):
        assert list(by_date(forecast, "placement_type", value=value).columns) == list(line.columns)
    assert by_date(forecast, "placement_type", value="lower")["SUPPORTED"].tolist() == [0.0, 0.0]


def test_a_child_absent_from_the_later_year_is_not_looked_after_on_its_31_march(tmp_path):
    # SYN107 is open on 31/03/2024 in the 2023/24 files but absent from 2024/25's: a 903
    # return lists every child looked after in its year, so SYN107 left care by then.
    headers = {**HEADERS, 2024: HEADERS[2024] + "SYN107,F,02/02/2014,WBRI,UN2,,\n"}
    episodes = {**EPISODES, 2024: EPISODES[2024] + "SYN107,01/05/2023,S,C2,N1,U6,PR1,,,,,,\n"}
    from d2i_examples.tools.demand_model.inputs import AbsentNextYear

    with pytest.warns(AbsentNextYear, match=r"1 child\(ren\) .* 31/03/2024 .* SYN107"):
        forecast = forecast_demand(write_years(tmp_path, headers, episodes), *TINY_REFERENCE,
                                   forecast_days=28)
    first = forecast[forecast["date"] == pd.Timestamp("2025-03-31")]
    counted = first[first["children"] > 0].set_index(["placement_type", "age_band"])["children"]
    assert counted.to_dict() == ON_31_MARCH_2025  # SYN107 is not among the five


def test_supported_accommodation_recoded_k3_stays_supported(tmp_path):
    # K3 replaced H5 for the same placement (spec.ssda903.PLACE_REPLACED_BY); the model's
    # settings list H5 and P2 only, so without the wrapper's recoding SYN102 would be OTHER.
    episodes = {**EPISODES, 2025: EPISODES[2025].replace(",P,V2,N4,H5,", ",P,V2,N4,K3,")}
    assert episodes[2025] != EPISODES[2025]
    forecast = forecast_demand(write_years(tmp_path, HEADERS, episodes), *TINY_REFERENCE,
                               forecast_days=28)
    first = forecast[forecast["date"] == pd.Timestamp("2025-03-31")]
    counted = first[first["children"] > 0].set_index(["placement_type", "age_band"])["children"]
    assert counted.to_dict() == ON_31_MARCH_2025  # SYN102 in SUPPORTED, as with H5
