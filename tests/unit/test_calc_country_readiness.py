"""Worked examples for course.calculators.country_readiness, on made-up countries."""

import pytest

from course.calculators.country_readiness import Components, compute, index, rank, what_if
from course.calculators.validation import InputError

# Obviously made-up countries (no real values).
ALPHA = Components(10, 20, 30, 40)
BETA = Components(40, 30, 20, 10)
GAMMA = Components(50, 50, 50, 50)
DELTA = Components(0, 0, 0, 0)
PEERS = {"Alpha": ALPHA, "Beta": BETA, "Gamma": GAMMA, "Delta": DELTA}


def test_index_is_the_simple_average():
    assert index(ALPHA) == 25.0  # (10 + 20 + 30 + 40) / 4
    assert index({"account_ownership_pct": 80, "internet_users_pct": 60,
                  "postal_reliability_score": 40, "secure_servers_score": 20}) == 50.0  # 200 / 4
    r = compute(ALPHA)
    assert r.index == 25.0 and dict(r.contributions)["secure_servers_score"] == 10.0  # 40 / 4


def test_competition_ranking_1224():
    # Gamma 50; Alpha 25 and Beta 25 tie; Delta 0 -> 1, 2, 2, 4
    assert [rank(name, PEERS) for name in ("Gamma", "Alpha", "Beta", "Delta")] == \
        [(1, 4), (2, 4), (2, 4), (4, 4)]


def test_what_if():
    w = what_if(ALPHA, internet_users_pct=60)
    assert (w.before, w.after, w.change) == (25.0, 35.0, 10.0)  # (10 + 60 + 30 + 40) / 4 = 35
    assert w.components.internet_users_pct == 60 and ALPHA.internet_users_pct == 20
    assert what_if(ALPHA).change == 0.0


def test_ties_are_exact_whatever_the_order():
    a = Components(0.1, 0.2, 0.3, 70.7)
    b = Components(70.7, 0.3, 0.2, 0.1)
    assert index(a) == index(b)
    assert rank("a", {"a": a, "b": b}) == rank("b", {"a": a, "b": b}) == (1, 2)


@pytest.mark.parametrize("call, field", [
    (lambda: Components(101, 0, 0, 0), "account_ownership_pct"),
    (lambda: Components(0, float("nan"), 0, 0), "internet_users_pct"),
    (lambda: Components(0, 0, "50", 0), "postal_reliability_score"),
    (lambda: Components(0, 0, 0, None), "secure_servers_score"),
    (lambda: index({"account_ownership_pct": 1}), "components"),
    (lambda: index([1, 2, 3, 4]), "components"),
    (lambda: rank("Omega", PEERS), "country"),
    (lambda: rank("Alpha", {}), "peers"),
    (lambda: rank("Alpha", {"Alpha": "high"}), "peers"),
    (lambda: what_if(ALPHA, gdp=5), "gdp"),
    (lambda: what_if(ALPHA, postal_reliability_score=-1), "postal_reliability_score"),
])
def test_bad_inputs_name_the_field(call, field):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.field == field
