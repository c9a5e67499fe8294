"""SYNTHETIC: an invented A/B test of two listings for the store's drip coffee, 18-31 Oct 2018.

The product is the generic "drip coffee" of the invented store of storefront_funnel (coffee was one of the
categories of the five Indonesian products of 11.11 2018: table products_2018; Bisnis.com, 13 Oct 2018); it
carries no brand, and no real listing test was published: every number here is invented, for teaching.
The story: for 14 days before 11.11 the store shows each visitor of the product page one of two
listings, chosen at random (50/50):

    A  the title and image captions machine-translated from the Indonesian listing into Chinese
    B  a title and image captions written in Chinese by a native copywriter for Chinese shoppers

Each row is one day and one variant: visitors (visitors who saw that listing), add_to_cart (visitors who
added the product to the cart) and orders (visitors who paid an order). Visitors per day and variant are
drawn around an invented 700. Orders are binomial-like draws (normal approximation) at an invented true
rate of 2.0 % for A; B's true rate is 2.4 %, plus a novelty bonus of 2.0 percentage points on the first
day that fades away (time constant 2 days: returning visitors react to a new look). Add-to-cart is
drawn at the same invented 9 % for both variants, so any difference in it is chance alone: a second
metric that can still look "significant". The invented rates were chosen so that the table shows the lessons of
the module (an early peek that overstates the effect, a final result whose confidence interval is wide).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

DAYS = 14
VISITORS = 700  # per variant per day, on average (invented)
RATE_A = 0.020
RATE_B = 0.024
NOVELTY = 0.020  # extra rate of B on day 1, fading with a 2-day time constant (invented)
CART_RATE = 0.09


def draw(rng: random.Random, n: int, p: float) -> int:
    """A binomial-like count of successes out of n at rate p (normal approximation)."""
    mean, sd = n * p, math.sqrt(n * p * (1 - p))
    return min(n, max(0, round(rng.gauss(mean, sd))))


def make(rng: random.Random) -> list[dict]:
    rows = []
    for d in range(DAYS):
        day = date(2018, 10, 18) + timedelta(days=d)
        for variant in ("A", "B"):
            visitors = max(1, round(rng.gauss(VISITORS, 40)))
            rate = RATE_A if variant == "A" else RATE_B + NOVELTY * math.exp(-d / 2)
            rows.append({"date": day.isoformat(), "variant": variant, "visitors": visitors,
                         "add_to_cart": draw(rng, visitors, CART_RATE), "orders": draw(rng, visitors, rate)})
    return rows
