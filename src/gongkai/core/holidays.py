"""The statutory public holidays known by rule, for the years no notice covers yet.

《全国年节及纪念日放假办法》第二条 fixes the holidays of all citizens (as amended by 国务院令
第795号 of 2024-11-10, in force from 2025-01-01):

- 元旦，放假1天（1月1日）；
- 春节，放假4天（农历除夕、正月初一至初三）；
- 清明节，放假1天（农历清明当日）；
- 劳动节，放假2天（5月1日、2日）；
- 端午节，放假1天（农历端午当日）；
- 中秋节，放假1天（农历中秋当日）；
- 国庆节，放假3天（10月1日至3日）。

Before 2025 (国务院令第644号, 2014–2024) 春节 was 正月初一至初三 and 劳动节 5月1日 only; before
2014 (国务院令第513号, 2008–2013) 春节 was 除夕、正月初一、初二.

What the rules do not fix is left out on purpose: the make-up working days (调休上班) and the
bridging days off around a holiday, which only the State Council's yearly notice decides,
and the weekday given in lieu of a holiday that falls on a weekend (第六条 says one is given,
not which one). Leaving them out keeps a provisional deadline on the early side for the
holidays, but a make-up Saturday can still move the real deadline earlier — hence
“provisional” (暂定) wherever such a date is shown.

Lunar dates (春节, 端午, 中秋) and the solar term 清明 come from ``lunar_python`` (MIT), which
computes them astronomically.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

#: The first year these rules are implemented for (国务院令第513号).
FIRST_RULE_YEAR = 2008


class HolidayRuleError(ValueError):
    """A year the statutory holiday rules are not implemented for."""


def _lunar(year: int, month: int, day: int) -> date:
    """The Gregorian date of ``day`` of lunar ``month`` of the lunar year starting in ``year``."""
    from lunar_python import Lunar

    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    """The day of the solar term 清明 (around 4–5 April) in ``year``."""
    from lunar_python import Solar

    term = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    return date(term.getYear(), term.getMonth(), term.getDay())


@cache
def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory days off in ``year`` by 《全国年节及纪念日放假办法》, each with its name.

    Only the days the rules fix (see the module docstring); 除夕 of the Spring Festival of
    ``year + 1`` never falls in ``year``, while 除夕 of ``year``'s own festival is the day
    before 正月初一.
    """
    if year < FIRST_RULE_YEAR:
        raise HolidayRuleError(
            f"{year} 年的法定节假日规则未实现（仅支持 {FIRST_RULE_YEAR} 年以后）"
        )
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    new_year = _lunar(year, 1, 1)
    if year >= 2025:
        spring = [new_year - timedelta(days=1), *(new_year + timedelta(days=i) for i in range(3))]
    elif year >= 2014:
        spring = [new_year + timedelta(days=i) for i in range(3)]
    else:
        spring = [new_year - timedelta(days=1), new_year, new_year + timedelta(days=1)]
    for d in spring:
        days[d] = "春节"
    days[_qingming(year)] = "清明节"
    days[date(year, 5, 1)] = "劳动节"
    if year >= 2025:
        days[date(year, 5, 2)] = "劳动节"
    days[_lunar(year, 5, 5)] = "端午节"
    days[_lunar(year, 8, 15)] = "中秋节"
    for i in (1, 2, 3):
        days[date(year, 10, i)] = "国庆节"
    return dict(sorted(days.items()))
