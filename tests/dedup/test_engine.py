"""The linkage engine on generated data: it learns, and what it cannot learn it borrows."""

from bench.dedup import _record, score
from bench.dedup_data import generate_people

from pulih.dedup.engine import default_model, link_people
from pulih.dedup.features import person_row
from pulih.dedup.model import BUSINESSES, PEOPLE


def test_packaged_models_match_the_models_in_the_code():
    """A model retrained after a change of comparisons must be packaged again
    (`python -m bench.dedup --save-model …`); a stale one would score other levels."""
    for spec in (PEOPLE, BUSINESSES):
        saved = default_model(spec)
        fresh = spec.settings().create_settings_dict("duckdb")
        assert [
            [level["label_for_charts"] for level in c["comparison_levels"]]
            for c in saved["comparisons"]
        ] == [
            [level["label_for_charts"] for level in c["comparison_levels"]]
            for c in fresh["comparisons"]
        ]


def test_a_registry_holding_each_nik_once_still_trains_and_finds_duplicates():
    """Within a regency the registry keeps one record per NIK, so no pair shares a NIK and
    the NIK training rule finds nothing: the run must still learn the rest."""
    people = generate_people(8_000, seed=11)
    seen = set()
    rows = []
    for row in people:
        record = _record(row)
        if record["id_number"] in seen:
            record["id_number"] = ""
        seen.add(record["id_number"])
        rows.append(person_row(row[0], record))
    result = link_people(rows, threshold=0.95, floor=0.95)
    assert result.trained
    levels = [level for c in result.model["comparisons"] for level in c["comparison_levels"]]
    assert all(
        level.get("m_probability") is not None for level in levels if not level.get("is_null_level")
    )
    figures = score(result.clusters, {row[0]: row[1] for row in people})
    assert figures["pairwise_f1"] > 0.9
