"""Illustrative B2C e-commerce readiness components for Indonesia and seven unnamed peers (Module 2).

The four columns follow the UNCTAD B2C E-commerce Index (2017-2020 editions): account ownership
(% of people aged 15+, World Bank Global Findex), internet users (% of the population, ITU), the UPU
postal reliability score (0-100) and secure internet servers (a normalised 0-100 score; UNCTAD
uses the log of servers per million people). The real per-country values of the 2018 edition could
not be verified for this course, so this table is ILLUSTRATIVE.

Only one number is shaped by a published figure: Indonesia's account ownership is 49, the Global
Findex 2017 value of 48.9 % rounded (World Bank, April 2018, as reported by Payment Week, 20 April
2018). Indonesia's other three values and every peer value are invented. The peers are anonymous
profiles ("Peer A" ... "Peer G") loosely shaped like economies of East and Southeast Asia, from a
small high-income trading hub to large lower-middle-income countries, so that the ranking and the
"what if" exercises have a realistic spread. Each value is a profile centre plus a small random
offset (at most 2 points), rounded to a whole number.
"""

from __future__ import annotations

import random

# country, profile, centres of (account, internet, postal, servers)
PROFILES = (
    ("Indonesia", "large archipelago, lower-middle income", None),
    ("Peer A", "small high-income trading hub", (96, 84, 88, 90)),
    ("Peer B", "upper-middle income, manufacturing exporter", (84, 78, 62, 70)),
    ("Peer C", "upper-middle income, tourism and farming", (80, 56, 56, 58)),
    ("Peer D", "very large upper-middle-income economy", (79, 55, 50, 52)),
    ("Peer E", "lower-middle-income archipelago", (35, 58, 30, 47)),
    ("Peer F", "lower-middle income, fast-growing manufacturer", (31, 60, 46, 55)),
    ("Peer G", "lower-middle income, very large population", (80, 34, 42, 38)),
)
INDONESIA_ACCOUNT = 49  # Global Findex 2017: 48.9 % of adults had an account
INDONESIA_OTHERS = (42, 38, 45)  # internet, postal, servers: invented centres


def make(rng: random.Random) -> list[dict]:
    rows = []
    for country, profile, centres in PROFILES:
        if centres is None:
            values = [INDONESIA_ACCOUNT] + [c + rng.randint(-2, 2) for c in INDONESIA_OTHERS]
        else:
            values = [c + rng.randint(-2, 2) for c in centres]
        account, internet, postal, servers = (max(0, min(100, v)) for v in values)
        rows.append({
            "country": country,
            "profile": profile,
            "account_ownership_pct": account,
            "internet_users_pct": internet,
            "postal_reliability_score": postal,
            "secure_servers_score": servers,
        })
    return rows
