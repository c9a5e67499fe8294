"""SYNTHETIC: orders per minute of one invented Indonesian snack store on Tmall Global on 11 Nov 2018.

No store's real minute-by-minute orders are published, and the sales of the five Indonesian products at
11.11 2018 were not found. This table is therefore made up, but its shape follows the platform's real
cumulative GMV curve of 11.11 2018 (table milestones_2018; sources: Hong Kong Satellite TV and Media China
Topics for the RMB milestones, RIS News for the US$ milestones, TechNode for the total). Each milestone,
divided by the day's total in its own currency (RMB 213.5 bn; US$ 30.8 bn), gives the share of the day's
GMV reached by that time:

    time after midnight   milestone            share of the day's GMV
    0:00:21  (21 s)       RMB 1 bn             1 / 213.5     =  0.47 %
    0:01:25  (85 s)       US$ 1 bn             1 / 30.8      =  3.25 %
    0:02:05  (125 s)      RMB 10 bn            10 / 213.5    =  4.68 %
    1:00:48  (3,648 s)    US$ 10 bn            10 / 30.8     = 32.47 %
    1:47:37  (6,457 s)    RMB 100 bn           100 / 213.5   = 46.84 %
    15:49:39 (56,979 s)   the whole of 2017    168.2 / 213.5 = 78.78 %
    24:00:00 (86,400 s)   end of the day       213.5 / 213.5 = 100 %

Assumption: the store's cumulative share of its day's orders equals the platform's cumulative share of
GMV at these times (orders and money arrive in the same proportions). Between two milestones the orders
of that stretch are spread over its seconds in proportion to an invented activity profile (a spike in
the first minutes and a slower decay over the first hours after midnight, a night-time lull from about
2:00 to 7:00, a daytime plateau and an evening rise towards midnight), so the
curve passes through the milestone shares exactly before noise. The expected total is 24,000 orders (an
invented size). Each minute's orders are then drawn with noise from rng: a small random factor
(standard deviation 4 %) times a Poisson-like count, rounded to whole orders. So the shares at the
milestone times hold approximately, not exactly.

Columns: minute (0 = 00:00-00:01 China time on 11 Nov 2018, 1439 = 23:59-24:00) and orders (orders placed
in that minute).
"""

from __future__ import annotations

import math
import random
from itertools import pairwise

EXPECTED_TOTAL = 24_000  # orders in the day (invented)
DAY_S = 86_400
# (seconds after midnight, cumulative share of the day), from milestones_2018 as in the docstring
KNOTS = (
    (0, 0.0),
    (21, 1 / 213.5),
    (85, 1 / 30.8),
    (125, 10 / 213.5),
    (3648, 10 / 30.8),
    (6457, 100 / 213.5),
    (56979, 168.2 / 213.5),
    (DAY_S, 1.0),
)
# invented relative activity by hour of day (used only within a stretch between two milestones)
HOURLY = (1.0, 1.0, 0.5, 0.3, 0.2, 0.2, 0.3, 0.5, 0.7, 0.8, 0.8, 0.8,
          0.9, 0.9, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.5, 1.6, 1.7)


def activity(second: int) -> float:
    """Invented relative activity at a second: hourly profile + the midnight rush (a spike and a slow decay)."""
    return HOURLY[second // 3600] + 20 * math.exp(-second / 5400) + 50 * math.exp(-second / 60)


def expected_per_minute() -> list[float]:
    """Expected orders in each of the 1,440 minutes, passing through the milestone shares."""
    per_second = [0.0] * DAY_S
    for (start, share_start), (end, share_end) in pairwise(KNOTS):
        weights = [activity(s) for s in range(start, end)]
        scale = (share_end - share_start) * EXPECTED_TOTAL / math.fsum(weights)
        per_second[start:end] = [w * scale for w in weights]
    return [math.fsum(per_second[m * 60:(m + 1) * 60]) for m in range(1440)]


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-like whole number with this mean (normal approximation above 30)."""
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def make(rng: random.Random) -> list[dict]:
    rows = []
    for minute, mean in enumerate(expected_per_minute()):
        factor = max(0.0, rng.gauss(1.0, 0.04))
        rows.append({"minute": minute, "orders": poisson(rng, mean * factor)})
    return rows
