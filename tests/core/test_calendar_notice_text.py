"""Reading a year's holiday dates as an administrator enters them: one date or one run of
dates a line, in ISO form or as the State Council's notice writes them.

The expected days are written out by hand from the notices themselves:

- 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）: 元旦 1月1日（周三）放假
  1天；春节 1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天，1月26日
  （周日）、2月8日（周六）上班；清明节 4月4日（周五）至6日（周日），共3天；劳动节 5月1日（周四）
  至5日（周一）放假调休，共5天，4月27日（周日）上班；端午节 5月31日（周六）至6月2日（周一），
  共3天；国庆节、中秋节 10月1日（周三）至8日（周三）放假调休，共8天，9月28日（周日）、
  10月11日（周六）上班。
- 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）: 元旦 1月1日（周四）至
  3日（周六），1月4日（周日）上班；春节 2月15日（农历腊月二十八、周日）至23日（农历正月初七、
  周一），共9天，2月14日（周六）、2月28日（周六）上班；清明节 4月4日（周六）至6日（周一）；
  劳动节 5月1日（周五）至5日（周二），5月9日（周六）上班；端午节 6月19日（周五）至21日（周日）；
  中秋节 9月25日（周五）至27日（周日）；国庆节 10月1日（周四）至7日（周三），9月20日（周日）、
  10月10日（周六）上班。
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gongkai.core.holidays import DateListError, parse_date_list


def run(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# The notices' own wording, one holiday a line, weekday notes and all.
HOLIDAYS_2025_AS_WRITTEN = """1月1日（周三）
1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）
4月4日（周五）至6日（周日）
5月1日（周四）至5日（周一）
5月31日（周六）至6月2日（周一）
10月1日（周三）至8日（周三）"""
WORKDAYS_2025_AS_WRITTEN = (
    "1月26日（周日）、2月8日（周六）、4月27日（周日）、9月28日（周日）、10月11日（周六）"
)

HOLIDAYS_2025 = [
    date(2025, 1, 1),
    *run(date(2025, 1, 28), date(2025, 2, 4)),  # 8 days
    *run(date(2025, 4, 4), date(2025, 4, 6)),
    *run(date(2025, 5, 1), date(2025, 5, 5)),
    *run(date(2025, 5, 31), date(2025, 6, 2)),
    *run(date(2025, 10, 1), date(2025, 10, 8)),
]
WORKDAYS_2025 = [
    date(2025, 1, 26),
    date(2025, 2, 8),
    date(2025, 4, 27),
    date(2025, 9, 28),
    date(2025, 10, 11),
]

HOLIDAYS_2026_AS_WRITTEN = """1月1日（周四）至3日（周六）
2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）
4月4日（周六）至6日（周一）
5月1日（周五）至5日（周二）
6月19日（周五）至21日（周日）
9月25日（周五）至27日（周日）
10月1日（周四）至7日（周三）"""
WORKDAYS_2026_AS_WRITTEN = (
    "1月4日（周日）、2月14日（周六）、2月28日（周六）、5月9日（周六）、9月20日（周日）、"
    "10月10日（周六）"
)


def test_the_2025_notice_as_written():
    holidays = parse_date_list(HOLIDAYS_2025_AS_WRITTEN, 2025)
    assert holidays == HOLIDAYS_2025
    assert len(holidays) == 1 + 8 + 3 + 5 + 3 + 8  # the notice's “共N天”
    assert parse_date_list(WORKDAYS_2025_AS_WRITTEN, 2025) == WORKDAYS_2025


def test_the_2026_notice_as_written_gives_33_days_off_and_6_worked():
    holidays = parse_date_list(HOLIDAYS_2026_AS_WRITTEN, 2026)
    assert len(holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert holidays[:4] == [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3), date(2026, 2, 15)]
    assert run(date(2026, 2, 15), date(2026, 2, 23)) == holidays[3:12]
    assert parse_date_list(WORKDAYS_2026_AS_WRITTEN, 2026) == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_notices_agree_with_the_chinesecalendar_package(year):
    """A second, independent transcription of the same notices: the package's tables."""
    from chinese_calendar import constants

    text = {2025: HOLIDAYS_2025_AS_WRITTEN, 2026: HOLIDAYS_2026_AS_WRITTEN}[year]
    work = {2025: WORKDAYS_2025_AS_WRITTEN, 2026: WORKDAYS_2026_AS_WRITTEN}[year]
    assert parse_date_list(text, year) == sorted(d for d in constants.holidays if d.year == year)
    package_workdays = sorted(d for d in constants.workdays if d.year == year and d.weekday() >= 5)
    assert parse_date_list(work, year) == package_workdays


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-28至2025-02-04",
        "2025-01-28 至 2025-02-04",
        "2025-01-28~2025-02-04",
        "2025-01-28～2025-02-04",  # full-width tilde
        "2025-01-28—2025-02-04",  # em dash
        "2025-01-28－2025-02-04",  # full-width hyphen
        "2025-01-28-2025-02-04",
        "2025-01-28 - 2025-02-04",
        "2025-01-28到2025-02-04",
        "2025年1月28日至2月4日",
        "2025年1月28日至2025年2月4日",
        "1月28日至2月4日",
        "1月28日-2月4日",
        "2025/1/28至2025/2/4",
        "２０２５年１月２８日至２月４日",  # full-width digits
        "2025-01-28\n2025-01-29\n2025-01-30\n2025-01-31\n2025-02-01\n2025-02-02\n2025-02-03\n"
        "2025-02-04",  # one a line, as before
        "2025-01-28, 2025-01-29，2025-01-30、2025-01-31 2025-02-01；"
        "2025-02-02 2025-02-03;2025-02-04",
        "2025-01-28至2025-01-31\n2025-02-01至2025-02-04\n2025-01-30",  # overlaps count once
    ],
)
def test_every_way_of_writing_the_2025_spring_festival(text):
    assert parse_date_list(text, 2025) == run(date(2025, 1, 28), date(2025, 2, 4))


