"""factory_boy factories for the platform's models, and a small agency world."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import factory

from gongkai.accounts.models import Membership, User
from gongkai.agencies.models import Agency, AgencyKind
from gongkai.cases.models import ApplicantKind, Case, DeliveryWanted, IdType, InfoForm
from gongkai.cases.services import Applicant, case_register
from gongkai.core.identity import id_check_char, uscc_check_char
from gongkai.core.workflow import Role

_codes = itertools.count(1)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试机关{n}")
    code = factory.LazyFunction(lambda: f"T{next(_codes):04d}")
    kind = AgencyKind.DEPARTMENT
    handles_applications = True
    reconsideration_body = "测试市人民政府"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    password = factory.django.Password("pass-1234")


def member(agency: Agency, *roles: Role, username: str | None = None) -> User:
    user = UserFactory(username=username) if username else UserFactory()
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


def resident_id(seq: int = 1, born: str = "19850615") -> str:
    first17 = f"370202{born}{seq % 1000:03d}"
    return first17 + id_check_char(first17)


def credit_code(seq: int = 1) -> str:
    first17 = f"91370200MA{seq:07d}"
    return first17 + uscc_check_char(first17)


def person(seq: int = 1, **kw: str) -> Applicant:
    return Applicant(
        kind=kw.get("kind", ApplicantKind.NATURAL_PERSON),
        name=kw.get("name", "张三明"),
        id_type=IdType.RESIDENT_ID,
        id_number=resident_id(seq),
        phone=kw.get("phone", "13812345678"),
        address="青岛市市南区香港中路1号",
    )


def company(seq: int = 1) -> Applicant:
    return Applicant(
        kind=ApplicantKind.COMMERCIAL,
        name="青岛某某科技有限公司",
        id_type=IdType.CREDIT_CODE,
        id_number=credit_code(seq),
        contact_person="李四",
        phone="0532-88886666",
    )


def register(
    actor: User,
    agency: Agency,
    *,
    received_on: date | None = None,
    text: str = "2025年某项目批复文件",
    applicant: Applicant | None = None,
    channel: str = "in_person",
    amend_reason: str = "",
) -> Case:
    from django.utils import timezone

    return case_register(
        actor=actor,
        agency=agency,
        channel=channel,
        received_on=received_on or timezone.localdate(),
        applicant=applicant or person(),
        request_text=text,
        form_wanted=InfoForm.PAPER,
        delivery_wanted=DeliveryWanted.IN_PERSON,
        amend_reason=amend_reason,
    )


@dataclass
class World:
    """A government G with two departments D1 (units U1, U2) and D2 (unit U3), and people."""

    gov: Agency
    d1: Agency
    u1: Agency
    u2: Agency
    d2: Agency
    u3: Agency
    registrar: User
    head: User
    secrecy: User
    handler1: User
    handler3: User
    supervisor: User
    admin: User
    registrar2: User
    head2: User
    outsider: User


def world() -> World:
    gov = AgencyFactory(name="测试市人民政府", code="CSGOV", kind=AgencyKind.GOVERNMENT)
    d1 = AgencyFactory(name="测试市教育局", code="CSJY", parent=gov)
    u1 = AgencyFactory(
        name="基础教育处",
        code="CSJYJC",
        parent=d1,
        kind=AgencyKind.UNIT,
        handles_applications=False,
    )
    u2 = AgencyFactory(
        name="发展规划处",
        code="CSJYFG",
        parent=d1,
        kind=AgencyKind.UNIT,
        handles_applications=False,
    )
    d2 = AgencyFactory(name="测试市自然资源局", code="CSZR", parent=gov)
    u3 = AgencyFactory(
        name="规划管理处",
        code="CSZRGH",
        parent=d2,
        kind=AgencyKind.UNIT,
        handles_applications=False,
    )
    return World(
        gov,
        d1,
        u1,
        u2,
        d2,
        u3,
        registrar=member(d1, Role.REGISTRAR, username="reg1"),
        head=member(d1, Role.HEAD, username="head1"),
        secrecy=member(d1, Role.SECRECY, username="sec1"),
        handler1=member(u1, Role.HANDLER, username="hand1"),
        handler3=member(u3, Role.HANDLER, username="hand3"),
        supervisor=member(gov, Role.SUPERVISOR, username="sup"),
        admin=member(d1, Role.ADMIN, username="adm1"),
        registrar2=member(d2, Role.REGISTRAR, username="reg2"),
        head2=member(d2, Role.HEAD, username="head2"),
        outsider=UserFactory(username="nobody"),
    )


#: Timeline entries about letters and their delivery (beside the workflow steps).
PAPER_KINDS = {"letter_issued", "delivered", "delivery_returned"}


def steps_only(kinds: list[str]) -> list[str]:
    """The workflow steps of a timeline, without the letters made and sent along the way."""
    return [k for k in kinds if k not in PAPER_KINDS]
