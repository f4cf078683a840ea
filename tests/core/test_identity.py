"""Identity numbers (GB 11643, GB 32100), mobile numbers and masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.identity import (
    USCC_CHARS,
    IdentityError,
    check_credit_code,
    check_mobile,
    check_resident_id,
    id_check_char,
    mask_credit_code,
    mask_mobile,
    mask_name,
    mask_resident_id,
    uscc_check_char,
)


def test_the_standards_own_example_id_is_valid():
    assert check_resident_id("11010519491231002x") == "11010519491231002X"
    assert check_resident_id(" 110105 19491231 002X ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1101051949123100", "应为18位，收到16位"),
        ("11010519491231002Y", "最后一位为数字或X"),
        ("99010519491231002X", "地址码“990105”"),
        ("110105194902300021", "出生日期“19490230”不是有效日期"),
        ("110105189912310021", "不合理"),
        ("110105194912310021", "校验码错误：最后一位应为X，实际为1"),
    ],
)
def test_bad_ids_say_what_is_wrong(value, message):
    with pytest.raises(IdentityError, match=message):
        check_resident_id(value)


def test_birth_in_the_future_is_refused():
    first17 = "11010520300101002"
    with pytest.raises(IdentityError, match="不合理"):
        check_resident_id(first17 + id_check_char(first17), today=date(2026, 11, 23))


@pytest.mark.parametrize("code", ["91110108551385082Q", "914403001922038216", "91350100M000100Y43"])
def test_real_credit_codes(code):
    assert check_credit_code(code.lower()) == code


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9111010855138508", "应为18位"),
        ("91110108551385O82Q", "不允许的字符：O"),
        ("91AB0108551385082Q", "第3—8位"),
        ("91110108551385082A", "校验码错误：最后一位应为Q"),
    ],
)
def test_bad_credit_codes(value, message):
    with pytest.raises(IdentityError, match=message):
        check_credit_code(value)


@given(
    st.text(alphabet=USCC_CHARS, min_size=17, max_size=17).map(lambda s: s[:2] + "370202" + s[8:])
)
def test_any_code_with_its_check_character_is_valid(first17):
    code = first17 + uscc_check_char(first17)
    assert check_credit_code(code) == code


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("8619912345678", "19912345678"),
    ],
)
def test_mobile_numbers(value, normal):
    assert check_mobile(value) == normal


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "0532-88888888"])
def test_bad_mobile_numbers(value):
    with pytest.raises(IdentityError, match="手机号码"):
        check_mobile(value)


def test_masking():
    assert mask_resident_id("370202199001011237") == "3702**********1237"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_credit_code("91110108551385082Q") == "91110108*********Q"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳明月") == "欧**月"
    assert mask_name("李") == "李"
