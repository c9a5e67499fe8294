"""Module 2 slips (Indonesia's digital economy)."""

from slip_corpus import Slip

SLIPS = [
    Slip("m02-q1-id-2015", "grown forward instead of worked back", '''
id_2018 = economy.loc[(economy["region"] == "Indonesia") & (economy["year"] == 2018), "internet_economy_usd_bn"].iloc[0]
id_2015_usd_bn = round(id_2018 * 1.49 ** 3, 1)
'''),
    Slip("m02-q1-id-2015", "forgot to round", '''
id_2015_usd_bn = 27 / 1.49 ** 3
'''),
    Slip("m02-q2-growth-2025", "8 years counted, 2018 to 2025 inclusive", '''
indonesia = economy[economy["region"] == "Indonesia"]
start = indonesia.loc[indonesia["year"] == 2018, "internet_economy_usd_bn"].iloc[0]
end = indonesia.loc[(indonesia["year"] == 2025) & (indonesia["report_edition"] == 2018),
                    "internet_economy_usd_bn"].iloc[0]
growth_2018_2025 = round((end / start) ** (1 / 8) - 1, 3)
'''),
    Slip("m02-q2-growth-2025", "a percentage where a fraction is asked", '''
growth_2018_2025 = round(((100 / 27) ** (1 / 7) - 1) * 100, 1)
'''),
    Slip("m02-q3-share", "the region divided by Indonesia", '''
in_2018 = economy[(economy["year"] == 2018) & (economy["status"] == "estimate")].set_index("region")
id_share_2018 = round(in_2018.loc["Southeast Asia", "internet_economy_usd_bn"]
                      / in_2018.loc["Indonesia", "internet_economy_usd_bn"], 3)
'''),
    Slip("m02-q3-share", "a percentage where a fraction is asked", '''
id_share_2018 = round(27 / 72 * 100, 1)
'''),
    Slip("m02-q4-users-growth", "the growth of penetration instead of users", '''
by_year = users.set_index("year")["penetration_pct"]
users_growth_2018 = round(by_year[2018] / by_year[2017] - 1, 3)
'''),
    Slip("m02-q4-users-growth", "a percentage where a fraction is asked", '''
by_year = users.set_index("year")["users_m"]
users_growth_2018 = round((by_year[2018] / by_year[2017] - 1) * 100, 1)
'''),
    Slip("m02-q5-population", "the percentage not divided by 100", '''
row_2018 = users[users["year"] == 2018].iloc[0]
population_2018_m = round(row_2018["users_m"] / row_2018["penetration_pct"], 1)
'''),
    Slip("m02-q6-b2c-index", "no brackets: only the last component divided by 4", '''
def b2c_index(account, internet, postal, servers):
    return account + internet + postal + servers / 4
'''),
    Slip("m02-q6-b2c-index", "the sum, not the average", '''
def b2c_index(account, internet, postal, servers):
    return account + internet + postal + servers
'''),
    Slip("m02-q7-rank", "kept the pair (rank, number of countries)", '''
indonesia_rank = country_readiness.rank("Indonesia", components)
'''),
    Slip("m02-q7-rank", "the index value instead of the rank", '''
indonesia_rank = country_readiness.index(components["Indonesia"])
'''),
    Slip("m02-q8-what-if", "the component named as in the chart legend", '''
others = peers[peers["country"] != "Indonesia"]
changes = {}
for name in COMPONENTS:
    changes[name] = country_readiness.what_if(components["Indonesia"], **{name: float(others[name].median())}).change
best = max(changes, key=changes.get)
best_component = best.replace("_", " ")
best_change = round(changes[best], 2)
'''),
    Slip("m02-q8-what-if", "the peers' mean instead of their median", '''
others = peers[peers["country"] != "Indonesia"]
changes = {}
for name in COMPONENTS:
    changes[name] = country_readiness.what_if(components["Indonesia"], **{name: float(others[name].mean())}).change
best_component = max(changes, key=changes.get)
best_change = round(changes[best_component], 2)
'''),
]
