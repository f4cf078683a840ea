"""文件库设置 in the admin: the level that decides 规章, the 索引号 format checked, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.core.validity import AgencyLevel, DocKind
from gongkai.documents.models import RegistrySettings
from gongkai.documents.services.base import DocumentError
from gongkai.documents.services.registry import check_kind
from tests.factories import AgencyFactory, UserFactory

ADD = reverse("admin:documents_registrysettings_add")


@pytest.fixture
def root(db, client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def _form(agency, **kw) -> dict[str, str]:
    data = {
        "agency": str(agency.pk),
        "level": AgencyLevel.CITY_GOVERNMENT.value,
        "credit_code": "11370200004567890X",
        "index_format": "{信用代码}/{年度}-{序号:05d}",
        "allowed_contacts": "0532-85912121\ngk@qd.gov.cn",
    }
    return data | kw


def test_a_wrong_index_format_is_refused_naming_it(root):
    agency = AgencyFactory(name="测试市人民政府")
    response = root.post(ADD, _form(agency, index_format="{信用代码}/{年度}"))
    assert response.status_code == 200
    assert "文件库设置中的索引号格式“{信用代码}/{年度}”无效" in response.content.decode()
    assert not RegistrySettings.objects.exists()


def test_settings_saved_audited_and_the_level_decides_rules(root):
    agency = AgencyFactory(name="测试市人民政府")
    with pytest.raises(DocumentError, match="请先在文件库设置中填写本机关的行政层级"):
        check_kind(DocKind.RULES, agency)
    response = root.post(ADD, _form(agency))
    assert response.status_code == 302
    saved = RegistrySettings.objects.get(agency=agency)
    assert saved.level == "city_government"
    assert check_kind(DocKind.RULES, agency) is DocKind.RULES
    entry = AuditEntry.objects.get(action="admin.registrysettings.add")
    assert entry.agency == agency
    listing = root.get(reverse("admin:documents_registrysettings_changelist")).content.decode()
    assert AgencyLevel.CITY_GOVERNMENT.label in listing


def test_a_county_level_body_is_refused_rules(root):
    county = AgencyFactory(name="测试县人民政府")
    root.post(ADD, _form(county, level=AgencyLevel.COUNTY_GOVERNMENT.value))
    with pytest.raises(DocumentError, match="无权制定规章"):
        check_kind(DocKind.RULES, county)
