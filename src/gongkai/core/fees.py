"""Information processing fees (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号).

No fee is charged in principle; a fee is due only where the number or the volume of an
applicant's requests clearly exceeds a reasonable range. An agency charges a request in
one of two ways, never both (办法第四条):

- **per request (按件计收)**: an applicant's requests are counted per calendar month,
  cumulatively; the 1st to 10th are free, the 11th to 30th cost 100 yuan each, and from the
  31st on every band of 10 requests costs 100 yuan a request more than the band before it
  (31st–40th: 200, 41st–50th: 300, …);
- **per volume (按量计收)**, for paper copies, e-mail or copied electronic data of one request:
  up to 30 pages free, pages 31–100 at 10 yuan a page, 101–200 at 20 yuan, from the 201st at
  40 yuan (each rate applies to the pages in its band only).

Each function returns a :class:`FeeCalculation` whose lines a fee notice can quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

FEE_BASIS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
FREE_REQUESTS = 10
FIRST_PAID_BAND_END = 30
REQUEST_BAND = 10
REQUEST_STEP_YUAN = 100

#: Per-volume bands: (first page, last page or None, yuan per page).
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


class FeeError(ValueError):
    """A fee question that has no answer (message in Chinese)."""


class Method(StrEnum):
    PER_REQUEST = "per_request"
    PER_PAGE = "per_page"

    @property
    def label(self) -> str:
        return "按件计收" if self is Method.PER_REQUEST else "按量计收"


@dataclass(frozen=True, slots=True)
class FeeLine:
    """One band of a calculation: what is counted, how many, the rate and the amount."""

    description: str
    quantity: int
    unit_yuan: int
    amount_yuan: int


@dataclass(frozen=True, slots=True)
class FeeCalculation:
    method: Method
    lines: tuple[FeeLine, ...]
    total_yuan: int

    def explain(self) -> str:
        """The calculation as a fee notice states it."""
        parts = [
            f"{ln.description}：{ln.quantity}×{ln.unit_yuan}元={ln.amount_yuan}元"
            for ln in self.lines
        ]
        body = "；".join(parts) if parts else "不收费"
        return f"依据{FEE_BASIS}，{self.method.label}。{body}。合计{self.total_yuan}元。"


def request_fee_yuan(nth: int) -> int:
    """The fee for an applicant's ``nth`` request in a calendar month (per request)."""
    if nth < 1:
        raise FeeError(f"申请序号必须是正整数（收到 {nth}）")
    if nth <= FREE_REQUESTS:
        return 0
    if nth <= FIRST_PAID_BAND_END:
        return REQUEST_STEP_YUAN
    return REQUEST_STEP_YUAN * (2 + (nth - FIRST_PAID_BAND_END - 1) // REQUEST_BAND)


def _request_band(nth: int) -> tuple[int, int]:
    """The first and last request number of the band ``nth`` falls in."""
    if nth <= FREE_REQUESTS:
        return 1, FREE_REQUESTS
    if nth <= FIRST_PAID_BAND_END:
        return FREE_REQUESTS + 1, FIRST_PAID_BAND_END
    lo = FIRST_PAID_BAND_END + 1 + (nth - FIRST_PAID_BAND_END - 1) // REQUEST_BAND * REQUEST_BAND
    return lo, lo + REQUEST_BAND - 1


def per_request(nth: int) -> FeeCalculation:
    """The itemised fee of an applicant's ``nth`` request this month (按件计收)."""
    fee = request_fee_yuan(nth)
    lo, hi = _request_band(nth)
    line = FeeLine(f"本月第{nth}件申请（第{lo}—{hi}件档）", 1, fee, fee)
    return FeeCalculation(Method.PER_REQUEST, (line,), fee)


def per_request_month(count: int) -> FeeCalculation:
    """All fees of an applicant's ``count`` requests in one calendar month, band by band."""
    if count < 0:
        raise FeeError(f"申请件数不能为负数（收到 {count}）")
    lines = []
    nth = 1
    while nth <= count:
        lo, hi = _request_band(nth)
        quantity = min(hi, count) - lo + 1
        unit = request_fee_yuan(lo)
        lines.append(FeeLine(f"第{lo}—{hi}件", quantity, unit, quantity * unit))
        nth = hi + 1
    return FeeCalculation(Method.PER_REQUEST, tuple(lines), sum(ln.amount_yuan for ln in lines))


def per_page(pages: int) -> FeeCalculation:
    """The itemised fee of one request's ``pages`` pages (按量计收, excess-progressive)."""
    if pages < 0:
        raise FeeError(f"页数不能为负数（收到 {pages}）")
    lines = []
    for lo, hi, rate in PAGE_BANDS:
        if pages < lo:
            break
        top = pages if hi is None else min(pages, hi)
        quantity = top - lo + 1
        band = f"第{lo}页以上" if hi is None else f"第{lo}—{hi}页"
        lines.append(FeeLine(band, quantity, rate, quantity * rate))
    return FeeCalculation(Method.PER_PAGE, tuple(lines), sum(ln.amount_yuan for ln in lines))
