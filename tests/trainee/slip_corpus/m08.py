"""Module 8 slips (payments and digital public services)."""

from slip_corpus import Slip

_COUNTS_SWAPPED = '''
def confusion_counts(eligible, receives):
    counts = {"eligible_receiving": 0, "eligible_not_receiving": 0,
              "ineligible_receiving": 0, "ineligible_not_receiving": 0}
    for e, r in zip(eligible, receives):
        if e and r:
            counts["eligible_receiving"] += 1
        elif e:
            counts["ineligible_receiving"] += 1
        elif r:
            counts["eligible_not_receiving"] += 1
        else:
            counts["ineligible_not_receiving"] += 1
    return counts
'''

SLIPS = [
    Slip("m08-q1-net-settlement", "forgot to deduct the commission and the fee", '''
net_settlement_cny = round(50_000.0, 2)
'''),
    Slip("m08-q1-net-settlement", "rates typed as percentages", '''
net_settlement_cny = round(50_000 * (1 - 5 - 1), 2)
'''),
    Slip("m08-q2-settlement-idr", "divided by the rate instead of multiplying", '''
settlement_idr_at_average = round(net_settlement_cny / idr_per_cny_2018)
'''),
    Slip("m08-q2-settlement-idr", "thousands of rupiah instead of rupiah", '''
settlement_idr_at_average = round(net_settlement_cny * idr_per_cny_2018 / 1000)
'''),
    Slip("m08-q3-fx-loss", "the loss as a negative number", '''
fx_loss_idr = round(net_settlement_cny * (idr_per_cny_settlement - idr_per_cny_2018))
'''),
    Slip("m08-q3-fx-loss", "the loss as a percentage instead of rupiah", '''
fx_loss_idr = round((idr_per_cny_2018 - idr_per_cny_settlement) / idr_per_cny_2018 * 100)
'''),
    Slip("m08-q4-per-family-year", "the monthly benefit, not the yearly", '''
bpnt_per_family_year_idr = int(aid.loc[aid["key"] == "bpnt_benefit_idr_per_month", "figure"].iloc[0])
'''),
    Slip("m08-q5-budget-2018", "rupiah instead of trillion rupiah", '''
families_2018 = aid.loc[aid["key"] == "bpnt_plan_families_2018", "figure"].iloc[0]
bpnt_budget_2018_idr_tn = round(families_2018 * bpnt_per_family_year_idr, 1)
'''),
    Slip("m08-q5-budget-2018", "billions instead of trillions", '''
families_2018 = aid.loc[aid["key"] == "bpnt_plan_families_2018", "figure"].iloc[0]
bpnt_budget_2018_idr_tn = round(families_2018 * bpnt_per_family_year_idr / 1e9, 1)
'''),
    Slip("m08-q6-confusion-counts", "exclusion and inclusion errors swapped", _COUNTS_SWAPPED),
    Slip("m08-q6-confusion-counts", "forgot return", '''
def confusion_counts(eligible, receives):
    counts = {"eligible_receiving": 0, "eligible_not_receiving": 0,
              "ineligible_receiving": 0, "ineligible_not_receiving": 0}
    for e, r in zip(eligible, receives):
        if e and r:
            counts["eligible_receiving"] += 1
        elif e:
            counts["eligible_not_receiving"] += 1
        elif r:
            counts["ineligible_receiving"] += 1
        else:
            counts["ineligible_not_receiving"] += 1
'''),
    Slip("m08-q6-confusion-counts", "vectorised with & on the arguments, which fails on plain lists", '''
def confusion_counts(eligible, receives):
    return {"eligible_receiving": int((eligible & receives).sum()),
            "eligible_not_receiving": int((eligible & ~receives).sum()),
            "ineligible_receiving": int((~eligible & receives).sum()),
            "ineligible_not_receiving": int((~eligible & ~receives).sum())}
'''),
    Slip("m08-q7-exclusion", "divided by all households", '''
exclusion_error = round(district["eligible_not_receiving"] / sum(district.values()), 3)
'''),
    Slip("m08-q7-exclusion", "divided by the receiving households", '''
exclusion_error = round(district["eligible_not_receiving"]
                        / (district["eligible_receiving"] + district["ineligible_receiving"]), 3)
'''),
    Slip("m08-q8-inclusion", "divided by all households", '''
inclusion_error = round(district["ineligible_receiving"] / sum(district.values()), 3)
'''),
    Slip("m08-q8-inclusion", "divided by the eligible households", '''
inclusion_error = round(district["ineligible_receiving"]
                        / (district["eligible_receiving"] + district["eligible_not_receiving"]), 3)
'''),
    Slip("m08-q9-threshold", "the row number instead of the threshold", '''
meets = sweep[sweep["exclusion_error"] < 0.20]
first = meets.loc[meets["threshold_idr"].idxmin()]
threshold_exclusion_below_20 = int(meets["threshold_idr"].idxmin())
inclusion_at_that_threshold = round(first["inclusion_error"], 3)
'''),
    Slip("m08-q9-threshold", "the inclusion error in percent", '''
meets = sweep[sweep["exclusion_error"] < 0.20]
first = meets.loc[meets["threshold_idr"].idxmin()]
threshold_exclusion_below_20 = int(first["threshold_idr"])
inclusion_at_that_threshold = round(first["inclusion_error"] * 100, 3)
'''),
]
