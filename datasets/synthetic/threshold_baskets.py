"""SYNTHETIC: baskets of one invented Indonesian snack store on Tmall Global, with and without a "spend X, save Y"
offer.

On 11.11 many stores run offers of the kind "spend X, save Y". The offer here, "spend RMB 199, save RMB 20",
and every basket are invented for teaching; no real store's baskets were published. Two days:

    2018-11-04  an ordinary Sunday, no offer            900 baskets
    2018-11-11  the festival day, spend 199 save 20    2,000 baskets

Each shopper first has a basket value they would buy anyway, drawn from the same invented log-normal
distribution on both days (median RMB 110, log standard deviation 0.5). On the offer day a shopper whose
basket is short of the threshold, but not by much, tops it up to just over RMB 199 (by one more item) with
a probability that rises from 0 at RMB 120 to 70 % just below RMB 199; the top-up overshoots the threshold
by an invented exponential amount (mean RMB 12). The festival day is otherwise the same as the ordinary day,
so in this invented world every change in the baskets is caused by the offer (in real data the festival
itself would change baskets too). Values in RMB, rounded to 0.1.

Columns: basket_id (1, 2, ...), date, offer ("none" or "spend 199 save 20"), basket_value_rmb (the basket before the
discount), discount_rmb (20 if the offer applies and the basket reaches 199, else 0), paid_rmb (basket minus discount).
"""

from __future__ import annotations

import math
import random

THRESHOLD_RMB = 199.0
DISCOUNT_RMB = 20.0
DAYS = (("2018-11-04", "none", 900), ("2018-11-11", "spend 199 save 20", 2000))


def make(rng: random.Random) -> list[dict]:
    rows = []
    for day, offer, count in DAYS:
        for _ in range(count):
            value = math.exp(rng.gauss(math.log(110), 0.5))
            # the draw happens only for baskets in reach of the threshold (`and` short-circuits), as before
            if (offer != "none" and 120 <= value < THRESHOLD_RMB
                    and rng.random() < 0.7 * (value - 120) / (THRESHOLD_RMB - 120)):
                    value = THRESHOLD_RMB + rng.expovariate(1 / 12)
            value = round(value, 1)
            discount = DISCOUNT_RMB if offer != "none" and value >= THRESHOLD_RMB else 0.0
            rows.append({"basket_id": len(rows) + 1, "date": day, "offer": offer, "basket_value_rmb": value,
                         "discount_rmb": discount, "paid_rmb": round(value - discount, 1)})
    return rows
