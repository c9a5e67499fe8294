"""Six made-up Indonesian cracker and snack producers who could pool one 11.11 order (Module 4).

No producer's real stock or capacity was published, so every row here is invented. The table is
shaped by the real figures of the case: Alibaba asked for at least 1,000,000 units of a product in
its warehouse (Kumparan, Bisnis.com, 2018); Papatonk alone had 1,000,000 pieces of shrimp crackers
ready (Kumparan, 6 Sep 2018); the invitation became public on Thursday 6 September 2018, so no
producer here starts before Monday 10 September 2018; and stock had to reach the warehouse one to
two months before 11 November (Kompas, 2019). The ranges are chosen so that no single producer can
make the million by late September, while the six together come close: the question of Module 4.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

PRODUCTS = ("shrimp crackers", "fish crackers", "shrimp crackers", "cassava crackers",
            "shrimp crackers", "fish crackers")
FIRST_START = date(2018, 9, 10)  # the Monday after the invitation was made public


def make(rng: random.Random) -> list[dict]:
    rows = []
    for k, product in enumerate(PRODUCTS):
        start = FIRST_START + timedelta(days=rng.choice((0, 0, 1, 2, 7)))
        rows.append({
            "producer": f"Producer {'ABCDEF'[k]}",
            "product": product,
            "units_in_stock": rng.randrange(0, 120_001, 10_000),
            "daily_capacity_units": rng.randrange(5_000, 14_001, 500),
            "working_days_per_week": rng.choice((5, 5, 6)),
            "earliest_start": start.isoformat(),
        })
    return rows
