"""Module 7 slips (storefront analytics)."""

from slip_corpus import Slip

SLIPS = [
    Slip("m07-q1-step-rates", "product left as a column after reset_index", '''
rates = totals[[]].copy()
rates["page_rate"] = (totals["product_page_visits"] / totals["views"]).round(3)
rates["cart_rate"] = (totals["add_to_cart"] / totals["product_page_visits"]).round(3)
rates["checkout_rate"] = (totals["checkouts"] / totals["add_to_cart"]).round(3)
rates["paid_rate"] = (totals["paid_orders"] / totals["checkouts"]).round(3)
rates = rates.reset_index()
'''),
    Slip("m07-q2-overall", "a fraction where a percentage is asked", '''
store = totals.sum()
overall_conversion_pct = round(store["paid_orders"] / store["views"], 3)
'''),
]
