"""Windows, ages, month arithmetic and financial years (the shared conventions)."""

import pandas as pd
import pytest

from d2i_examples.errors import DataError
from d2i_examples.indicators.periods import (
    add_months,
    age_in_years,
    as_date,
    financial_year,
    in_window,
    window_start,
)
from tests.annex_a_builders import uk_dates


def test_as_date_reads_uk_and_iso_text():
    # 01/04/2025 is 1 April (UK order), not 4 January.
    assert as_date("01/04/2025") == pd.Timestamp("2025-04-01")
    assert as_date("2025-04-01") == pd.Timestamp("2025-04-01")
    assert as_date(pd.Timestamp("2025-04-01 15:30")) == pd.Timestamp("2025-04-01")
    with pytest.raises(DataError):
        as_date(None)


def test_windows():
    assert window_start("31/03/2025", 12) == pd.Timestamp("2024-04-01")
    assert window_start("31/03/2025", 6) == pd.Timestamp("2024-10-01")
    # 29/02/2024 - 12 months = 28/02/2023, so the window starts 01/03/2023.
    assert window_start("29/02/2024", 12) == pd.Timestamp("2023-03-01")
    inside = in_window(uk_dates("31/03/2024", "01/04/2024", "31/03/2025", "01/04/2025", None),
                       "01/04/2024", "31/03/2025")
    assert inside.tolist() == [False, True, True, False, False]


def test_add_months_clips_to_month_end():
    out = add_months(uk_dates("31/08/2024", "29/02/2024", None), 6)
    assert out.tolist()[:2] == list(uk_dates("28/02/2025", "29/08/2024"))
    assert pd.isna(out.iloc[2])


def test_ages_and_leap_day_birthdays():
    dob = uk_dates("29/02/2008", "29/02/2008", "01/04/2009", "31/03/2009", None)
    # Born 29/02/2008: still 16 on 28/02/2025, 17 on 01/03/2025.
    assert age_in_years(dob, "28/02/2025").tolist()[:2] == [16, 16]
    assert age_in_years(dob, "01/03/2025").tolist()[:2] == [17, 17]
    # On 31/03/2025: 15 the day before the 16th birthday, 16 on the birthday, unknown if no DOB.
    ages = age_in_years(dob, "31/03/2025")
    assert ages.tolist()[2:4] == [15, 16] and pd.isna(ages.iloc[4])
    # On the 29 February of a leap year: 16.
    assert age_in_years(dob[:1], "29/02/2024").tolist() == [16]


def test_financial_years():
    years = financial_year(uk_dates("31/03/2024", "01/04/2024", "01/05/1999", None))
    assert years.tolist()[:3] == ["2023-24", "2024-25", "1999-00"]
    assert pd.isna(years.iloc[3])
