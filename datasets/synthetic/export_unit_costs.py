"""Made-up unit costs, weights and shelf prices of five export products like those of 11.11 2018 (Module 5).

The five products of the case are real (Bisnis.com, 13 Oct 2018), but their costs, weights and
prices in China were never published, so every number here is invented and the products are
generic, not the brands. The table is shaped by real figures: the 2018 exchange rates (World Bank,
IDR 14,236.94 and CNY 6.6160 per US$, so about IDR 2,151.9 per yuan) keep the yuan shelf prices in
line with the rupiah costs; the forwarder ranges for a 20 ft container (US$800-1,500) and for air
freight (US$2.8-6 per kg) make sea cheap per unit and air costly for bulky, cheap goods; and
China's per-order limit for cross-border retail imports (RMB 2,000 until 31 Dec 2018, RMB 5,000
from 1 Jan 2019) binds only for the high-value bird's nest, as in the case.
"""

from __future__ import annotations

import random

# product, category, ex-factory cost IDR, chargeable air kg, units per 20 ft container, shelf price CNY
CENTRES = (
    ("drip coffee, box of 10 sachets", "coffee", 24_000, 0.20, 14_000, 29.0),
    ("dried bird's nest, 50 g gift box", "bird's nest", 950_000, 0.40, 20_000, 880.0),
    ("shrimp crackers, 250 g pack", "crackers", 15_000, 0.60, 7_000, 25.0),
    ("instant fried noodles, pack of 5", "instant noodles", 11_000, 0.55, 9_000, 19.0),
    ("cheese wafers, box of 10", "biscuits", 17_000, 0.35, 12_000, 26.0),
)


def _around(rng: random.Random, centre: float, spread: float = 0.1) -> float:
    return centre * rng.uniform(1 - spread, 1 + spread)


def make(rng: random.Random) -> list[dict]:
    rows = []
    for product, category, cost, kg, per_container, price in CENTRES:
        rows.append({
            "product": product,
            "category": category,
            "ex_factory_cost_idr_per_unit": int(round(_around(rng, cost), -2)),
            "air_chargeable_kg_per_unit": round(_around(rng, kg), 2),
            "units_per_20ft_container": int(round(_around(rng, per_container), -2)),
            "retail_price_cny": round(_around(rng, price, 0.05)),
        })
    return rows
