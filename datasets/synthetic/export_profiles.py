"""SYNTHETIC: five invented export profiles for the capstone (Module 9), one per product category of 11.11 2018.

The categories are real: instant noodles, coffee, biscuits and wafers, crackers and bird's nest were the
categories of the five Indonesian products announced on 13 October 2018 (Bisnis.com). The firms and every
number are invented; no brand's costs, stock or capacity were published. The descriptions name no town
or brand, so that no firm reads as a real maker of the case. Real figures shape them:

* the case's conditions: 1,000,000 units of each product, registered on the platform, in the warehouse
  on time (Kumparan, 6 Sep 2018; Bisnis.com, 13 Oct 2018), so stock and daily capacity are sized around
  a production run of a few weeks from September 2018, some in time and some not;
* ex-factory costs and pack sizes follow the invented but course-wide products of Module 5
  (datasets/export_unit_costs.csv); the bird's nest profile is a drink, so that a million units is
  conceivable (Indonesia's protocol exports of dried nest to China were 52 t in 2017, Antara);
* sea freight per 20 ft container is about US$1,100, inside the forwarders' range of US$800-1,500
  (zhuquejiyun.com, about 2024, low confidence), at IDR 14,236.94 per US$ (World Bank, 2018 average):
  Rp 15,700,000; air freight is about US$4 per chargeable kg (range US$2.8-6, same source);
* transit days include the trucking to the port, the sea leg (Shanghai-Surabaya is 8-11 days port to
  port, Japan Press 2018) and clearance into a bonded warehouse.

Values are set by hand, not drawn at random (the rng is unused), so that the profiles differ: some are
feasible and some late, some have a few scorecard gaps and some many. Scorecard flags describe the
firm's readiness in September 2018. ``product_group`` is the scorecard's group for China's rules on
foreign food facilities (course.calculators.scorecard.PRODUCT_GROUPS): bird's nest could only be shipped
by exporters registered with China's authorities under the Indonesia-China protocol of 24 April 2012
(see datasets/changes_since_2018.csv), the other four needed no facility registration before 2022. No
firm is registered in September 2018 (``china_facility_registered``), so the bird's-nest firm has that gap.
"""

from __future__ import annotations

import random

COLUMNS = (
    "profile", "category", "description", "ex_factory_cost_idr_per_unit", "units_in_stock",
    "daily_capacity_units", "working_days_per_week", "registration_days_needed", "transit_days",
    "transport_mode", "units_per_shipment", "freight_idr_per_shipment", "other_costs_idr_per_shipment",
    "expected_orders_11_11", "units_per_order", "workers_per_shift", "picks_per_worker_hour",
    "platform_registered", "bpom_md_registered", "halal_certified", "chinese_e_label",
    "logistics_partner", "bonded_warehouse_access", "cross_border_payment", "chinese_storefront",
    "after_sales_service", "working_capital_months", "product_group", "china_facility_registered",
)
YES, NO = "true", "false"
PROFILES = (
    ("crackers", "crackers", "shrimp crackers, 250 g pack; a small family firm",
     15_000, 550_000, 30_000, 6, 0, 14, "sea", 7_000, 15_700_000, 5_000_000,
     60_000, 4, 120, 100,
     YES, YES, YES, NO, YES, NO, NO, NO, NO, 2.0, "other_food", NO),
    ("coffee", "coffee", "drip coffee, box of 10 sachets; a small roaster that flies its boxes",
     24_000, 200_000, 45_000, 5, 14, 6, "air", 10_000, 114_000_000, 6_000_000,
     35_000, 2, 40, 90,
     NO, YES, YES, YES, YES, YES, YES, NO, NO, 4.0, "other_food", NO),
    ("noodles", "instant noodles", "instant fried noodles, pack of 5; a large food group",
     11_000, 700_000, 120_000, 6, 0, 16, "sea", 9_000, 15_700_000, 5_000_000,
     200_000, 6, 300, 120,
     YES, YES, YES, YES, YES, YES, YES, YES, NO, 8.0, "other_food", NO),
    ("wafers", "biscuits and wafers", "cheese wafers, box of 10; a mid-sized biscuit maker",
     17_000, 350_000, 40_000, 6, 7, 16, "sea", 12_000, 15_700_000, 5_000_000,
     80_000, 3, 80, 100,
     NO, YES, YES, NO, YES, NO, YES, YES, NO, 3.0, "other_food", NO),
    ("birds_nest", "bird's nest", "bird's nest drink, gift box of 6 bottles; a swiftlet-nest processor",
     120_000, 150_000, 30_000, 5, 14, 12, "sea", 6_000, 15_700_000, 8_000_000,
     25_000, 2, 30, 80,
     NO, YES, NO, YES, YES, YES, YES, YES, YES, 6.0, "birds_nest", NO),
)


def make(rng: random.Random) -> list[dict]:
    del rng  # hand-set values: see the docstring
    return [dict(zip(COLUMNS, values, strict=True)) for values in PROFILES]
