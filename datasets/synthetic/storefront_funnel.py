"""SYNTHETIC: daily shopping funnel of five Indonesian products in one invented Tmall Global store, 1-11 Nov 2018.

The products are generic, one in each category of the five Indonesian products of 11.11 2018 (instant
noodles, coffee, biscuits and wafers, crackers, bird's nest: table products_2018; Bisnis.com, 13 Oct 2018).
They carry no brand: synthetic data never wears a real firm's name, and no real product's funnel or sales
at 11.11 2018 were published. Every count here is invented. The table is only shaped by the case: traffic
rises towards 11 November and jumps on the day itself (the festival's peak, see milestones_2018), and the
dried bird's nest, by far the dearest product, converts worst at the later steps.

Funnel steps, each a subset of the one before:
    views -> product_page_visits -> add_to_cart -> checkouts -> paid_orders
views: times the product was shown in search results or feeds; product_page_visits: visits to its page;
add_to_cart: visits that put it in the cart; checkouts: carts that reached the payment page; paid_orders:
checkouts that were paid. Each day's views are drawn around an invented base that grows towards 11.11;
each later step is a binomial-like draw (normal approximation) from the step before, at an invented
product-specific rate with a small day-to-day wobble, rounded to whole numbers.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

# product (generic, no brand): (base views per day, view->page, page->cart, cart->checkout, checkout->paid)
# -- all invented
PRODUCTS = {
    "instant noodles": (42_000, 0.045, 0.130, 0.58, 0.88),
    "drip coffee": (30_000, 0.038, 0.105, 0.55, 0.86),
    "cheese wafers": (36_000, 0.042, 0.120, 0.56, 0.87),
    "shrimp crackers": (33_000, 0.040, 0.115, 0.52, 0.86),
    "dried bird's nest": (18_000, 0.036, 0.095, 0.45, 0.66),
}
# traffic multiplier for 1..11 Nov: warm-up, then the day itself
TRAFFIC = (1.0, 1.0, 1.1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.7, 2.0, 7.5)


def draw(rng: random.Random, n: int, p: float) -> int:
    """A binomial-like count of successes out of n at rate p (normal approximation)."""
    mean, sd = n * p, math.sqrt(n * p * (1 - p))
    return min(n, max(0, round(rng.gauss(mean, sd))))


def make(rng: random.Random) -> list[dict]:
    rows = []
    for offset, boost in enumerate(TRAFFIC):
        day = date(2018, 11, 1) + timedelta(days=offset)
        for product, (base, *rates) in PRODUCTS.items():
            counts = [max(1, round(rng.gauss(base * boost, base * boost * 0.06)))]
            for rate in rates:
                wobble = rate * max(0.5, rng.gauss(1.0, 0.05))
                counts.append(draw(rng, counts[-1], min(0.99, wobble)))
            views, page, cart, checkout, paid = counts
            rows.append({"date": day.isoformat(), "product": product, "views": views,
                         "product_page_visits": page, "add_to_cart": cart, "checkouts": checkout,
                         "paid_orders": paid})
    return rows
