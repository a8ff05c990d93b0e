"""Distances between places: from coordinates where known, otherwise from the position of
the province's capital (`data/capitals.csv`, see `data/NOTICE.md`)."""

import csv
import math
from functools import lru_cache

from .data import DATA_DIR

EARTH_RADIUS_KM = 6371.0


@lru_cache(maxsize=1)
def capitals():
    """{province code: (capital, latitude, longitude)} for the 38 provinces."""
    with open(DATA_DIR / "capitals.csv", encoding="utf-8", newline="") as f:
        return {
            row["code"]: (row["capital"], float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(f)
        }


def position(*, latitude=None, longitude=None, region_code=""):
    """(latitude, longitude, estimated): the coordinates given, or the capital of the
    province of `region_code` (estimated=True); None when neither is known."""
    if latitude is not None and longitude is not None:
        return float(latitude), float(longitude), False
    capital = capitals().get((region_code or "")[:2])
    if capital is None:
        return None
    return capital[1], capital[2], True


def distance_km(a, b):
    """Great-circle distance between two (latitude, longitude, …) positions, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
