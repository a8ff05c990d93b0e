"""`pulih dedup-file --backend spark` runs the same model on a local Spark session and
finds the same people as DuckDB.

Spark is an optional extra (`pip install -e .[spark]`, plus Java 17). Without it a
user's `make test` skips this test with a note; in CI (CI=true) it fails the run instead.
"""

import importlib.util
import os
import shutil

import pytest

from .test_dedup_file import PLANTED, clusters_by_name, dedup, people_csv, read_csv

MISSING = (
    "pyspark is not installed (pip install -e .[spark])"
    if importlib.util.find_spec("pyspark") is None
    else "Java is not installed (apt-get install openjdk-17-jre-headless)"
    if not (os.environ.get("JAVA_HOME") or shutil.which("java"))
    else None
)


@pytest.fixture
def spark_available():
    if MISSING:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {MISSING}")
        pytest.skip(f"Spark test skipped: {MISSING}")


def test_spark_finds_the_same_people_as_duckdb(tmp_path, spark_available):
    source = people_csv(tmp_path / "umkm.csv")
    duckdb, _ = dedup(source, out=tmp_path / "duckdb.csv")
    spark, progress = dedup(source, out=tmp_path / "spark.csv", backend="spark")
    header, duckdb_rows = read_csv(tmp_path / "duckdb.csv")
    _, spark_rows = read_csv(tmp_path / "spark.csv")
    assert [row[:-1] for row in spark_rows] == [row[:-1] for row in duckdb_rows]
    assert clusters_by_name(header, spark_rows) == PLANTED
    assert spark["backend"] == "spark" and "scoring 30 rows (spark)" in progress
    assert (spark["rows"], spark["clusters"]) == (duckdb["rows"], duckdb["clusters"])
