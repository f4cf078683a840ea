"""Random valid 2021-format annual reports, for property tests and benchmarks.

A generated report satisfies every identity of the 2021 format (国办公开办函〔2021〕30号):
in table 三 each column's new + carried-in equals total + carried-out, the 21 outcome rows
add up to （七）总计 and the six applicant columns add up to 总计; in table 四 each group's
four results add up to its 总计. Sizes look like real reports (mostly natural persons,
many empty organisation columns, totals from 0 to about 20 000 × ``scale``), and the
narrative restates the tables the way published reports do (“全年新收到政府信息公开申请N件
……“予以公开”N件，占X%”), with X rounded half up to one decimal as the prose checks expect;
those sentences are the ones :mod:`.draft` writes for an office's first draft.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

from .draft import (
    fee_sentence,
    outcome_sentence,
    percent,
    period_sentence,
    received_sentence,
    remedies_sentence,
    table2_sentences,
)
from .schema import (
    ALL_CELL_IDS,
    APPLICANT_COLUMNS,
    OUTCOME_ROWS,
    PART_KEYS,
    TABLE3_ROW_KEYS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    Cell,
    CellState,
    Number,
    Report,
    ReportFormat,
    table3_id,
    table4_id,
)

__all__ = ["AGENCIES", "MAX_NEW", "percent", "random_report"]

AGENCIES = (
    "青山市人民政府",
    "临河县人民政府",
    "东湖区人民政府",
    "南溪市人民政府办公室",
    "北岭市教育局",
    "西江市自然资源和规划局",
    "清源县人民政府",
    "长宁区卫生健康局",
)
#: Largest number of new applications at ``scale=1``.
MAX_NEW = 20_000
#: Typical weight of each outcome row (before per-report and per-column jitter).
OUTCOME_WEIGHTS = {
    "granted": 0.35, "partial": 0.1,
    "denied_1": 0.01, "denied_2": 0.005, "denied_3": 0.003, "denied_4": 0.015,
    "denied_5": 0.02, "denied_6": 0.02, "denied_7": 0.02, "denied_8": 0.02,
    "unable_1": 0.3, "unable_2": 0.03, "unable_3": 0.005,
    "not_processed_1": 0.015, "not_processed_2": 0.015, "not_processed_3": 0.002,
    "not_processed_4": 0.002, "not_processed_5": 0.003,
    "other_1": 0.01, "other_2": 0.002, "other_3": 0.05,
}  # fmt: skip
#: Weight of each result of table 四 (upheld, corrected, other, pending).
REMEDY_WEIGHTS = (0.6, 0.1, 0.2, 0.1)


def random_report(
    rng: random.Random,
    *,
    agency: str | None = None,
    year: int | None = None,
    blank_rate: float = 0.0,
    scale: float = 1.0,
) -> Report:
    """A random valid report; ``blank_rate`` of table 三's applicant cells published blank.

    ``scale`` multiplies every size (applications, table 二 counts); the fee of table 二 is
    a Decimal with up to four decimals. Blank cells (published "", no value) are drawn
    among the 150 applicant cells only, never in the 总计 column, and the narrative still
    states the true figures.
    """
    agency = agency or rng.choice(AGENCIES)
    year = year or rng.randint(2021, 2025)
    report = Report(ReportFormat.F2021, agency=agency, year=year)
    values: dict[str, Number] = {}
    values |= _table2(rng, agency, scale)
    values |= _table3(rng, scale)
    values |= _table4(rng, int(values[table3_id("new", "total")]))
    report.cells = {cid: Cell.number(values[cid]) for cid in ALL_CELL_IDS}
    report.narrative = _narrative(rng, report)
    _blank(rng, report, blank_rate)
    return report


# --- numbers -----------------------------------------------------------------------------


def _magnitude(rng: random.Random, top: float, zero: float = 0.06) -> int:
    """0 with chance ``zero``, else log-uniform between 1 and ``top``."""
    if top < 1 or rng.random() < zero:
        return 0
    return round(10 ** rng.uniform(0, math.log10(top)))


def _split(rng: random.Random, count: int, weights: list[float]) -> list[int]:
    """``count`` cut into parts roughly proportional to ``weights`` (remainder drawn at random)."""
    total = sum(weights)
    if count == 0 or total <= 0:
        return [0] * len(weights)
    parts = [int(count * w / total) for w in weights]
    for i in rng.choices(range(len(weights)), weights=weights, k=count - sum(parts)):
        parts[i] += 1
    return parts


def _jitter(rng: random.Random, weights: list[float]) -> list[float]:
    return [w * rng.uniform(0.5, 1.5) for w in weights]


def _table2(rng: random.Random, agency: str, scale: float) -> dict[str, Number]:
    out: dict[str, Number] = {}
    makes_rules = agency.endswith("市人民政府")
    for key, issued_top, stock_top in (("rules", 6, 150), ("normative", 60, 400)):
        top = issued_top * scale if key == "normative" or makes_rules else 0
        issued = rng.randint(0, round(top))
        out[f"table2.{key}.issued"] = issued
        out[f"table2.{key}.repealed"] = rng.randint(0, round(top / 2))
        stock = rng.randint(0, round(stock_top * scale)) if top else 0
        out[f"table2.{key}.in_force"] = issued + stock
    out["table2.licensing"] = _magnitude(rng, 1_000_000 * scale, zero=0.2)
    out["table2.punishment"] = _magnitude(rng, 1_000_000 * scale, zero=0.2)
    out["table2.enforcement"] = _magnitude(rng, 30_000 * scale, zero=0.4)
    places = rng.choice((0, 1, 2, 2, 4))
    units = _magnitude(rng, 100_000 * scale * 10**places, zero=0.4)
    out["table2.fees_wan_yuan"] = Decimal(units) / Decimal(10**places)
    return out


def _table3(rng: random.Random, scale: float) -> dict[str, Number]:
    """Per applicant column: new and carried-in, the year's outcomes, the carry-out."""
    columns = [1.0] + [rng.uniform(0.005, 0.08) if rng.random() < 0.35 else 0.0 for _ in range(5)]
    new = _magnitude(rng, MAX_NEW * scale)
    carried_in = round(new * rng.uniform(0, 0.1)) if new else rng.randint(0, 2)
    weights = OUTCOME_WEIGHTS.values()
    base = [w * rng.uniform(0.3, 1.7) if rng.random() < 0.6 else 0.0 for w in weights]
    base[0] = max(base[0], 0.1)  # some requests are always granted
    table = {row: [0] * 6 for row in TABLE3_ROW_KEYS}
    new_split, carried_split = _split(rng, new, columns), _split(rng, carried_in, columns)
    for j, (new_count, carried_count) in enumerate(zip(new_split, carried_split, strict=True)):
        carried_out = round((new_count + carried_count) * rng.uniform(0, 0.12))
        done = new_count + carried_count - carried_out
        for row, v in zip(OUTCOME_ROWS, _split(rng, done, _jitter(rng, base)), strict=True):
            table[row][j] = v
        table["new"][j], table["carried_in"][j] = new_count, carried_count
        table["total"][j], table["carried_out"][j] = done, carried_out
    out: dict[str, Number] = {}
    for row, cells in table.items():
        out |= {table3_id(row, col): v for col, v in zip(APPLICANT_COLUMNS, cells, strict=True)}
        out[table3_id(row, "total")] = sum(cells)
    return out