def test_a_run_may_leave_out_the_year_and_month_of_its_end():
    assert parse_date_list("2027年2月6日至12日") == run(date(2027, 2, 6), date(2027, 2, 12))
    assert parse_date_list("2027-02-06至2027-02-12", 2027) == run(
        date(2027, 2, 6), date(2027, 2, 12)
    )


def test_blank_lines_and_empty_text():
    assert parse_date_list("", 2027) == []
    assert parse_date_list("\n  \n2027-01-01\n\n", 2027) == [date(2027, 1, 1)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-01\n2027-02-30", "第 2 行：2027年2月30日不是有效日期"),
        (
            "2027-01-01\n\n2027-02-12至2027-02-06",
            "第 3 行：“2027-02-12至2027-02-06”的结束日期 2027-02-06 早于开始日期 2027-02-12",
        ),
        ("2027-01-01\n春节放假", "第 2 行：“春节放假”不是日期或日期范围（可写 2027-02-06"),
        ("2027-02-06-", "第 1 行：“2027-02-06-”不是日期或日期范围"),
        ("2027-01-01 2027-02-20上班", "第 1 行：“2027-02-20上班”不是日期或日期范围"),
        (
            "2027-02-01至2027-03-01",
            "第 1 行：“2027-02-01至2027-03-01”从 2027-02-01 到 2027-03-01 共 29 天，超过 15 天",
        ),
        ("2026-12-31", "第 1 行：“2026-12-31”中的 2026-12-31 不属于 2027 年"),
        ("12月31日至1月2日", "第 1 行：“12月31日至1月2日”中的 2028-01-01 不属于 2027 年"),
        # 2027-01-26 is a Tuesday: a wrongly copied date is caught by its weekday note.
        ("1月26日（周一）", "第 1 行：1月26日注明“周一”，但 2027-01-26 是星期二，请核对"),
        ("1月26日（周二", "第 1 行：括号不成对（“1月26日（周二”）"),
    ],
)
def test_errors_name_the_line_and_what_is_wrong(text, message):
    with pytest.raises(DateListError) as caught:
        parse_date_list(text, 2027)
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_chinese_date_without_a_year_needs_the_notices_year():
    with pytest.raises(DateListError, match="第 1 行：“2月6日”没有写年份"):
        parse_date_list("2月6日")
    assert parse_date_list("2月6日", 2027) == [date(2027, 2, 6)]
