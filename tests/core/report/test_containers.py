"""HTML (Word-exported, merged cells, split labels) and PDF files read like the text layouts."""

from __future__ import annotations

import io
import json
from pathlib import Path

from gongkai.core.report import CellState, parse_bytes, read_report_bytes
from gongkai.core.report.schema import TABLE3_COLUMN_KEYS, TABLE3_ROWS, table3_id

GOLDEN = Path(__file__).parent / "golden"
GROUP_SPANS = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}


def _golden(name: str) -> dict:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def _split_span(label: str) -> str:
    """Word splits runs mid-label: 属于国家<span>秘密</span>, with a <br> in long ones."""
    mid = len(label) // 2
    return f"<p><span lang=ZH-CN>{label[:mid]}</span><span>{label[mid:]}</span></p>"


def _word_html(exp: dict, blank: str | None = None) -> str:
    rows = []
    seen_groups: set[str] = set()
    for key, group, label in TABLE3_ROWS:
        cells = []
        if group.startswith("三、") and "三" not in seen_groups:
            cells.append(f'<td rowspan=22 style="mso-x">{_split_span(group)}</td>')
            seen_groups.add("三")
        if group in GROUP_SPANS and group not in seen_groups:
            cells.append(f"<td rowspan={GROUP_SPANS[group]}>{_split_span(group)}</td>")
            seen_groups.add(group)
        span = 3 if not group else (2 if group.startswith("三、") else 1)
        cells.append(f"<td colspan={span}>{_split_span(label)}</td>")
        for col, v in zip(TABLE3_COLUMN_KEYS, exp["table3"][key], strict=True):
            text = "&nbsp;" if table3_id(key, col) == blank else str(v)
            cells.append(f"<td><p align=center><span>{text}</span></p></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    t4 = "".join(f"<td>{v}</td>" for v in exp["table4"])
    return f"""<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8"><style>p{{margin:0}}</style></head>
<body><h1>{exp["agency"]}{exp["year"]}年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>本年度全年新收到政府信息公开申请{exp["table3"]["new"][6]}件。</p>
<p>二、主动公开政府信息情况</p><table border=1>
<tr><td colspan=4>第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>{exp["table2"][0]}</td><td>{exp["table2"][1]}</td><td>{exp["table2"][2]}</td></tr>
<tr><td>行政规范性<br>文件</td><td>{exp["table2"][3]}</td><td>{exp["table2"][4]}</td><td>{exp["table2"][5]}</td></tr>
<tr><td colspan=4>第二十条第（五）项</td></tr><tr><td>信息内容</td><td colspan=3>本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan=3>{exp["table2"][6]}</td></tr>
<tr><td colspan=4>第二十条第（六）项</td></tr><tr><td>信息内容</td><td colspan=3>本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan=3>{exp["table2"][7]}</td></tr><tr><td>行政强制</td><td colspan=3>{exp["table2"][8]}</td></tr>
<tr><td colspan=4>第二十条第（八）项</td></tr><tr><td>信息内容</td><td colspan=3>本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td colspan=3>{exp["table2"][9]}</td></tr></table>
<p>三、收到和处理政府信息公开申请情况</p><table border=1>
<tr><td rowspan=3 colspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
<td colspan=7>申请人情况</td></tr>
<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
{"".join(rows)}</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p><table border=1>
<tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>
<tr><td rowspan=2>结果<br>维持</td><td rowspan=2>结果纠正</td><td rowspan=2>其他结果</td>
<td rowspan=2>尚未审结</td><td rowspan=2>总计</td><td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr>
<tr>{"<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>" * 2}</tr>
<tr>{t4}</tr></table>
<p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p>
<script>var x = "一、本年新收 1 2 3";</script></body></html>"""


def _values(report) -> dict:
    return {
        k: [report.value(table3_id(k, c)) for c in TABLE3_COLUMN_KEYS] for k, _, _ in TABLE3_ROWS
    }


def test_word_html_reads_every_number() -> None:
    exp = _golden("qingdao-2024.json")
    report = read_report_bytes(_word_html(exp).encode("utf-8"), name="qingdao.htm")
    assert report.layout == "html/tab"
    assert _values(report) == exp["table3"]
    assert [
        report.value(f"table4.reconsideration.{c}")
        for c in ("upheld", "corrected", "other", "pending", "total")
    ] == exp["table4"][:5]
    assert report.value("table2.normative.in_force") == 318
    assert report.errors == []


def test_word_html_in_gbk_with_blank_cell() -> None:
    exp = _golden("boshan-2024.json")
    html = _word_html(exp, blank="table3.granted.natural_person")
    report = read_report_bytes(html.replace("utf-8", "gb2312").encode("gb18030"), name="b.htm")
    cell = report.cell("table3.granted.natural_person")
    assert cell.state is CellState.BLANK and cell.value is None
    assert report.value("table3.granted.total") == 40
    codes = [f.code for f in report.findings]
    assert "CELL_BLANK" in codes
    assert "T3_ROW_SUM" not in codes  # a blank is unknown: the identity is not checked


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y, page = 800, 1
    for line in lines:
        if y < 60:
            c.drawString(280, 30, f"- {page} -")
            c.showPage()
            y, page = 800, page + 1
        c.setFont("STSong-Light", 9)
        c.drawString(40, y, line)
        y -= 14
    c.drawString(280, 30, f"- {page} -")
    c.save()
    return buf.getvalue()


def test_pdf_file_reads_every_number() -> None:
    exp = _golden("jinan-office-2024.json")
    t2 = exp["table2"]
    lines = [
        f"{exp['agency']}{exp['year']}年政府信息公开工作年度报告",
        "一、总体情况",
        "全年共受理政府信息公开申请543件。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        f"规章 {t2[0]} {t2[1]} {t2[2]}",
        f"行政规范性文件 {t2[3]} {t2[4]} {t2[5]}",
        "第二十条第（五）项",
        f"行政许可 {t2[6]}",
        "第二十条第（六）项",
        f"行政处罚 {t2[7]}",
        f"行政强制 {t2[8]}",
        "第二十条第（八）项",
        f"行政事业性收费 {t2[9]}",
        "三、收到和处理政府信息公开申请情况",
        "申请人情况 自然人 法人或其他组织 总计",
        "商业企业 科研机构 社会公益组织 法律服务机构 其他",
    ]
    for key, _group, label in TABLE3_ROWS:
        lines.append(f"{label} " + " ".join(map(str, exp["table3"][key])))
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        "结果维持 结果纠正 其他结果 尚未审结 总计",
        " ".join(map(str, exp["table4"])),
        "五、存在的主要问题及改进情况",
        "无。",
        "六、其他需要报告的事项",
        "无。",
    ]
    report = parse_bytes(_pdf(lines), name="jinan.pdf")
    assert report.layout == "pdf/space"
    assert _values(report) == exp["table3"]
    assert report.value("table2.rules.in_force") == 66
    assert [report.value(f"table4.reconsideration.{c}") for c in ("upheld", "total")] == [0, 0]
