"""Module 5 slips (landed cost): currencies, rounding, tax-inclusive prices and the combined-rate formula."""

from slip_corpus import Slip

SLIPS = [
    Slip("m05-q1-freight", "left in US dollars (not converted to rupiah)", '''
crackers = by_category.loc["crackers"]
sea_idr_per_unit = round(fcl_usd / crackers["units_per_20ft_container"])
air_idr_per_unit = round(air_usd_per_kg * crackers["air_chargeable_kg_per_unit"])
'''),
    Slip("m05-q1-freight", "the container's price not shared among the packs in it", '''
crackers = by_category.loc["crackers"]
sea_idr_per_unit = round(fcl_usd * idr_per_usd)
air_idr_per_unit = round(air_usd_per_kg * crackers["air_chargeable_kg_per_unit"] * idr_per_usd)
'''),
    Slip("m05-q2-tax-rate", "VAT x 70 % only: the consumption tax ignored", '''
def cbec_tax_rate(vat_rate, consumption_tax_rate):
    return vat_rate * 0.7
'''),
    Slip("m05-q2-tax-rate", "the consumption tax added but the division by (1 - consumption tax) forgotten", '''
def cbec_tax_rate(vat_rate, consumption_tax_rate):
    return (consumption_tax_rate + vat_rate) * 0.7
'''),
    Slip("m05-q2-tax-rate", "70 % written as 70 (a percentage)", '''
def cbec_tax_rate(vat_rate, consumption_tax_rate):
    return (consumption_tax_rate + vat_rate) / (1 - consumption_tax_rate) * 70
'''),
    Slip("m05-q3-tax-in-price", "the rate applied to the tax-inclusive shelf price", '''
rate_2018 = landed_cost.tax_rate(date(2018, 11, 11))
tax_cny = round(coffee["retail_price_cny"] * rate_2018, 2)
'''),
    Slip("m05-q3-tax-in-price", "the rate typed as a percentage (11.2 for 11.2 %)", '''
rate_2018 = 11.2
tax_cny = round(coffee["retail_price_cny"] * rate_2018 / (1 + rate_2018), 2)
'''),
    Slip("m05-q4-landed", "yuan converted with the US$ rate instead of idr_per_cny", '''
nest = by_category.loc["bird's nest"]
freight = air_usd_per_kg * nest["air_chargeable_kg_per_unit"] * 2_000 * idr_per_usd
landed = nest["ex_factory_cost_idr_per_unit"] * 1.003 + freight / 2_000
landed_idr = round(landed)
landed_cny = round(landed / idr_per_usd, 2)
'''),
    Slip("m05-q4-landed", "the whole shipment's freight added to one box", '''
nest = by_category.loc["bird's nest"]
freight = air_usd_per_kg * nest["air_chargeable_kg_per_unit"] * 2_000 * idr_per_usd
landed = nest["ex_factory_cost_idr_per_unit"] * 1.003 + freight
landed_idr = round(landed)
landed_cny = round(landed / idr_per_cny, 2)
'''),
    Slip("m05-q5-price-2018", "the price in rupiah instead of yuan", '''
price_2018 = round(nest_result.retail_price_cny_for_target_margin * idr_per_cny, 2)
'''),
    Slip("m05-q5-price-2018", "the landed cost in rupiah put into the price formula", '''
price_2018 = round(landed_idr / (1 / 1.112 - 0.05 - 0.01 - 0.25), 2)
'''),
    Slip("m05-q6-margin", "a percentage instead of a fraction", '''
coffee_at_shelf = landed_cost.compute(replace(coffee_by_sea, retail_price_cny=coffee["retail_price_cny"]))
coffee_margin = round(coffee_at_shelf.margin_at_price * 100, 1)
'''),
    Slip("m05-q6-margin", "by hand, the subtraction turned round (landed cost - net)", '''
price = coffee["retail_price_cny"]
rate = landed_cost.tax_rate(date(2018, 11, 11))
net = price - price * rate / (1 + rate) - 0.05 * price - 0.01 * price
coffee_margin = round((coffee_result.landed_cost_cny_per_unit - net) / price, 3)
'''),
    Slip("m05-q7-order-limit", "not rounded down to whole boxes", '''
nest_price = nest["retail_price_cny"]
units_2018 = 2_000 / (nest_price / (1 + landed_cost.tax_rate(date(2018, 11, 11))))
units_2019 = 5_000 / (nest_price / (1 + landed_cost.tax_rate(date(2019, 11, 11))))
'''),
    Slip("m05-q7-order-limit", "the two years' limits swapped", '''
nest_price = nest["retail_price_cny"]
units_2018 = math.floor(5_000 / (nest_price / (1 + landed_cost.tax_rate(date(2019, 11, 11)))))
units_2019 = math.floor(2_000 / (nest_price / (1 + landed_cost.tax_rate(date(2018, 11, 11)))))
'''),
    Slip("m05-q8-price-2019", "the price in rupiah instead of yuan", '''
nest_2019 = landed_cost.compute(replace(nest_by_air, sale_date=date(2019, 11, 11)))
price_2019 = round(nest_2019.retail_price_cny_for_target_margin * idr_per_cny, 2)
'''),
    Slip("m05-q8-price-2019", "the landed cost in rupiah put into the price formula", '''
price_2019 = round(landed_idr / (1 / 1.091 - 0.05 - 0.01 - 0.25), 2)
'''),
]
