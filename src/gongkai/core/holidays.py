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

The dates of a year's notice, as an administrator types or copies them from the State
Council's notice, are read by :func:`parse_date_list`: one date or one run of dates per item
(``2025-01-28至2025-02-04``, ``1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）``), the
weekdays the notice names checked against the dates.
"""

from __future__ import annotations

import re
import unicodedata
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


# --- the dates of a notice as written -----------------------------------------------------

#: The longest run of days one item may give: the notices' longest runs are 8 or 9 days
#: (春节, 国庆节); a longer one is almost surely a mistyped month or year.
MAX_RUN_DAYS = 15

# After NFKC normalisation: full-width digits, brackets, commas, tildes and hyphens are ASCII.
_NOTE = r"(?:\s*\((?P<{p}n>[^()]*)\))?"  # （农历除夕、周二）
_FULL = r"(?P<{p}y>\d{{4}})[-/.](?P<{p}m>\d{{1,2}})[-/.](?P<{p}d>\d{{1,2}})"
_CHINESE = r"(?:(?P<{p}y>\d{{4}})年)?(?P<{p}m>\d{{1,2}})月(?P<{p}d>\d{{1,2}})[日号]"
#: The end of a run may leave out what it shares with the start: 2月6日至12日.
_CHINESE_END = r"(?:(?:(?P<{p}y>\d{{4}})年)?(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})[日号]"
_JOIN = r"(?:至|到|[-‐‑‒–—―−~〜]+)"
_ITEM = re.compile(
    rf"(?:{_FULL.format(p='a')}|{_CHINESE.format(p='b')}){_NOTE.format(p='s')}"
    rf"(?:\s*{_JOIN}\s*(?:{_FULL.format(p='c')}|{_CHINESE_END.format(p='d')}){_NOTE.format(p='e')})?"
)
_SEPARATORS = re.compile(r"[,、;\s]*")
_TOKEN = re.compile(r"(?:\([^()]*\)|[^,、;\s(])+")  # what an unreadable item shows
_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_WEEKDAYS = "一二三四五六日"
EXAMPLES = "2027-02-06、2027-02-06至2027-02-12 或 2027年2月6日至2月12日"


class DateListError(ValueError):
    """Dates that cannot be read; the message, in Chinese, names the line and the text."""


def _day(year: int, month: int, day: int, where: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateListError(f"{where}：{year}年{month}月{day}日不是有效日期") from None


def _check_weekday(day: date, note: str | None, where: str) -> None:
    """A note naming the weekday (the notices write “1月26日（周日）”) must be right."""
    named = _WEEKDAY.search(note or "")
    if named is None:
        return
    said = named.group(1).replace("天", "日")
    actual = _WEEKDAYS[day.weekday()]
    if said != actual:
        raise DateListError(
            f"{where}：{day.month}月{day.day}日注明“{named.group(0)}”，"
            f"但 {day} 是星期{actual}，请核对"
        )


def _run(found: re.Match[str], year: int | None, where: str) -> list[date]:
    """The days of one matched item: a date or a run ``start至end`` (both ends included)."""
    g, item = found.groupdict(), found.group(0)
    if g["ay"]:
        start = _day(int(g["ay"]), int(g["am"]), int(g["ad"]), where)
    else:
        if g["by"] is None and year is None:
            raise DateListError(f"{where}：“{item}”没有写年份")
        start = _day(int(g["by"] or year), int(g["bm"]), int(g["bd"]), where)
    _check_weekday(start, g["sn"], where)
    if g["cy"]:
        end = _day(int(g["cy"]), int(g["cm"]), int(g["cd"]), where)
    elif g["dd"]:
        month = int(g["dm"]) if g["dm"] else start.month
        end_year = int(g["dy"]) if g["dy"] else start.year
        end = _day(end_year, month, int(g["dd"]), where)
        if end < start and not g["dy"] and g["dm"]:  # 12月31日至1月2日: into the next year
            end = _day(start.year + 1, month, int(g["dd"]), where)
    else:
        return [start]
    _check_weekday(end, g["en"], where)
    if end < start:
        raise DateListError(f"{where}：“{item}”的结束日期 {end} 早于开始日期 {start}")
    days = (end - start).days + 1
    if days > MAX_RUN_DAYS:
        raise DateListError(
            f"{where}：“{item}”从 {start} 到 {end} 共 {days} 天，"
            f"超过 {MAX_RUN_DAYS} 天，请核对起止日期"
        )
    return [start + timedelta(days=i) for i in range(days)]


def parse_date_list(text: str, year: int | None = None) -> list[date]:
    """The days written in ``text``, sorted and without repeats.

    One date or one run of dates per item; items are separated by line breaks, commas,
    “、”, semicolons or spaces. A date is ``YYYY-MM-DD`` (also with ``/`` or ``.``) or
    written in Chinese, ``2027年2月6日``; without its year (``2月6日``, as the notices write
    it) it is in ``year``, the notice's year. A run joins two dates with “至”, “到”, “~”,
    “—” or “-” (both ends included); its end may leave out the year and month it shares with
    the start (``2027年2月6日至12日``), and a run written without years that passes the end
    of December (``12月31日至1月2日``) ends in the next year. A note in brackets after a
    date, as the notices write them (``1月28日（农历除夕、周二）``), is allowed; the weekday
    it names must be the date's.

    ``year``: the days must all fall in it (a notice covers one year; a run across the new
    year is entered in part in each year's notice).

    Raises :class:`DateListError` naming the line (first line 1) and what is wrong.
    """
    out: set[date] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        where = f"第 {number} 行"
        if line.count("(") != line.count(")"):
            raise DateListError(f"{where}：括号不成对（“{raw.strip()}”）")
        pos = _SEPARATORS.match(line).end()
        while pos < len(line):
            found = _ITEM.match(line, pos)
            if found is not None:
                after = _SEPARATORS.match(line, found.end()).end()
                if after == found.end() and after < len(line):  # glued to more text
                    found = None
            if found is None:
                token = _TOKEN.match(line, pos)
                shown = token.group(0) if token else line[pos:]
                raise DateListError(f"{where}：“{shown}”不是日期或日期范围（可写 {EXAMPLES}）")
            for day in _run(found, year, where):
                if year is not None and day.year != year:
                    raise DateListError(
                        f"{where}：“{found.group(0)}”中的 {day} 不属于 {year} 年"
                        "（跨年度的放假，请在各自年度的放假安排中分别录入本年度的日期）"
                    )
                out.add(day)
            pos = after
    return sorted(out)
