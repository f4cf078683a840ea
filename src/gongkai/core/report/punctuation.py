"""Chinese punctuation restored in prose that a reader normalised to half-width.

The report reader compares labels and numbers after NFKC normalisation (:func:`.text.normalize`),
which turns the full-width “，；：（）” of Chinese text into ASCII “,;:()”. That is right
for matching, wrong for showing: a narrative read from a published report should read as
it was published, with the full-width punctuation GB/T 15834-2011《标点符号用法》 prescribes
for Chinese text. :func:`chinese_punctuation` puts it back where the text around is Chinese
and leaves figures (“1,234”, “10:30”), addresses and Latin text alone.
"""

from __future__ import annotations

import re

#: Chinese characters and the full-width punctuation and quotation marks that go with them.
_CN = r"\u3000-\u303f\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019"
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
#: A mark with Chinese just before it (spaces allowed), or just after it.
_AFTER_CN = re.compile(rf"(?<=[{_CN}])[ \t]*([,;:?!])[ \t]*")
_BEFORE_CN = re.compile(rf"[ \t]*([,;:?!])[ \t]*(?=[{_CN}])")
#: Brackets around text with a Chinese character in it (innermost first), or opened right
#: after Chinese (“青岛政务网(www.qingdao.gov.cn)” is Chinese text with an address inside).
_BRACKETS = re.compile(rf"\(([^()\n]*[{_CN}][^()\n]*)\)|(?<=[{_CN}])\(([^()\n]*)\)")


def chinese_punctuation(text: str) -> str:
    """``text`` with “,;:?!” next to Chinese and “()” around or after Chinese made
    full-width."""
    text = _AFTER_CN.sub(lambda m: _FULL[m.group(1)], text)
    text = _BEFORE_CN.sub(lambda m: _FULL[m.group(1)], text)
    while True:
        done = _BRACKETS.sub(lambda m: f"（{m.group(1) or m.group(2) or ''}）", text)
        if done == text:
            return text
        text = done
