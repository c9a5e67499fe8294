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
    Slip("m07-q1-step-rates", "add to cart divided by views instead of by the step before", '''
rates = totals[[]].copy()
rates["page_rate"] = (totals["product_page_visits"] / totals["views"]).round(3)
rates["cart_rate"] = (totals["add_to_cart"] / totals["views"]).round(3)
rates["checkout_rate"] = (totals["checkouts"] / totals["add_to_cart"]).round(3)
rates["paid_rate"] = (totals["paid_orders"] / totals["checkouts"]).round(3)
'''),
    Slip("m07-q2-overall", "a fraction where a percentage is asked", '''
store = totals.sum()
overall_conversion_pct = round(store["paid_orders"] / store["views"], 3)
'''),
    Slip("m07-q2-overall", "forgot to round", '''
store = totals.sum()
overall_conversion_pct = store["paid_orders"] / store["views"] * 100
'''),
    Slip("m07-q3-weakest", "the whole ratio column instead of the name of its smallest entry", '''
weakest_step = rates.loc["dried bird's nest"] / store_rates
'''),
    Slip("m07-q3-weakest", "the product's name instead of the step's", '''
weakest_step = "dried bird's nest"
'''),
    Slip("m07-q4-above-below", "above and below swapped", '''
above = offer_day["basket_value_rmb"] >= 199
mean_below = round(offer_day.loc[above, "basket_value_rmb"].mean(), 1)
mean_above = round(offer_day.loc[~above, "basket_value_rmb"].mean(), 1)
'''),
    Slip("m07-q4-above-below", "forgot to round", '''
above = offer_day["basket_value_rmb"] >= 199
mean_above = offer_day.loc[above, "basket_value_rmb"].mean()
mean_below = offer_day.loc[~above, "basket_value_rmb"].mean()
'''),
    Slip("m07-q5-z-statistic", "A minus B instead of B minus A", '''
def z_statistic(orders_a, visitors_a, orders_b, visitors_b):
    rate_a = orders_a / visitors_a
    rate_b = orders_b / visitors_b
    pooled = (orders_a + orders_b) / (visitors_a + visitors_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / visitors_a + 1 / visitors_b))
    return (rate_a - rate_b) / se
'''),
    Slip("m07-q5-z-statistic", "each rate divided by the other group's visitors", '''
def z_statistic(orders_a, visitors_a, orders_b, visitors_b):
    rate_a = orders_a / visitors_b
    rate_b = orders_b / visitors_a
    pooled = (orders_a + orders_b) / (visitors_a + visitors_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / visitors_a + 1 / visitors_b))
    return (rate_b - rate_a) / se
'''),
    Slip("m07-q5-z-statistic", "forgot return", '''
def z_statistic(orders_a, visitors_a, orders_b, visitors_b):
    rate_a = orders_a / visitors_a
    rate_b = orders_b / visitors_b
    pooled = (orders_a + orders_b) / (visitors_a + visitors_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / visitors_a + 1 / visitors_b))
    z = (rate_b - rate_a) / se
'''),
    Slip("m07-q6-p-value", "erf without 1 -", '''
z_test = z_statistic(by_variant.loc["A", "orders"], by_variant.loc["A", "visitors"],
                     by_variant.loc["B", "orders"], by_variant.loc["B", "visitors"])
p_value = round(math.erf(abs(z_test) / math.sqrt(2)), 4)
'''),
    Slip("m07-q6-p-value", "forgot to round", '''
z_test = z_statistic(by_variant.loc["A", "orders"], by_variant.loc["A", "visitors"],
                     by_variant.loc["B", "orders"], by_variant.loc["B", "visitors"])
p_value = 1 - math.erf(abs(z_test) / math.sqrt(2))
'''),
    Slip("m07-q7-interval", "a fraction instead of percentage points", '''
n_a, n_b = by_variant.loc["A", "visitors"], by_variant.loc["B", "visitors"]
p_a, p_b = by_variant.loc["A", "orders"] / n_a, by_variant.loc["B", "orders"] / n_b
se_diff = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
ci_low_pp = round(p_b - p_a - 1.96 * se_diff, 2)
ci_high_pp = round(p_b - p_a + 1.96 * se_diff, 2)
'''),
    Slip("m07-q7-interval", "A minus B", '''
n_a, n_b = by_variant.loc["A", "visitors"], by_variant.loc["B", "visitors"]
p_a, p_b = by_variant.loc["A", "orders"] / n_a, by_variant.loc["B", "orders"] / n_b
se_diff = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
ci_low_pp = round((p_a - p_b - 1.96 * se_diff) * 100, 2)
ci_high_pp = round((p_a - p_b + 1.96 * se_diff) * 100, 2)
'''),
    Slip("m07-q8-decision", "a capital letter the choices do not have", '''
decision = "Ship B" if p_value < 0.05 and ci_low_pp > 0.1 else "Keep A"
'''),
]
