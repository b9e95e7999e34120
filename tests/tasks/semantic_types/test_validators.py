from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinylab.tasks.semantic_types.generators import generate
from tinylab.tasks.semantic_types.validators import RULES, apply_rules


@pytest.mark.parametrize("label", sorted(RULES))
def test_every_generated_value_passes_its_own_rule(label):
    rule = RULES[label]
    bad = [v for v in generate(label, 300, seed=123) if not rule(v)]
    assert bad == []


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("identity.payment.credit_card_number", "4111111111111112"),  # Luhn fails
        ("technology.code.imei", "490154203237517"),  # Luhn fails
        ("technology.code.ean", "4006381333932"),  # check digit fails
        ("technology.internet.ip_v4", "256.1.1.1"),
        ("datetime.date.us_slash", "13/05/2020"),  # no 13th month
        ("datetime.date.eu_slash", "05/13/2020"),
        ("datetime.date.iso", "2023-02-29"),  # not a leap year
        ("geography.coordinate.latitude", "-120.5"),
        ("datetime.epoch.unix_seconds", "1700000000000"),  # 13 digits: milliseconds
    ],
)
def test_rules_reject_impossible_values(label, value):
    assert not RULES[label](value)


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("identity.payment.credit_card_number", "4111 1111 1111 1111"),
        ("technology.code.imei", "490154203237518"),
        ("technology.code.ean", "4006381333931"),
        ("technology.code.isbn", "978-3-16-148410-0"),
        ("technology.code.issn", "0317-8471"),
        ("datetime.date.iso", "2024-02-29"),
        # published identifiers of the extended taxonomy's checksummed codes
        ("finance.banking.iban", "GB82 WEST 1234 5698 7654 32"),
        ("finance.banking.iban", "DE89370400440532013000"),
        ("finance.banking.aba_routing", "011000015"),
        ("finance.securities.isin", "US0378331005"),
        ("finance.securities.cusip", "037833100"),
        ("finance.securities.sedol", "0263494"),
        ("finance.securities.lei", "5493001KJTIIGC8Y1R12"),
        ("identity.government.vin", "1M8GDM9AXKP042788"),
        ("identity.government.abn", "51 824 753 556"),
        ("identity.medical.npi", "1234567893"),
        ("identity.commerce.upc", "036000291452"),
        ("identity.academic.orcid", "0000-0002-1825-0097"),
        ("identity.academic.orcid", "https://orcid.org/0000-0001-5109-3700"),
        ("representation.scientific.cas_number", "7732-18-5"),
        ("geography.transportation.iso6346", "CSQU3054383"),
    ],
)
def test_rules_accept_real_values(label, value):
    assert RULES[label](value)


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("finance.banking.iban", "GB82 WEST 1234 5698 7654 33"),
        ("finance.securities.isin", "US0378331006"),
        ("finance.securities.cusip", "037833101"),
        ("finance.securities.sedol", "0263495"),
        ("identity.government.vin", "1M8GDM9A1KP042788"),
        ("identity.government.abn", "51 824 753 557"),
        ("identity.medical.npi", "1234567890"),
        ("identity.commerce.upc", "036000291453"),
        ("identity.academic.orcid", "0000-0002-1825-0098"),
        ("representation.scientific.cas_number", "7732-18-4"),
        ("geography.transportation.iso6346", "CSQU3054384"),
    ],
)
def test_rules_reject_a_wrong_check_digit(label, value):
    assert not RULES[label](value)


def test_apply_rules_moves_probability_to_a_valid_candidate():
    labels = ["identity.payment.credit_card_number", "technology.code.ean"]
    proba = np.array([[0.6, 0.4], [0.6, 0.4]])
    out = apply_rules(["4006381333931", "4111111111111111"], proba, labels)
    assert out[0].tolist() == [0.0, 1.0]  # an EAN that fails Luhn is not a card number
    assert out[1].tolist() == [1.0, 0.0]  # 16 digits are not an EAN
    assert np.allclose(out.sum(axis=1), 1.0)


def test_apply_rules_keeps_ranking_when_everything_is_rejected():
    labels = ["technology.internet.ip_v4", "technology.internet.ip_v6"]
    proba = np.array([[0.7, 0.3]])
    assert apply_rules(["hello"], proba, labels).tolist() == proba.tolist()


@pytest.mark.parametrize(("digits", "ok"), [("79927398713", True), ("79927398710", False), ("4111111111111111", True),
                                             ("490154203237518", True), ("490154203237517", False)])
def test_luhn_known_numbers(digits, ok):
    from tinylab.tasks.semantic_types.validators import luhn_ok

    assert luhn_ok(digits) is ok


def test_figi_rule_on_published_identifiers():
    assert RULES["finance.securities.figi"]("BBG000BLNNH6")  # Apple Inc.
    assert RULES["finance.securities.figi"]("BBG000B9XRY4")
    assert not RULES["finance.securities.figi"]("BBG000BLNNH7")


def _stdlib_ipv4(v: str) -> bool:
    import ipaddress

    try:
        return isinstance(ipaddress.ip_address(v), ipaddress.IPv4Address)
    except ValueError:
        return False


@given(st.one_of(
    st.lists(st.integers(-5, 300).map(str) | st.sampled_from(["00", "01", "007", "", " 1", "١"]), min_size=1,
             max_size=5).map(".".join),
    st.text(alphabet="0123456789.:x ", max_size=20),
))
def test_the_ipv4_rule_accepts_exactly_what_the_standard_library_accepts(v: str):
    assert RULES["technology.internet.ip_v4"](v) == _stdlib_ipv4(v)
