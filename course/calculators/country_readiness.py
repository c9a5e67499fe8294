"""A country's readiness for B2C e-commerce, after the UNCTAD B2C E-commerce Index.

Assumptions (all stated, none hidden):

* The index is the simple average of four components, each on a 0-100 scale:
  account ownership (% of people aged 15+ with an account, World Bank Global Findex),
  internet users (% of the population, ITU), postal reliability (UPU score, 0-100) and
  secure internet servers. UNCTAD uses the normalised log of secure servers per million
  people; this calculator takes that already-normalised 0-100 score as its input.
* The index is not rounded (UNCTAD publishes one decimal); the sum uses ``math.fsum`` so
  that the same four values in any order give exactly the same index.
* Ranks are competition ranks ("1224"): 1 + the number of peers with a strictly higher
  index, so tied countries share a rank. The country ranked must be among the peers.
* No real country values live here: they come from the course datasets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .validation import InputError, normalise, real

COMPONENTS = ("account_ownership_pct", "internet_users_pct", "postal_reliability_score",
              "secure_servers_score")
# What each input accepts; the widgets read the same rules.
INPUT_RULES = {name: real(0, 100) for name in COMPONENTS}


@dataclass(frozen=True)
class Components:
    account_ownership_pct: float
    internet_users_pct: float
    postal_reliability_score: float
    secure_servers_score: float

    def __post_init__(self) -> None:
        normalise(self, INPUT_RULES)


@dataclass(frozen=True)
class Readiness:
    index: float  # 0..100
    contributions: tuple[tuple[str, float], ...]  # (key, component / 4), summing to the index


@dataclass(frozen=True)
class WhatIf:
    before: float
    after: float
    change: float  # after - before, index points
    components: Components  # after the changes


def _components(value: object, field: str = "components") -> Components:
    """A Components record from itself or from a mapping with exactly the four keys."""
    if isinstance(value, Components):
        return value
    if isinstance(value, Mapping) and set(value) == set(COMPONENTS):
        return Components(**{k: value[k] for k in COMPONENTS})
    raise InputError(field, value, "Components or a mapping with exactly the keys "
                     + ", ".join(COMPONENTS))


def index(components: Components | Mapping[str, float]) -> float:
    """The B2C e-commerce index, the average of the four components (0..100)."""
    c = _components(components)
    return math.fsum(getattr(c, k) for k in COMPONENTS) / 4


def compute(inputs: Components | Mapping[str, float]) -> Readiness:
    """The index and what each component contributes to it."""
    c = _components(inputs)
    return Readiness(index(c), tuple((k, getattr(c, k) / 4) for k in COMPONENTS))


def rank(country: str, peers: Mapping[str, Components | Mapping[str, float]]) -> tuple[int, int]:
    """(rank, number of countries) of ``country`` among ``peers``, competition ranking."""
    if not isinstance(peers, Mapping) or not peers or not all(isinstance(k, str) for k in peers):
        raise InputError("peers", peers, "a non-empty mapping of country name to components")
    if not isinstance(country, str) or country not in peers:
        raise InputError("country", country, "one of the peers: " + ", ".join(sorted(peers)))
    scores = {name: index(_components(c, "peers")) for name, c in peers.items()}
    mine = scores[country]
    return 1 + sum(1 for s in scores.values() if s > mine), len(scores)


def what_if(components: Components | Mapping[str, float], **changes: float) -> WhatIf:
    """The index after setting some components to new values, e.g.
    ``what_if(c, internet_users_pct=60)``; unknown names raise InputError."""
    c = _components(components)
    for name in changes:
        if name not in COMPONENTS:
            raise InputError(name, changes[name], "a change to one of " + ", ".join(COMPONENTS))
    after = replace(c, **changes)
    before_index, after_index = index(c), index(after)
    return WhatIf(before_index, after_index, after_index - before_index, after)

