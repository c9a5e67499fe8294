"""Module 0 slips (orientation)."""

from slip_corpus import Slip

SLIPS = [
    Slip("m00-q1-stock", "thousands separators typed as commas", '''
papatonk_stock = 1,000,000
'''),
    Slip("m00-q1-stock", "the number typed as text", '''
papatonk_stock = "1000000"
'''),
    Slip("m00-q2-enough", "typed True instead of comparing the variables", '''
stock_is_enough = True
'''),
    Slip("m00-q2-enough", "> where 'at least' needs >=", '''
stock_is_enough = papatonk_stock > units_required
'''),
    Slip("m00-q2-enough", "the comparison turned round", '''
stock_is_enough = units_required >= papatonk_stock
'''),
    Slip("m00-q3-count", "products.shape instead of len(products)", '''
n_products = products.shape
'''),
    Slip("m00-q3-count", "counted the columns", '''
n_products = len(products.columns)
'''),
    Slip("m00-q4-hs", "first row taken without the condition", '''
coffee_hs = products["hs_heading"].iloc[0]
'''),
    Slip("m00-q4-hs", "forgot .iloc[0]: a column, not the text", '''
coffee_hs = products.loc[products["brand"] == "Kapal Api", "hs_heading"]
'''),
]
