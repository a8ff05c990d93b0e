"""The allocation benchmark: its generated order adds up, and its command line ends with
the figures as JSON, the optimum never dearer than the greedy split."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from bench.allocation import PRODUCER_PROVINCES, generate

from pulih.wilayah.geo import capitals

ROOT = Path(__file__).resolve().parents[2]


def test_the_order_adds_up_and_capacity_comfortably_exceeds_it():
    producers, points = generate(40, 120, 50_000, seed=3)
    assert len(producers) == 40 and len(points) == 120
    assert sum(p.quantity for p in points) == 50_000
    assert sum(p.capacity for p in producers) == 65_000
    assert all(2500 <= p.unit_price <= 4500 for p in producers)
    assert len({p.key for p in producers}) == 40 and len({p.key for p in points}) == 120
    assert generate(40, 120, 50_000, seed=3) == (producers, points)


def test_producers_sit_near_the_capitals_of_sixteen_provinces():
    assert len(set(PRODUCER_PROVINCES)) == 16
    places = [capitals()[code][1:] for code in PRODUCER_PROVINCES]
    producers, _ = generate(200, 10, 1_000, seed=0)
    for p in producers:
        nearest = min(abs(p.latitude - lat) + abs(p.longitude - lon) for lat, lon in places)
        assert nearest < 6


@pytest.mark.parametrize(
    "options", [[], ["--min-lot", "600"], ["--max-share", "5", "--transport-rate", "1"]]
)
def test_the_command_line_prints_its_figures_as_json_on_the_last_line(options):
    command = [sys.executable, "-m", "bench.allocation", "--producers", "30", "--points", "80"]
    command += ["--quantity", "20000", "--repeat", "1", *options]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["capacity_respected"] is True
    assert figures["allocated"] + figures["shortfall"] == 20_000
    assert figures["status"] == ("optimal" if figures["shortfall"] == 0 else "shortfall")
    if "--min-lot" not in options:
        assert figures["total_cost"] <= figures["greedy_cost"]
    if not options:
        assert (figures["status"], figures["method"]) == ("optimal", "min-cost flow")
