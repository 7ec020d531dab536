"""Unique Pupil Numbers (UPN): 13 characters, a check letter then 12 digits (the DfE's
*Unique pupil numbers (UPN)* guidance): the 3-digit LA number, a 4-digit establishment
number, the 2-digit year of allocation and a 3-digit serial. The check letter is
``CHECK_LETTERS[sum(digit * weight) % 23]``, the 12 digits weighted 2 to 13.
"""

from __future__ import annotations

import re

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_SHAPE = re.compile(r"[A-Z]\d{12}")
#: A UPN as the DfE allocates it: a check letter (never I, O or S) and 12 digits.
WELL_FORMED_UPN = re.compile(r"^[A-HJ-NP-RT-Z]\d{12}$")


def check_letter(digits: str) -> str:
    """The check letter of a UPN's 12 digits."""
    return CHECK_LETTERS[sum(int(ch) * w for ch, w in zip(digits, range(2, 14))) % 23]


def is_valid_upn(upn: object) -> bool:
    """True for a 13-character UPN whose check letter fits its digits."""
    if not isinstance(upn, str) or not _SHAPE.fullmatch(upn.strip().upper()):
        return False
    upn = upn.strip().upper()
    return upn[0] == check_letter(upn[1:])
