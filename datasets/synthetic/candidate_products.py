"""Eight made-up candidate food products for China's 11.11 in 2018, with 1-5 scores (Module 3).

Prices, pack weights, shelf lives and scores are NOT the makers' figures: none were published.
Five candidates are shaped like the five products Indonesia listed on 13 October 2018 (Indomie,
Kapal Api Luwak Drip, Richeese Nabati, Papatonk shrimp crackers, Yan Ty Ty bird's nest; Bisnis.com
2018), three are other plausible candidates. Real figures that shape the table: bird's nest sells
for about US$1,500-2,000 per kg on the world market (Okezone, 2 March 2018) and Indonesia's protocol
exports to China were worth about US$1,200-1,700 per kg in 2016-2017 (Antara, Okezone 2018), so the
bird's-nest price lies in that range; Papatonk had 1,000,000 pieces ready (Kumparan 2018), so its
supply score is high for a small firm. Under GACC Decree 248 (2022) bird's nest and unroasted coffee
beans need a recommendation by the home authority while noodles, roasted coffee, biscuits and
crackers register themselves (Food Compliance International; ChemLinked), which sets the
regulatory score.

Scores (higher is better for export):
- value_score from US$ per kg: <5 -> 1, 5-15 -> 2, 15-50 -> 3, 50-200 -> 4, >=200 -> 5;
- shelf_life_score from months: <6 -> 1, 6-8 -> 2, 9-11 -> 3, 12-23 -> 4, >=24 -> 5;
- regulatory_score: 5 self-registered packaged food; 2 needs a home-authority recommendation;
  1 also needs a bilateral protocol and registered facilities (bird's nest);
- supply_score: a judgement of how surely one million units reach the warehouse in about two
  months: 5 national mass-market brand, 4 established producer or stock already made, 3 small
  producer, 2 farm-based supply, 1 scarce natural product.
Each retail price is drawn from a range that keeps the product inside its value band.
"""

from __future__ import annotations

import random

# product, category, like_2018_product, pack_weight_kg, (price low, high) in US$,
# shelf_life_months, regulatory_score, supply_score
CANDIDATES = (
    ("Instant fried noodles, 5-pack", "instant noodles", "Indomie instant noodles",
     0.425, (1.6, 2.0), 8, 5, 5),
    ("Drip-bag coffee, 10 bags", "roasted coffee", "Kopi Kapal Api Luwak Drip",
     0.1, (3.0, 4.5), 18, 5, 4),
    ("Cheese wafers, box of 20", "biscuits and wafers", "Richeese Nabati",
     0.4, (2.6, 3.4), 12, 5, 5),
    ("Shrimp crackers, 250 g", "crackers", "Papatonk shrimp crackers",
     0.25, (1.6, 2.3), 12, 5, 4),
    ("Dried edible bird's nest, 50 g", "bird's nest", "Yan Ty Ty bird's nest",
     0.05, (60.0, 85.0), 24, 1, 1),
    ("Arabica green coffee beans, 1 kg", "unroasted coffee beans", "",
     1.0, (6.0, 9.0), 12, 2, 2),
    ("Cassava chips, 200 g", "crackers", "",
     0.2, (1.2, 1.8), 6, 5, 3),
    ("Ground roasted coffee, 250 g", "roasted coffee", "",
     0.25, (4.2, 5.8), 12, 5, 4),
)


def value_score(usd_per_kg: float) -> int:
    return 1 + sum(usd_per_kg >= edge for edge in (5, 15, 50, 200))


def shelf_life_score(months: int) -> int:
    return 1 + sum(months >= edge for edge in (6, 9, 12, 24))


def make(rng: random.Random) -> list[dict]:
    rows = []
    for product, category, like, weight, (low, high), shelf, regulatory, supply in CANDIDATES:
        price = round(rng.uniform(low, high), 2)
        rows.append({
            "product": product,
            "category": category,
            "like_2018_product": like,
            "retail_price_usd": price,
            "pack_weight_kg": weight,
            "shelf_life_months": shelf,
            "value_score": value_score(price / weight),
            "shelf_life_score": shelf_life_score(shelf),
            "regulatory_score": regulatory,
            "supply_score": supply,
        })
    return rows
