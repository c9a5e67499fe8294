"""Module 9 slips (capstone). The solution chooses the crackers, so the slips are written for that firm."""

from slip_corpus import Slip

SLIPS = [
    Slip("m09-q1-choice", "the profile name with a capital letter", '''
chosen_product = "Crackers"
'''),
    Slip("m09-q2-score", "the result object instead of its score", '''
card = scorecard.compute(scorecard.ScorecardInputs(
    as_of_year=2018, channel="cbec", units_in_stock=p["units_in_stock"],
    working_capital_months=p["working_capital_months"],
    **{k: p[k] for k in ("platform_registered", "bpom_md_registered", "halal_certified", "chinese_e_label",
                         "logistics_partner", "bonded_warehouse_access", "cross_border_payment",
                         "chinese_storefront", "after_sales_service")}))
score = card
'''),
    Slip("m09-q2-score", "the score rounded to a whole number", '''
card = scorecard.compute(scorecard.ScorecardInputs(
    as_of_year=2018, channel="cbec", units_in_stock=p["units_in_stock"],
    working_capital_months=p["working_capital_months"],
    **{k: p[k] for k in ("platform_registered", "bpom_md_registered", "halal_certified", "chinese_e_label",
                         "logistics_partner", "bonded_warehouse_access", "cross_border_payment",
                         "chinese_storefront", "after_sales_service")}))
score = round(card.score)
'''),
    Slip("m09-q3-supply", "feasible written as text", '''
supply_plan = supply.compute(supply.SupplyInputs(
    units_required=UNITS_REQUIRED, units_in_stock=p["units_in_stock"], daily_capacity_units=p["daily_capacity_units"],
    working_days_per_week=p["working_days_per_week"], production_start=PRODUCTION_START, event_date=EVENT_DATE,
    warehouse_days_before_event=WAREHOUSE_DAYS_BEFORE_EVENT, transit_days=p["transit_days"],
    registration_days_needed=p["registration_days_needed"]))
feasible = "yes" if supply_plan.feasible else "no"
slack_days = supply_plan.slack_days
'''),
    Slip("m09-q3-supply", "the slack as a time difference instead of a number of days", '''
supply_plan = supply.compute(supply.SupplyInputs(
    units_required=UNITS_REQUIRED, units_in_stock=p["units_in_stock"], daily_capacity_units=p["daily_capacity_units"],
    working_days_per_week=p["working_days_per_week"], production_start=PRODUCTION_START, event_date=EVENT_DATE,
    warehouse_days_before_event=WAREHOUSE_DAYS_BEFORE_EVENT, transit_days=p["transit_days"],
    registration_days_needed=p["registration_days_needed"]))
feasible = supply_plan.feasible
slack_days = supply_plan.deadline - supply_plan.warehouse_arrival
'''),
    Slip("m09-q4-price", "forgot to round the price", '''
costs = landed_cost.compute(landed_cost.LandedCostInputs(
    ex_factory_cost_idr_per_unit=p["ex_factory_cost_idr_per_unit"], units_per_shipment=p["units_per_shipment"],
    freight_idr_per_shipment=p["freight_idr_per_shipment"],
    other_costs_idr_per_shipment=p["other_costs_idr_per_shipment"],
    transport_mode=p["transport_mode"], idr_per_cny=IDR_PER_CNY, sale_date=EVENT_DATE, target_margin=TARGET_MARGIN))
price_cny = costs.retail_price_cny_for_target_margin
units_per_order_limit = costs.units_per_order_limit
'''),
    Slip("m09-q4-price", "the per-order limit divided by the price, not a whole number of units", '''
costs = landed_cost.compute(landed_cost.LandedCostInputs(
    ex_factory_cost_idr_per_unit=p["ex_factory_cost_idr_per_unit"], units_per_shipment=p["units_per_shipment"],
    freight_idr_per_shipment=p["freight_idr_per_shipment"],
    other_costs_idr_per_shipment=p["other_costs_idr_per_shipment"],
    transport_mode=p["transport_mode"], idr_per_cny=IDR_PER_CNY, sale_date=EVENT_DATE, target_margin=TARGET_MARGIN))
price_cny = round(costs.retail_price_cny_for_target_margin, 2)
units_per_order_limit = 2000 / price_cny
'''),
    Slip("m09-q5-backlog", "the stock of 10 September instead of what the supply plan delivers", '''
stock_units = p["units_in_stock"]
workers = p["workers_per_shift"]
day = peak_day.compute(peak_day.PeakDayInputs(
    orders_per_minute=(p["expected_orders_11_11"] * order_share).tolist(), units_per_order=p["units_per_order"],
    picks_per_worker_hour=p["picks_per_worker_hour"],
    shifts=((0, 480, workers), (480, 960, workers), (960, 1440, workers)), stock_units=stock_units))
max_backlog_units = round(day.max_backlog_units)
'''),
    Slip("m09-q5-backlog", "the backlog left at midnight instead of the largest", '''
stock_units = UNITS_REQUIRED - supply_plan.shortfall_at_deadline_units
workers = p["workers_per_shift"]
day = peak_day.compute(peak_day.PeakDayInputs(
    orders_per_minute=(p["expected_orders_11_11"] * order_share).tolist(), units_per_order=p["units_per_order"],
    picks_per_worker_hour=p["picks_per_worker_hour"],
    shifts=((0, 480, workers), (480, 960, workers), (960, 1440, workers)), stock_units=stock_units))
max_backlog_units = round(day.end_backlog_units)
'''),
    Slip("m09-q6-plan", "the gaps themselves instead of their keys", '''
plan = {"product": chosen_product, "score": score, "first_gaps": card.gaps[:3], "feasible": feasible,
        "slack_days": slack_days, "warehouse_arrival": supply_plan.warehouse_arrival, "stock_units": stock_units,
        "price_cny": price_cny, "units_per_order_limit": units_per_order_limit, "max_backlog_units": max_backlog_units}
'''),
    Slip("m09-q6-plan", "the ship date instead of the arrival in the warehouse", '''
plan = {"product": chosen_product, "score": score, "first_gaps": [gap.key for gap in card.gaps[:3]],
        "feasible": feasible, "slack_days": slack_days, "warehouse_arrival": supply_plan.ship_date,
        "stock_units": stock_units, "price_cny": price_cny, "units_per_order_limit": units_per_order_limit,
        "max_backlog_units": max_backlog_units}
'''),
]
