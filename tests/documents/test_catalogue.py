"""主动公开事项目录: reading the spreadsheet, versions, publishing and re-mapping, mapping
policies, and the staff pages."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from gongkai.accounts.models import Membership
from gongkai.audit.models import AuditEntry
from gongkai.core.workflow import Role
from gongkai.documents.models import Catalogue, CatalogueItem, Policy
from gongkai.documents.services import catalogue as svc
from gongkai.documents.services.base import DocumentError
from tests.documents.factories import text
from tests.factories import World, member, world

NAME = "目录.xlsx"
ONLY_DRAFTING = "只有本机关的公开工作机构负责人、登记员可以"

#: Row 1 is a title, row 2 the header (variant headings), 一级事项 merged over two rows,
#: a blank row between the groups, a whole number in 公开时限.
HEADER = [
    "序号",
    "一级目录",
    "事项名称",
    "公开内容（要素）",
    "公开依据",
    "公开主体",
    "公开时限",
    "公开方式",
    "公开渠道和载体",
    "公开层级",
    "责任科室",
]
BASIS = "《中华人民共和国政府信息公开条例》第二十条"
ROWS = [
    [1, "机构职能", "机构信息", "机构名称、职能、内设机构、办公地址、联系方式", BASIS,
     "测试市教育局", "信息形成或变更之日起20个工作日内", "主动", "政府网站", "市级", "办公室"],
    [2, None, "领导信息", "领导姓名、职务、分工", BASIS,
     "测试市教育局", "信息形成或变更之日起20个工作日内", "主动", "政府网站", "市级", "人事科"],
    [None] * 11,
    [3, "政策文件", "行政规范性文件", "本机关制定的行政规范性文件及其解读", BASIS,
     "测试市教育局", 20, "主动", "政府网站、政府公报", "市级", "政策法规科"],
    [4, None, "政策解读", "文字解读、图解、新闻发布会", None,
     "测试市教育局", 20, "主动", "政府网站", "市级", "政策法规科"],
]  # fmt: skip


def workbook(
    rows: list[list] | None = None,
    *,
    header: list[str] | None = None,
    title: str | None = "测试市教育局主动公开事项目录",
    merges: tuple[str, ...] = ("B3:B4", "B6:B7"),
) -> bytes:
    """An .xlsx catalogue as offices write them: a title row over the header, then items."""
    book = Workbook()
    ws = book.active
    ws.title = "目录"
    if title is not None:
        ws.append([title])
        ws.merge_cells("A1:K1")
    ws.append(header or HEADER)
    for row in ROWS if rows is None else rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def w(db) -> World:
    """The agency world, with the clock pinned to Monday 2025-06-16 for the whole test."""
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        yield world()


def imported(w: World, data: bytes | None = None, note: str = "") -> Catalogue:
    return svc.catalogue_import_xlsx(
        actor=w.registrar, agency=w.d1, data=data or workbook(), filename=NAME, note=note
    )


def published(w: World, data: bytes | None = None) -> Catalogue:
    return svc.catalogue_publish(actor=w.head, catalogue=imported(w, data))


def item(catalogue: Catalogue, position: int) -> CatalogueItem:
    return catalogue.items.get(position=position)


# --- reading the spreadsheet -------------------------------------------------------------


def test_reads_rows_carrying_merged_level1_and_skipping_blank_rows():
    items = svc.read_catalogue(workbook(), NAME)
    assert [(i["position"], i["level1"], i["level2"]) for i in items] == [
        ("1", "机构职能", "机构信息"),
        ("2", "机构职能", "领导信息"),
        ("3", "政策文件", "行政规范性文件"),
        ("4", "政策文件", "政策解读"),
    ]
    assert items[0] == {
        "position": "1",
        "level1": "机构职能",
        "level2": "机构信息",
        "content": "机构名称、职能、内设机构、办公地址、联系方式",
        "basis": BASIS,
        "subject": "测试市教育局",
        "time_limit": "信息形成或变更之日起20个工作日内",
        "method": "主动",
        "channel": "政府网站",
        "tier": "市级",
        "responsible": "办公室",
    }
    assert items[2]["time_limit"] == "20"
    assert items[3]["basis"] == ""  # a blank stays blank


def test_usual_headings_and_header_in_first_row():
    header = ["一级事项", "二级事项", "内容", "依据", "主体", "时限（工作日）", "方式", "渠道",
              "层级", "责任", "备注"]  # fmt: skip
    row = ["财政信息", "部门预算", "预算报告及表格", "预算法", "本局", 20.0, "主动", "网站",
           "市级", "财务科", "不导入"]  # fmt: skip
    items = svc.read_catalogue(workbook([row], header=header, title=None, merges=()), NAME)
    assert items == [
        {
            "position": "1",
            "level1": "财政信息",
            "level2": "部门预算",
            "content": "预算报告及表格",
            "basis": "预算法",
            "subject": "本局",
            "time_limit": "20",
            "method": "主动",
            "channel": "网站",
            "tier": "市级",
            "responsible": "财务科",
        }
    ]


def test_level2_carried_under_a_merged_level1():
    rows = [
        [1, "财政信息", "部门预算", "预算报告", None, None, None, None, None, None, None],
        [2, None, None, "预算表格", None, None, None, None, None, None, None],
        [3, "人事信息", None, "招录公告", None, None, None, None, None, None, None],
    ]
    items = svc.read_catalogue(workbook(rows, merges=()), NAME)
    assert [(i["level1"], i["level2"], i["content"]) for i in items] == [
        ("财政信息", "部门预算", "预算报告"),
        ("财政信息", "部门预算", "预算表格"),
        ("人事信息", "", "招录公告"),
    ]


def test_rows_without_level1_or_content_are_errors_naming_the_row():
    rows = [
        [1, None, "机构信息", "机构名称", None, None, None, None, None, None, None],
        [2, "政策文件", "规范性文件", None, None, None, None, None, None, None, None],
        [3, None, None, None, "依据", None, None, None, None, None, None],
        [4, "政策文件", "解读", "解读材料", None, None, None, None, None, None, None],
    ]
    with pytest.raises(DocumentError) as exc:
        svc.read_catalogue(workbook(rows, merges=()), NAME)
    assert str(exc.value) == (
        "文件“目录.xlsx”有3处错误：第3行缺少一级事项；第4行缺少公开内容（要素）；"
        "第5行缺少公开内容（要素）"
    )


def test_row_with_only_a_number_is_blank():
    rows = [*ROWS, [5] + [None] * 10]
    assert len(svc.read_catalogue(workbook(rows), NAME)) == 4


def test_too_long_text_names_row_and_column():
    rows = [[1, "甲" * 101, "乙", "内容", None, None, None, None, None, None, None]]
    with pytest.raises(DocumentError) as exc:
        svc.read_catalogue(workbook(rows, merges=()), NAME)
    assert str(exc.value) == "文件“目录.xlsx”有1处错误：第3行“一级事项”超过100字"


def test_missing_required_column_is_named():
    header = ["序号", "一级事项", "二级事项", "公开依据", "公开时限"]
    with pytest.raises(DocumentError) as exc:
        svc.read_catalogue(workbook([[1, "甲", "乙", "丙", "丁"]], header=header, merges=()), NAME)
    assert str(exc.value) == (
        "文件“目录.xlsx”第2行的表头缺少“公开内容（要素）”列"
        "（也可写作“公开内容(要素)”“公开内容”“公开要素”“内容”“要素”）"
    )


def test_no_header_in_the_first_ten_rows():
    rows = [["说明"]] * 12
    with pytest.raises(DocumentError) as exc:
        svc.read_catalogue(workbook(rows, header=["附表"], merges=()), NAME)
    assert str(exc.value) == (
        "文件“目录.xlsx”的前10行中找不到表头：表头应写明“一级事项”“公开内容（要素）”等列名"
    )


def test_header_without_items():
    with pytest.raises(DocumentError) as exc:
        svc.read_catalogue(workbook([], merges=()), NAME)
    assert str(exc.value) == "文件“目录.xlsx”第2行表头之下没有目录事项"


def test_too_many_items(monkeypatch):
    monkeypatch.setattr(svc, "MAX_ITEMS", 3)
    with pytest.raises(DocumentError) as exc:
        svc.read_catalogue(workbook(), NAME)
    assert str(exc.value) == "文件“目录.xlsx”超过3条事项；请分拆后导入"


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "不是表格")
    return out.getvalue()


UNREADABLE = "无法读取文件“目录.xlsx”：不是有效的 .xlsx 电子表格，或文件已损坏"
NOT_XLSX = "文件“目录.xls”不是 .xlsx 电子表格；请在表格软件中另存为 .xlsx 格式后上传"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"garbage, not a workbook", NAME, UNREADABLE),
        (_zip_without_workbook(), NAME, UNREADABLE),
        (workbook()[:2000], NAME, UNREADABLE),
        (b"\xd0\xcf\x11\xe0", "目录.xls", NOT_XLSX),
        (b"", NAME, "文件“目录.xlsx”是空文件"),
    ],
)
def test_unreadable_files_are_named_never_a_crash(data, name, message):
    with pytest.raises(DocumentError) as exc:
        svc.read_catalogue(data, name)
    assert str(exc.value) == message


def test_too_big(monkeypatch):
    monkeypatch.setattr(svc, "MAX_BYTES", 100)
    with pytest.raises(DocumentError) as exc:
        svc.read_catalogue(workbook(), NAME)
    assert str(exc.value) == "文件“目录.xlsx”超过 20 MB 的大小限制"


# --- versions and publishing ----------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_a_draft_version_with_its_items(w):
    catalogue = imported(w, note="2025年更新")
    assert (catalogue.agency, catalogue.version, catalogue.note) == (w.d1, 1, "2025年更新")
    assert catalogue.published_on is None
    assert catalogue.created_by == w.registrar
    assert list(catalogue.items.values_list("position", "level1", "level2", "responsible")) == [
        (1, "机构职能", "机构信息", "办公室"),
        (2, "机构职能", "领导信息", "人事科"),
        (3, "政策文件", "行政规范性文件", "政策法规科"),
        (4, "政策文件", "政策解读", "政策法规科"),
    ]
    entry = AuditEntry.objects.get(action="document.catalogue_imported")
    assert entry.message == "导入主动公开事项目录第1版（4条事项，文件“目录.xlsx”），待发布"
    assert entry.data == {"version": 1, "items": 4, "filename": NAME}
    assert (entry.actor, entry.agency) == (w.registrar, w.d1)


@pytest.mark.django_db
def test_versions_count_per_agency(w):
    assert [imported(w).version, imported(w).version] == [1, 2]
    other = svc.catalogue_import_xlsx(
        actor=w.registrar2, agency=w.d2, data=workbook(), filename=NAME
    )
    assert other.version == 1


@pytest.mark.django_db
def test_a_refused_file_creates_no_version(w):
    with pytest.raises(DocumentError):
        imported(w, b"garbage")
    assert not Catalogue.objects.exists()
    assert not AuditEntry.objects.filter(action="document.catalogue_imported").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["secrecy", "supervisor", "registrar2", "outsider"])
def test_only_drafting_roles_of_the_agency_import(w, who):
    with pytest.raises(DocumentError) as exc:
        svc.catalogue_import_xlsx(
            actor=getattr(w, who), agency=w.d1, data=workbook(), filename=NAME
        )
    assert str(exc.value) == ONLY_DRAFTING + "导入主动公开事项目录"


@pytest.mark.django_db
def test_note_too_long(w):
    with pytest.raises(DocumentError) as exc:
        imported(w, note="说" * 201)
    assert str(exc.value) == "说明不能超过200字"


@pytest.mark.django_db
def test_publish_by_the_head_only(w):
    catalogue = imported(w)
    with pytest.raises(DocumentError) as exc:
        svc.catalogue_publish(actor=w.registrar, catalogue=catalogue)
    assert str(exc.value) == "只有本机关的公开工作机构负责人可以发布主动公开事项目录"
    done = svc.catalogue_publish(actor=w.head, catalogue=catalogue, ip="10.0.0.1")
    assert done.published_on == date(2025, 6, 16)
    assert svc.current_catalogue(w.d1.pk) == catalogue
    entry = AuditEntry.objects.get(action="document.catalogue_published")
    assert entry.message == "发布主动公开事项目录第1版：0件政策已对应新目录事项，0件需重新对应"
    assert entry.data == {"version": 1, "remapped": [], "unmatched": []}
    with pytest.raises(DocumentError) as exc:
        svc.catalogue_publish(actor=w.head, catalogue=catalogue)
    assert str(exc.value) == "第1版目录已于2025-06-16发布，不需要再发布"


@pytest.mark.django_db
def test_an_older_draft_is_not_published_over_a_newer_version(w):
    old = imported(w)
    svc.catalogue_publish(actor=w.head, catalogue=imported(w))
    with pytest.raises(DocumentError) as exc:
        svc.catalogue_publish(actor=w.head, catalogue=old)
    assert str(exc.value) == "第1版早于已发布的第2版，不能发布；如需恢复其内容，请重新导入"


RENAMED = [
    [1, "机构职能", "机构信息", "机构名称、职能", None, None, None, None, None, None, None],
    [2, "政策文件", "行政规范性文件", "规范性文件", None, None, None, None, None, None, None],
    [3, "政策文件", "政策解读材料", "解读", None, None, None, None, None, None, None],
]


@pytest.mark.django_db
def test_publish_remaps_policies_by_level1_and_level2(w):
    v1 = published(w)
    kept = text(w.d1, title="测试市教育局机构职能规定").policy
    moved = text(w.d1, title="关于做好政策解读工作的通知").policy
    Policy.objects.filter(pk=kept.pk).update(catalogue_item=item(v1, 1))
    Policy.objects.filter(pk=moved.pk).update(catalogue_item=item(v1, 4))
    v2 = published(w, workbook(RENAMED, merges=()))
    kept.refresh_from_db()
    moved.refresh_from_db()
    assert kept.catalogue_item == item(v2, 1)
    assert moved.catalogue_item == item(v1, 4)  # 政策解读 is gone: left to map again
    assert [p.pk for p in svc.unmatched_policies([w.d1.pk])] == [moved.pk]
    assert svc.unmatched_policies([w.d1.pk]).get().latest_title == "关于做好政策解读工作的通知"
    entry = AuditEntry.objects.filter(action="document.catalogue_published").order_by("pk").last()
    assert entry.message == "发布主动公开事项目录第2版：1件政策已对应新目录事项，1件需重新对应"
    assert entry.data == {"version": 2, "remapped": [kept.pk], "unmatched": [moved.pk]}
    # Mapped again, it leaves the list.
    svc.policy_map_catalogue(actor=w.registrar, policy=moved, item=item(v2, 3))
    assert list(svc.unmatched_policies([w.d1.pk])) == []


@pytest.mark.django_db
def test_remap_matches_ignoring_spaces_and_full_width_forms(w):
    v1 = published(w)
    p = text(w.d1).policy
    Policy.objects.filter(pk=p.pk).update(catalogue_item=item(v1, 1))
    rows = [[1, "机构 职能", "机构信息 ", "内容", None, None, None, None, None, None, None]]
    v2 = published(w, workbook(rows, merges=()))
    p.refresh_from_db()
    assert p.catalogue_item == item(v2, 1)


# --- mapping policies --------------------------------------------------------------------------


@pytest.mark.django_db
def test_map_and_unmap_a_policy(w):
    v1 = published(w)
    policy = text(w.d1, title="教育收费管理办法", doc_number="测教发〔2025〕1号").policy
    done = svc.policy_map_catalogue(actor=w.registrar, policy=policy, item=item(v1, 3))
    assert done.catalogue_item == item(v1, 3)
    entry = AuditEntry.objects.get(action="document.catalogue_mapped")
    assert entry.message == (
        "政策《教育收费管理办法》（测教发〔2025〕1号）对应目录事项“政策文件 / 行政规范性文件”"
    )
    assert entry.data == {"item": item(v1, 3).pk, "before": None}
    svc.policy_map_catalogue(actor=w.head, policy=policy, item=None)
    policy.refresh_from_db()
    assert policy.catalogue_item is None
    assert AuditEntry.objects.filter(action="document.catalogue_mapped").order_by(
        "pk"
    ).last().message == ("取消政策《教育收费管理办法》（测教发〔2025〕1号）的目录事项")


@pytest.mark.django_db
def test_map_refusals(w):
    policy = text(w.d1).policy
    draft = imported(w)
    with pytest.raises(DocumentError) as exc:
        svc.policy_map_catalogue(actor=w.registrar, policy=policy, item=item(draft, 1))
    assert str(exc.value) == "本机关还没有发布主动公开事项目录，请先导入并发布目录"
    svc.catalogue_publish(actor=w.head, catalogue=draft)
    newer = imported(w)
    with pytest.raises(DocumentError) as exc:
        svc.policy_map_catalogue(actor=w.registrar, policy=policy, item=item(newer, 1))
    assert str(exc.value) == (
        "目录事项“机构职能 / 机构信息”属于第2版目录，不是现行的第1版；请选择现行目录中的事项"
    )
    theirs = svc.catalogue_publish(
        actor=w.head2,
        catalogue=svc.catalogue_import_xlsx(
            actor=w.registrar2, agency=w.d2, data=workbook(), filename=NAME
        ),
    )
    with pytest.raises(DocumentError) as exc:
        svc.policy_map_catalogue(actor=w.registrar, policy=policy, item=item(theirs, 1))
    assert str(exc.value) == "目录事项“机构职能 / 机构信息”属于其他机关的目录，不能对应本机关的政策"
    for who in (w.secrecy, w.supervisor, w.registrar2):
        with pytest.raises(DocumentError) as exc:
            svc.policy_map_catalogue(actor=who, policy=policy, item=item(draft, 1))
        assert str(exc.value) == ONLY_DRAFTING + "对应目录事项"
    policy.refresh_from_db()
    assert policy.catalogue_item is None


# --- pages ----------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(data: bytes, name: str = NAME) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
def test_index_shows_versions_items_and_import_form(w):
    published(w)
    imported(w, note="拟更新")
    page = client_for(w.registrar).get("/documents/catalogue/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "测试市教育局" in body
    assert "第2版" in body and "拟更新" in body and "草稿" in body
    assert "现行目录事项" in body and "机构名称、职能、内设机构、办公地址、联系方式" in body
    assert 'action="/documents/catalogue/import/"' in body
    assert "发布第2版" not in body  # the registrar does not publish
    assert "style=" not in body and "<script>" not in body
    head = client_for(w.head).get("/documents/catalogue/").content.decode()
    assert "发布第2版" in head


@pytest.mark.django_db
def test_index_is_scoped_to_the_viewer(w):
    published(w)
    svc.catalogue_import_xlsx(
        actor=w.registrar2, agency=w.d2, data=workbook(RENAMED, merges=()), filename=NAME
    )
    mine = client_for(w.registrar2).get("/documents/catalogue/").content.decode()
    assert "测试市自然资源局" in mine and "测试市教育局" not in mine
    sup = client_for(w.supervisor).get("/documents/catalogue/").content.decode()
    assert "测试市自然资源局" in sup and "测试市教育局" in sup
    assert "导入新版本" not in sup  # supervisors read only
    assert client_for(w.outsider).get("/documents/catalogue/").status_code == 404
    d1 = Catalogue.objects.get(agency=w.d1)
    assert client_for(w.registrar2).get(f"/documents/catalogue/{d1.pk}/").status_code == 404
    assert client_for(w.supervisor).get(f"/documents/catalogue/{d1.pk}/").status_code == 200
    first = item(d1, 1)
    assert client_for(w.registrar2).get(f"/documents/catalogue/items/{first.pk}/").status_code == (
        404
    )


@pytest.mark.django_db
def test_import_page_post(w):
    client = client_for(w.registrar)
    page = client.post(
        "/documents/catalogue/import/",
        {"agency": w.d1.pk, "file": upload(workbook()), "note": "首次编制"},
    )
    catalogue = Catalogue.objects.get()
    assert page.status_code == 302
    assert page["Location"] == f"/documents/catalogue/{catalogue.pk}/"
    assert (catalogue.version, catalogue.note, catalogue.items.count()) == (1, "首次编制", 4)
    bad = client.post("/documents/catalogue/import/", {"agency": w.d1.pk, "file": upload(b"x")})
    assert bad.status_code == 400
    assert (
        "无法读取文件“目录.xlsx”：不是有效的 .xlsx 电子表格，或文件已损坏" in bad.content.decode()
    )
    none = client.post("/documents/catalogue/import/", {"agency": w.d1.pk})
    assert "请选择要导入的目录表格" in none.content.decode()
    other = client.post(
        "/documents/catalogue/import/", {"agency": w.d2.pk, "file": upload(workbook())}
    )
    assert "请选择您可以导入目录的机关" in other.content.decode()
    assert Catalogue.objects.count() == 1


@pytest.mark.django_db
def test_publish_page_post(w):
    catalogue = imported(w)
    url = f"/documents/catalogue/{catalogue.pk}/publish/"
    refused = client_for(w.supervisor).post(url, follow=True)
    assert "只有本机关的公开工作机构负责人可以发布主动公开事项目录" in refused.content.decode()
    detail = client_for(w.head).get(f"/documents/catalogue/{catalogue.pk}/").content.decode()
    assert "发布第1版" in detail
    done = client_for(w.head).post(url, follow=True)
    assert "已发布第1版目录" in done.content.decode()
    catalogue.refresh_from_db()
    assert catalogue.published_on is not None
    assert client_for(w.head2).post(url).status_code == 404


@pytest.mark.django_db
def test_unmatched_after_publish_listed_and_mapped_again_on_the_page(w):
    v1 = published(w)
    moved = text(w.d1, title="关于做好政策解读工作的通知").policy
    Policy.objects.filter(pk=moved.pk).update(catalogue_item=item(v1, 4))
    v2 = imported(w, workbook(RENAMED, merges=()))
    published_page = client_for(w.head).post(f"/documents/catalogue/{v2.pk}/publish/", follow=True)
    body = published_page.content.decode()
    assert "已发布第2版目录；1件政策的原目录事项在新版中找不到，请重新对应" in body
    assert "需重新对应目录事项的政策" in body
    assert "《关于做好政策解读工作的通知》" in body and "第1版：政策文件 / 政策解读" in body
    index = client_for(w.registrar).get("/documents/catalogue/").content.decode()
    assert "需重新对应目录事项的政策" in index and "重新对应目录事项" in index
    mapped = client_for(w.registrar).post(
        "/documents/catalogue/map/",
        {"policy_id": moved.pk, "item_id": item(v2, 3).pk, "next": "/documents/catalogue/"},
    )
    assert mapped.status_code == 302 and mapped["Location"] == "/documents/catalogue/"
    moved.refresh_from_db()
    assert moved.catalogue_item == item(v2, 3)
    after = client_for(w.registrar).get("/documents/catalogue/").content.decode()
    assert "需重新对应目录事项的政策" not in after


@pytest.mark.django_db
def test_map_post_from_the_item_page(w):
    v1 = published(w)
    policy = text(w.d1, title="教育收费管理办法").policy
    target = item(v1, 3)
    page = client_for(w.registrar).get(f"/documents/catalogue/items/{target.pk}/")
    assert "对应本事项" in page.content.decode()
    assert "教育收费管理办法" in page.content.decode()
    client = client_for(w.registrar)
    done = client.post(
        "/documents/catalogue/map/",
        {"policy_id": policy.pk, "item_id": target.pk, "next": "https://evil.example/"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/documents/catalogue/"  # not off the site
    assert "已对应目录事项“政策文件 / 行政规范性文件”" in done.content.decode()
    listed = client.get(f"/documents/catalogue/items/{target.pk}/").content.decode()
    assert "取消对应" in listed
    cleared = client.post(
        "/documents/catalogue/map/", {"policy_id": policy.pk, "item_id": ""}, follow=True
    )
    assert "已取消对应的目录事项" in cleared.content.decode()
    policy.refresh_from_db()
    assert policy.catalogue_item is None


@pytest.mark.django_db
def test_map_post_refused_for_read_only_viewers(w):
    v1 = published(w)
    policy = text(w.d1).policy
    for user in (w.supervisor, w.secrecy, w.registrar2):
        page = client_for(user).post(
            "/documents/catalogue/map/",
            {"policy_id": policy.pk, "item_id": item(v1, 1).pk},
            follow=True,
        )
        assert "找不到该政策，或您无权修改它" in page.content.decode()
    policy.refresh_from_db()
    assert policy.catalogue_item is None


@pytest.mark.django_db
def test_registrar_of_two_agencies_cannot_cross_map(w):
    both = member(w.d1, Role.REGISTRAR, username="both")
    Membership.objects.create(user=both, agency=w.d2, role=Role.REGISTRAR)
    published(w)
    theirs = svc.catalogue_publish(
        actor=w.head2,
        catalogue=svc.catalogue_import_xlsx(
            actor=w.registrar2, agency=w.d2, data=workbook(), filename=NAME
        ),
    )
    policy = text(w.d1).policy
    page = client_for(both).post(
        "/documents/catalogue/map/",
        {"policy_id": policy.pk, "item_id": item(theirs, 1).pk},
        follow=True,
    )
    assert (
        "目录事项“机构职能 / 机构信息”属于其他机关的目录，不能对应本机关的政策"
        in page.content.decode()
    )


@pytest.mark.django_db
def test_the_index_leads_back_and_folds_the_import_once_there_is_a_catalogue(w):
    empty = client_for(w.registrar).get("/documents/catalogue/").content.decode()
    assert '<a href="/documents/">文件库</a> › 主动公开事项目录' in empty
    assert '<details class="action import" open id="import">' in empty
    assert '<label for="id_agency">机关 <span class="required" aria-hidden="true">*</span>' in empty
    assert (
        "还没有主动公开事项目录。请在上方导入目录表格（.xlsx），导入后由公开工作机构负责人发布。"
        in (empty)
    )
    published(w)
    body = client_for(w.registrar).get("/documents/catalogue/").content.decode()
    assert '<details class="action import" id="import">' in body
    assert '<a href="/portal/catalogues/CSJY/">门户网站上的目录</a>' in body
    read_only = client_for(w.supervisor).get("/documents/catalogue/").content.decode()
    assert 'id="import"' not in read_only
