"""A percentage printed in the narrative against the ratio of two printed figures, within the
figures' own rounding: the rule the shares, completion rates and year-over-year percentages of
``shares`` and ``changes`` share."""
from __future__ import annotations

from decimal import Decimal, ROUND_HALF_UP

from ..base import rounding_tolerance


def percent_status(printed: Decimal, lo: Decimal, mid: Decimal, hi: Decimal) -> str:
    """A printed percentage against the ratio of two printed figures: [lo, hi] is the ratio's
    range over the figures' own rounding (half a unit of each one's last printed digit), mid the
    ratio of the figures as printed. pass: ``mid`` rounds to the printed value; rounding: the
    printed value is less than one unit of its last digit from that range — the ratio of the
    unrounded figures rounded, or rounded down or up instead of to the nearest (江苏检察院 2019
    p. 25: 2228.78 ÷ 21940.96 = 10.158%, printed 10.15%; p. 26: shares printed 65.56 + 17.94 +
    16.5 = 100% where 15844.04 ÷ 24169.74 = 65.554%); fail: a unit or more away (10.06% for 10.09%)."""
    e = printed.as_tuple().exponent
    q = Decimal(1).scaleb(e if isinstance(e, int) else 0)
    if mid.quantize(q, rounding=ROUND_HALF_UP) == printed:
        return "pass"
    if lo - q < printed < hi + q:
        return "rounding"
    return "fail"


def rounding_note(status: str) -> str:
    """What a message adds for a percentage within the rounding of its figures."""
    return "（与计算值相差不到末位一个单位，属舍入差异）" if status == "rounding" else ""


def ratio_range(part: Decimal, whole: Decimal, hp: Decimal, hw: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """part ÷ whole in per cent: (lowest, as printed, highest) with the part and the whole each
    off by up to ``hp`` and ``hw``."""
    mid = part / whole * 100
    a = (part - hp) / (whole + hw) * 100
    b = (part + hp) / max(whole - hw, Decimal("1e-9")) * 100
    return min(a, b), mid, max(a, b)


def half_unit(v: Decimal) -> Decimal:
    """Half a unit of the last printed digit of ``v``."""
    return rounding_tolerance(v, terms=1) / 2

