"""Module 1 slips (the Singles' Day case)."""

from slip_corpus import Slip

SLIPS = [
    Slip("m01-q1-growth", "a percentage where a fraction is asked", '''
gmv_2018 = gmv.loc[gmv["year"] == 2018, "gmv_rmb_bn"].iloc[0]
growth_2018 = round((gmv_2018 / gmv_2017 - 1) * 100, 1)
'''),
    Slip("m01-q1-growth", "forgot to round", '''
gmv_2018 = gmv.loc[gmv["year"] == 2018, "gmv_rmb_bn"].iloc[0]
growth_2018 = gmv_2018 / gmv_2017 - 1
'''),
    Slip("m01-q2-cagr", "1 / years without brackets", '''
def cagr(start, end, years):
    return (end / start) ** 1 / years - 1
'''),
    Slip("m01-q2-cagr", "^ typed for a power", '''
def cagr(start, end, years):
    return (end / start) ^ (1 / years) - 1
'''),
    Slip("m01-q2-cagr", "forgot return", '''
def cagr(start, end, years):
    rate = (end / start) ** (1 / years) - 1
'''),
    Slip("m01-q3-cagr-2009-2019", "11 years counted, 2009 to 2019 inclusive", '''
gmv_2009 = gmv.loc[gmv["year"] == 2009, "gmv_rmb_bn"].iloc[0]
gmv_2019 = gmv.loc[gmv["year"] == 2019, "gmv_rmb_bn"].iloc[0]
cagr_2009_2019 = round(cagr(gmv_2009, gmv_2019, 2019 - 2009 + 1), 3)
'''),
    Slip("m01-q3-cagr-2009-2019", "forgot to round", '''
gmv_2009 = gmv.loc[gmv["year"] == 2009, "gmv_rmb_bn"].iloc[0]
gmv_2019 = gmv.loc[gmv["year"] == 2019, "gmv_rmb_bn"].iloc[0]
cagr_2009_2019 = cagr(gmv_2009, gmv_2019, 10)
'''),
    Slip("m01-q4-per-day-2020", "the eleven-day total, not per day", '''
row_2020 = gmv.loc[gmv["year"] == 2020].iloc[0]
gmv_per_day_2020 = round(row_2020["gmv_rmb_bn"], 1)
'''),
    Slip("m01-q4-per-day-2020", "forgot to round", '''
row_2020 = gmv.loc[gmv["year"] == 2020].iloc[0]
gmv_per_day_2020 = row_2020["gmv_rmb_bn"] / row_2020["window_days"]
'''),
    Slip("m01-q5-idr-per-cny", "the FRED yuan rate instead of the World Bank's", '''
rates = fx[fx["year"] == 2018]
idr_per_usd = rates.loc[rates["quote_currency"] == "IDR", "rate"].iloc[0]
cny_per_usd = rates.loc[(rates["quote_currency"] == "CNY") & (rates["provider"] == "FRED H.10"), "rate"].iloc[0]
idr_per_cny_2018 = round(idr_per_usd / cny_per_usd, 1)
'''),
    Slip("m01-q5-idr-per-cny", "the rates divided the wrong way round", '''
wb_2018 = fx[(fx["year"] == 2018) & (fx["provider"] == "World Bank WDI")]
idr_per_usd = wb_2018.loc[wb_2018["quote_currency"] == "IDR", "rate"].iloc[0]
cny_per_usd = wb_2018.loc[wb_2018["quote_currency"] == "CNY", "rate"].iloc[0]
idr_per_cny_2018 = round(cny_per_usd / idr_per_usd, 1)
'''),
    Slip("m01-q6-gmv-idr", "billion rupiah left as billion", '''
gmv_2018_rmb_bn = gmv.loc[gmv["year"] == 2018, "gmv_rmb_bn"].iloc[0]
gmv_2018_idr_tn = round(gmv_2018_rmb_bn * idr_per_cny_2018, 1)
'''),
    Slip("m01-q6-gmv-idr", "divided by the rate instead of multiplying", '''
gmv_2018_rmb_bn = gmv.loc[gmv["year"] == 2018, "gmv_rmb_bn"].iloc[0]
gmv_2018_idr_tn = round(gmv_2018_rmb_bn / idr_per_cny_2018, 1)
'''),
    Slip("m01-q7-share-target", "the revenue target instead of the spending target", '''
revenue_target = apbn.loc[(apbn["item"] == "revenue") & (apbn["status"] == "target"), "value_idr_tn"].iloc[0]
share_of_spending_target = round(gmv_2018_idr_tn / revenue_target, 3)
'''),
    Slip("m01-q7-share-target", "a percentage where a fraction is asked", '''
spending_target = apbn.loc[(apbn["item"] == "spending") & (apbn["status"] == "target"), "value_idr_tn"].iloc[0]
share_of_spending_target = round(gmv_2018_idr_tn / spending_target * 100, 1)
'''),
    Slip("m01-q8-share-actual", "the spending target again instead of actual spending", '''
spending = apbn.loc[(apbn["item"] == "spending"), "value_idr_tn"].iloc[0]
share_of_actual_spending = round(gmv_2018_idr_tn / spending, 3)
'''),
    Slip("m01-q8-share-actual", "a percentage where a fraction is asked", '''
actual = apbn[apbn["status"] == "actual"].set_index("item")["value_idr_tn"]
share_of_actual_spending = round(gmv_2018_idr_tn / (actual["revenue"] + actual["deficit"]) * 100, 1)
'''),
]
