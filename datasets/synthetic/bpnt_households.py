"""Synthetic households for the targeting exercise of Module 8 (BPNT, non-cash food assistance).

NOT real survey data: 3,000 made-up households of one made-up district. Real figures shape it:

* the line that makes a household eligible is BPS's national poverty line of September 2018,
  Rp 410,670 per person per month (BPS release of 15 January 2019, reported by Metro TV News);
* consumption per person per month is log-normal (spread 0.55 in logs), with its median set so that
  about 9.66 % of households fall below that line, the share of poor people BPS reported for
  September 2018 (same release);
* the proxy-means-test (PMT) score is the consumption a PMT would predict from what the household
  owns. Like a real prediction it pulls households towards the middle (in logs, 0.75 of the distance
  from the median) and it errs (a normal error, spread 0.25 in logs), so some poor households look
  richer than they are and some richer ones look poor;
* the district gives BPNT to every household whose PMT score is below the same poverty line.

Columns: household_id; consumption_idr_per_capita_month and pmt_score_idr_per_capita_month (rupiah
per person per month, rounded to Rp 100); eligible (consumption below the line); receives_bpnt
(score below the line).
"""

from __future__ import annotations

import math
import random
from statistics import NormalDist

HOUSEHOLDS = 3_000
POVERTY_LINE_IDR = 410_670  # BPS, September 2018, per person per month
POOR_SHARE = 0.0966  # BPS, September 2018
SPREAD_CONSUMPTION = 0.55
PMT_SHRINK = 0.75
SPREAD_PMT_ERROR = 0.25


def make(rng: random.Random) -> list[dict]:
    # median such that P(consumption < line) = POOR_SHARE for a log-normal with this spread
    mu = math.log(POVERTY_LINE_IDR) - NormalDist().inv_cdf(POOR_SHARE) * SPREAD_CONSUMPTION
    rows = []
    for k in range(1, HOUSEHOLDS + 1):
        log_consumption = rng.gauss(mu, SPREAD_CONSUMPTION)
        log_score = mu + PMT_SHRINK * (log_consumption - mu) + rng.gauss(0.0, SPREAD_PMT_ERROR)
        consumption = int(round(math.exp(log_consumption), -2))
        score = int(round(math.exp(log_score), -2))
        rows.append({
            "household_id": k,
            "consumption_idr_per_capita_month": consumption,
            "eligible": str(consumption < POVERTY_LINE_IDR).lower(),
            "pmt_score_idr_per_capita_month": score,
            "receives_bpnt": str(score < POVERTY_LINE_IDR).lower(),
        })
    return rows
