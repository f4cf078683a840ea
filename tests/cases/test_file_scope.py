"""Who may download which file of a case: identity documents (the identity proof, the
application form) only those who may see the applicant's identity — the same predicate as
the identity panel; ordinary files everyone who sees the case; every download audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.cases.access import may_view_identity
from gongkai.cases.models import AttachmentKind
from gongkai.cases.personal import case_view_identity
from gongkai.cases.services import CaseError, attachment_add, case_assign
from gongkai.core.workflow import Role
from tests.factories import UserFactory, register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%scope test\n"

#: role → (identity document, ordinary file) → expected status
MATRIX = {
    "registrar": (200, 200),
    "head": (200, 200),
    "secrecy": (200, 200),
    "handler1": (404, 200),  # the unit the case is routed to
    "supervisor": (404, 200),  # the government above the department
    "root": (404, 200),  # an installation superuser looks, but is not the office
    "handler3": (404, 404),  # a unit the case is not routed to
    "admin": (404, 404),  # the department's user administrator: no case data
    "registrar2": (404, 404),  # another agency's registrar
    "outsider": (404, 404),
}


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def files(w):
    """A case of D1 routed to U1, with an identity proof, an application form, an opinion."""
    case = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    case_assign(actor=w.registrar, case=case, unit=w.u1)
    proof = attachment_add(
        actor=w.registrar, case=case, kind=AttachmentKind.IDENTITY_PROOF, upload=pdf("身份证.pdf")
    )
    form = attachment_add(
        actor=w.registrar, case=case, kind=AttachmentKind.APPLICATION, upload=pdf("申请表.pdf")
    )
    opinion = attachment_add(
        actor=w.handler1, case=case, kind=AttachmentKind.OPINION, upload=pdf("承办意见.pdf")
    )
    return case, proof, form, opinion


def user_of(w, person: str):
    if person == "root":
        return UserFactory(username="root", is_staff=True, is_superuser=True)
    return getattr(w, person)


def download(user, case, att) -> int:
    c = Client(REMOTE_ADDR="192.0.2.77")
    c.force_login(user)
    r = c.get(reverse("cases:download", args=[case.pk, att.pk]))
    if r.status_code == 200:
        assert b"".join(r.streaming_content) == PDF
    return r.status_code


@pytest.mark.parametrize("person", list(MATRIX))
def test_download_scope_matrix(w, files, person):
    case, proof, form, opinion = files
    user = user_of(w, person)
    identity_status, ordinary_status = MATRIX[person]
    for att, expected in ((proof, identity_status), (form, identity_status)):
        assert download(user, case, att) == expected, (person, att.kind)
    assert download(user, case, opinion) == ordinary_status, (person, "ordinary")
    # Every download that was served is in the audit trail: who, which case, which file.
    served = [a for a, s in ((proof, identity_status), (form, identity_status)) if s == 200]
    served += [opinion] if ordinary_status == 200 else []
    entries = AuditEntry.objects.filter(action="case.file_downloaded")
    assert entries.count() == len(served)
    for att in served:
        e = entries.get(target_id=str(att.pk))
        assert e.actor == user and e.agency == case.agency and e.ip == "192.0.2.77"
        assert e.target_type == "attachment"
        assert e.data == {"case": case.pk, "attachment": att.pk, "kind": att.kind}
        assert case.number in e.message and att.original_name in e.message


@pytest.mark.parametrize("person", list(MATRIX))
def test_the_identity_documents_follow_the_identity_panel(w, files, person):
    """One predicate for both: whoever may open the identity panel may download the identity
    documents, and nobody else."""
    case, proof, _, _ = files
    user = user_of(w, person)
    try:
        case_view_identity(actor=user, case=case)
        panel = True
    except CaseError:
        panel = False
    assert panel == (download(user, case, proof) == 200)


def test_the_predicate_is_the_office_roles():
    assert may_view_identity({Role.REGISTRAR})
    assert may_view_identity(frozenset({Role.HEAD, Role.HANDLER}))
    assert may_view_identity({Role.SECRECY})
    assert not may_view_identity({Role.HANDLER, Role.SUPERVISOR})
    assert not may_view_identity(set())


def test_a_portal_proof_routed_to_a_handler_stays_with_the_office(w):
    """The case reported: an online application's identity proof, the case routed to a unit;
    the unit's handler and the supervisor above may not download the ID card scan."""
    from gongkai.portal import services as portal
    from tests.portal.test_portal import submit_direct

    app, _ = submit_direct(w.d1)
    case = portal.submission_register(actor=w.registrar, app=app)
    case_assign(actor=w.registrar, case=case, unit=w.u1)
    proof = case.attachments.get(kind=AttachmentKind.IDENTITY_PROOF)
    for user in (w.handler1, w.supervisor):
        c = Client()
        c.force_login(user)
        assert c.get(reverse("cases:case", args=[case.pk])).status_code == 200
        assert c.get(reverse("cases:download", args=[case.pk, proof.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="case.file_downloaded").exists()
    c = Client()
    c.force_login(w.registrar)
    assert c.get(reverse("cases:download", args=[case.pk, proof.pk])).status_code == 200
    assert AuditEntry.objects.get(action="case.file_downloaded").actor == w.registrar
