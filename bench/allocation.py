"""Allocate an institutional mask order over the declared producers, optimally and the way
an officer would by hand, and time it.

    .venv/bin/python -m bench.allocation [--producers 330] [--points 2000]
        [--quantity 1000000] [--seed 0] [--max-share PERCENT] [--min-lot UNITS]
        [--transport-rate 0.05] [--capacity-ratio 1.3] [--repeat 3]

The producers are spread over 16 provinces (as in DOMAIN.md: 330 UMKM from 16 provinces),
scattered around each province's capital (`wilayah/data/capitals.csv`), with prices of
Rp 2,500–4,500 per mask and capacities of a few hundred to over ten thousand masks adding
up to `--capacity-ratio` × the order (1.3: the default run can be met in full; below 1 the
order runs short, as Kimia Farma's did). The delivery points (a
national buyer's pharmacies and hospitals) are spread over all 38 provinces, their
quantities adding up exactly to `--quantity`.

The default transport rate, Rp 0.05 per mask per km, is bulk freight at about Rp 2,000 per
kg per 1,000 km with 40 packed masks to the kilogram.

Time is `solve_seconds` of the solver: distances, costs, arcs, model and solve; the
median of `--repeat` runs. Prints the figures, then a JSON object on the last line.
"""

import argparse
import json
import statistics
import time
from collections import Counter

import numpy as np

from pulih.matching.solver import Point, Producer, allocate, greedy
from pulih.wilayah.geo import capitals

PRODUCER_PROVINCES = (
    "11", "12", "13", "16", "19", "31", "32", "33",
    "34", "35", "36", "51", "52", "64", "73", "71",
)  # fmt: skip
SCATTER_DEGREES = 0.6


def generate(producers, points, quantity, seed, capacity_ratio=1.3):
    """(producers, points) as the solver takes them; the same seed gives the same data."""
    rng = np.random.default_rng(seed)
    places = capitals()
    maker_provinces = rng.choice(PRODUCER_PROVINCES, size=producers)
    buyer_provinces = rng.choice(sorted(places), size=points)
    weights = rng.lognormal(mean=0.0, sigma=0.8, size=producers)
    capacity = _split(round(quantity * capacity_ratio), weights)
    prices = rng.integers(50, 91, size=producers) * 50
    made = [
        Producer(
            key=k + 1,
            capacity=int(capacity[k]),
            unit_price=int(prices[k]),
            latitude=places[code][1] + rng.normal(0, SCATTER_DEGREES),
            longitude=places[code][2] + rng.normal(0, SCATTER_DEGREES),
        )
        for k, code in enumerate(maker_provinces)
    ]
    wanted = _split(quantity, rng.lognormal(mean=0.0, sigma=1.0, size=points))
    asked = [
        Point(
            key=k + 1,
            quantity=int(wanted[k]),
            latitude=places[code][1] + rng.normal(0, SCATTER_DEGREES),
            longitude=places[code][2] + rng.normal(0, SCATTER_DEGREES),
        )
        for k, code in enumerate(buyer_provinces)
    ]
    return made, asked


def _split(total, weights):
    """Whole parts of `total` in proportion to `weights`, adding up exactly."""
    parts = np.floor(weights / weights.sum() * total).astype(np.int64)
    parts[: total - parts.sum()] += 1
    return parts


def load_by_producer(result):
    load = Counter()
    for line in result.lines:
        load[line.producer] += line.quantity
    return load


def capacity_check(result, producers):
    """(respected, largest load / capacity) over the producers given any quantity."""
    load = load_by_producer(result)
    capacity = {p.key: p.capacity for p in producers}
    usable = result.capacity_by_producer
    respected = all(load[k] <= min(capacity[k], usable[k]) for k in load)
    largest = max((load[k] / capacity[k] for k in load), default=0.0)
    return respected, largest


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--producers", type=int, default=330)
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--quantity", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-share", type=int, help="largest share of one producer, %%")
    parser.add_argument("--min-lot", type=int, help="smallest quantity per producer used")
    parser.add_argument("--transport-rate", type=float, default=0.05, help="Rp per mask per km")
    parser.add_argument("--capacity-ratio", type=float, default=1.3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    producers, points = generate(
        args.producers, args.points, args.quantity, args.seed, args.capacity_ratio
    )
    options = {
        "transport_rate": args.transport_rate,
        "max_share_percent": args.max_share,
        "min_lot": args.min_lot,
    }
    print(
        f"{args.producers} producers (capacity {sum(p.capacity for p in producers):,}), "
        f"{args.points} points asking {args.quantity:,}; seed {args.seed}, "
        f"transport Rp {args.transport_rate}/unit/km, max share {args.max_share}%, "
        f"min lot {args.min_lot}"
    )
    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = allocate(producers, points, **options)
        runs.append(result.solve_seconds)
        print(
            f"  optimal: {result.solve_seconds:.3f} s "
            f"({time.perf_counter() - started:.3f} s with the lines)"
        )
    baseline = greedy(producers, points, **options)
    respected, largest = capacity_check(result, producers)
    saving = (baseline.total_cost - result.total_cost) / baseline.total_cost * 100
    print(f"method          {result.method}")
    print(f"status          {result.status}")
    print(f"allocated       {result.allocated:,} (greedy {baseline.allocated:,})")
    print(f"shortfall       {result.shortfall:,} over {len(result.shortfall_by_point)} points")
    print(f"solve time      {statistics.median(runs):.3f} s median incl. model build")
    print(f"total cost      Rp {result.total_cost:,}")
    print(f"greedy cost     Rp {baseline.total_cost:,} ({baseline.solve_seconds:.3f} s)")
    print(f"saving          {saving:.3f}%")
    used = len({line.producer for line in result.lines})
    print(f"producers used  {used}, lines {len(result.lines):,}")
    print(f"largest load    {largest:.1%} of its capacity; capacity respected: {respected}")
    if args.min_lot:
        smallest = min(load_by_producer(result).values(), default=0)
        print(f"smallest load   {smallest:,} (min lot {args.min_lot:,})")
    print(
        json.dumps(
            {
                "producers": args.producers,
                "points": args.points,
                "quantity": args.quantity,
                "allocated": result.allocated,
                "shortfall": result.shortfall,
                "status": result.status,
                "method": result.method,
                "solve_seconds": round(statistics.median(runs), 3),
                "total_cost": result.total_cost,
                "greedy_cost": baseline.total_cost,
                "greedy_seconds": round(baseline.solve_seconds, 3),
                "saving_percent": round(saving, 3),
                "capacity_respected": respected,
            }
        )
    )


if __name__ == "__main__":
    main()
