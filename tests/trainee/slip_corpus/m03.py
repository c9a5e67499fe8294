"""Module 3 slips (choosing products)."""

from slip_corpus import Slip

SLIPS = [
    Slip("m03-q1-value-per-kg", "the division turned round (kg per dollar)", '''
candidates["usd_per_kg"] = (candidates["pack_weight_kg"] / candidates["retail_price_usd"]).round(1)
'''),
    Slip("m03-q1-value-per-kg", "dollars per gram, not per kilogram", '''
candidates["usd_per_kg"] = (candidates["retail_price_usd"] / (candidates["pack_weight_kg"] * 1000)).round(1)
'''),
    Slip("m03-q2-decree-248", "roasted coffee marked as well", '''
candidates["needs_recommendation"] = candidates["category"].isin(
    ["bird's nest", "unroasted coffee beans", "roasted coffee"])
'''),
    Slip("m03-q2-decree-248", "yes / no text instead of booleans", '''
candidates["needs_recommendation"] = candidates["category"].map(
    lambda c: "yes" if c in ["bird's nest", "unroasted coffee beans"] else "no")
'''),
    Slip("m03-q3-nest-per-kg", "million dollars per tonne not multiplied by 1,000", '''
nest["usd_per_kg"] = (nest["export_value_usd_m"] / nest["volume_t"]).round(0)
'''),
    Slip("m03-q3-nest-per-kg", "divided by 1,000 instead of multiplying", '''
nest["usd_per_kg"] = (nest["export_value_usd_m"] / nest["volume_t"] / 1000).round(0)
'''),
    Slip("m03-q4-volume-cagr", "4 years counted, 2015 to 2018 inclusive", '''
volume = nest[nest["series"] == "protocol"].set_index("year")["volume_t"]
volume_cagr_2015_2018 = round(float((volume[2018] / volume[2015]) ** (1 / 4) - 1), 3)
'''),
    Slip("m03-q4-volume-cagr", "a percentage where a fraction is asked", '''
volume_cagr_2015_2018 = round(((70.6 / 14) ** (1 / 3) - 1) * 100, 1)
'''),
    Slip("m03-q5-weighted-score", "summed every entry of scores, not only the weighted criteria", '''
def weighted_score(scores, weights):
    total = sum(weights.values())
    return sum(weights[name] * value for name, value in scores.items()) / total
'''),
    Slip("m03-q5-weighted-score", "divided by the number of criteria", '''
def weighted_score(scores, weights):
    return sum(weight * scores[name] for name, weight in weights.items()) / len(weights)
'''),
    Slip("m03-q6-top-trader", "idxmax() alone: the row label, not the name", '''
score_trader = candidates.apply(weighted_score, axis=1, args=(weights_trader,))
top_trader = score_trader.idxmax()
'''),
    Slip("m03-q6-top-trader", "idxmin() instead of idxmax()", '''
score_trader = candidates.apply(weighted_score, axis=1, args=(weights_trader,))
top_trader = candidates.loc[score_trader.idxmin(), "product"]
'''),
    Slip("m03-q7-top-alibaba", "the trader's weights again", '''
score_alibaba = candidates.apply(weighted_score, axis=1, args=(weights_trader,))
top_alibaba = candidates.loc[score_alibaba.idxmax(), "product"]
top_changes = top_alibaba != top_trader
'''),
    Slip("m03-q7-top-alibaba", "the comparison turned round", '''
score_alibaba = candidates.apply(weighted_score, axis=1, args=(weights_alibaba,))
top_alibaba = candidates.loc[score_alibaba.idxmax(), "product"]
top_changes = top_alibaba == top_trader
'''),
]
