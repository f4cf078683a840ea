import random
from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.agencies.models import Agency
from gongkai.cases.models import ApplicantKind, Case, CaseCounter
from gongkai.core.outcomes import Outcome
from gongkai.security.crypto import index_key
from tests.cases.conftest import pinned, w  # noqa: F401 - the same pinned world


@dataclass(frozen=True)
class Row:
    """One generated case: when it arrived, when (and how) it ended, who applied."""

    received: date
    closed: date | None
    outcome: str
    kind: str


def rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - reproducible test data


def random_rows(rng: random.Random, n: int, first: date, last: date) -> list[Row]:
    """Cases received between ``first`` and ``last``; about a fifth still open, the rest
    closed up to 60 days after receipt with a random outcome."""
    span = (last - first).days
    rows = []
    for _ in range(n):
        received = first + timedelta(days=rng.randint(0, span))
        closed = None if rng.random() < 0.2 else received + timedelta(days=rng.randint(0, 60))
        outcome = rng.choice(list(Outcome)).value if closed else ""
        rows.append(Row(received, closed, outcome, rng.choice(ApplicantKind.values)))
    return rows


def bulk_cases(agency: Agency, user, rows: list[Row], start: int = 1) -> list[Case]:
    """Case rows written directly (the counting reads only these columns).

    Their ID digests are placeholders, not made with the index key; so the key is made first,
    as on a real installation, where it exists before any digest is stored (otherwise a later
    registration would find digests that no key reproduces and refuse to guess one)."""
    index_key()
    cases = [
        Case(
            agency=agency,
            number=f"{agency.code}-{start + i}",
            year=r.received.year,
            seq=start + i,
            status="replied" if r.closed else "registered",
            channel="in_person",
            received_on=r.received,
            applicant_kind=r.kind,
            applicant_name="某申请人",
            applicant_name_masked="某*",
            id_type="resident_id",
            id_number="110101198506150011",
            id_number_masked="1101**********0011",
            id_digest=f"d{start + i}",
            request_text="某文件",
            form_wanted="paper",
            delivery_wanted="in_person",
            outcome=r.outcome,
            closed_on=r.closed,
            registered_by=user,
        )
        for i, r in enumerate(rows)
    ]
    made = Case.objects.bulk_create(cases)
    for year in {c.year for c in made}:  # later registrations number after these
        CaseCounter.objects.update_or_create(
            agency=agency, year=year, defaults={"last": start + len(rows)}
        )
    return made