def _table4(rng: random.Random, new: int) -> dict[str, Number]:
    reconsideration = rng.randint(0, max(1, new // 10)) if rng.random() < 0.7 else 0
    sizes = {
        "reconsideration": reconsideration,
        "litigation_direct": rng.randint(0, reconsideration // 2 + 1),
        "litigation_after_reconsideration": rng.randint(0, reconsideration // 3 + 1),
    }
    out: dict[str, Number] = {}
    for group, _ in TABLE4_GROUPS:
        parts = _split(rng, sizes[group], _jitter(rng, list(REMEDY_WEIGHTS)))
        for (col, _), v in zip(TABLE4_COLUMNS, [*parts, sum(parts)], strict=True):
            out[table4_id(group, col)] = v
    return out


def _blank(rng: random.Random, report: Report, rate: float) -> None:
    ids = [table3_id(row, col) for row in TABLE3_ROW_KEYS for col in APPLICANT_COLUMNS]
    for cid in rng.sample(ids, round(rate * len(ids))):
        report.cells[cid] = Cell(CellState.BLANK, None, "")


# --- narrative ---------------------------------------------------------------------------


def _applications(report: Report) -> str:
    return "（二）依申请公开方面。" + received_sentence(report) + outcome_sentence(report)


_PROBLEMS = (
    "一是政策解读的形式还不够丰富，解读质量有待进一步提升。",
    "二是依申请公开办理的规范化水平还需提高，答复文书有待进一步统一。",
    "三是部分栏目信息更新不够及时，基层政务公开标准化建设仍有差距。",
    "下一步，将加强业务培训，完善信息发布审核机制，持续提升政务公开工作质效。",
)
_WORK = (
    "全年通过政府门户网站主动公开政府信息，及时发布政策文件和解读材料，召开新闻发布会回应社会关切。",
    "持续完善政府信息公开平台，加强政务新媒体管理，规范政府公报编辑发行。",
    "加强监督保障，将政务公开纳入年度绩效考核，组织开展业务培训。",
)


def _other_matters(rng: random.Random, report: Report) -> str:
    if rng.random() < 0.7:
        fee = fee_sentence(notices=0, paid=0, yuan=Decimal(0))
    else:
        notices, yuan = rng.randint(1, 9), rng.randint(1, 30) * 50
        fee = fee_sentence(notices=notices, paid=0, yuan=Decimal(yuan))
    return "\n".join(
        (
            "（一）收取信息处理费的情况",
            fee,
            "（二）落实上级年度政务公开工作要点情况",
            "按照上级年度政务公开工作要点要求，细化分解任务，明确责任单位和完成时限，逐项抓好落实。",
            "（三）政府信息公开工作年度报告数据统计需要说明的事项",
            period_sentence(report.year),
        )
    )


def _narrative(rng: random.Random, report: Report) -> dict[str, str]:
    overview = [
        f"{report.year}年，{report.agency}深入贯彻落实政务公开工作部署要求，坚持以公开为常态、"
        "不公开为例外，持续提升政府信息公开工作质效。",
        f"（一）主动公开方面。{rng.choice(_WORK)}",
        _applications(report),
        f"（三）监督保障方面。{rng.choice(_WORK)}",
    ]
    texts = {
        "overview": "\n".join(overview),
        "proactive": table2_sentences(report),
        "applications": "本年度收到和处理政府信息公开申请情况见下表。",
        "remedies": remedies_sentence(report),
        "problems": "\n".join([*rng.sample(_PROBLEMS[:3], 2), _PROBLEMS[3]]),
        "other_matters": _other_matters(rng, report),
    }
    return {key: texts[key] for key in PART_KEYS}
