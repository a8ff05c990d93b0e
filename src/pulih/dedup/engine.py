"""Run a linkage model over a set of records: train (or reuse) it, score pairs, cluster.

DuckDB runs in-process and is the default; Spark runs the same model for national runs
(`backend="spark"`, pyspark installed with the `spark` extra).
"""

import json
import logging
from dataclasses import dataclass
from functools import cache

import pyarrow as pa
from splink import Linker

from .model import BUSINESSES, PEOPLE, SEED

# Below this many records there are too few duplicates to learn from; the packaged model
# (trained on synthetic Indonesian data, see bench/dedup.py) is used instead.
MIN_RECORDS_TO_TRAIN = 5_000


@dataclass
class LinkResult:
    pairs: list  # (left id, right id, match probability), probability >= the floor
    clusters: dict  # record id → cluster id, for every record
    model: dict  # the Splink settings with the parameters used, to reproduce the run
    trained: bool


def default_model(spec=PEOPLE):
    """The packaged parameters of `spec`, a fresh copy each time (Splink may change it)."""
    return json.loads(_model_text(spec.default_path))


@cache
def _model_text(path):
    return path.read_text(encoding="utf-8")


def table(rows, spec=PEOPLE):
    """An Arrow table of feature rows (tuples in `spec.columns` order; ids become strings)."""
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in spec.columns]
    arrays = [pa.array([str(v) for v in columns[0]], pa.string())]
    for name, values in zip(spec.columns[1:], columns[1:], strict=True):
        kind = pa.list_(pa.string()) if name in spec.lists else pa.string()
        arrays.append(pa.array(values, kind))
    return pa.Table.from_arrays(arrays, names=list(spec.columns))


def database_api(backend="duckdb", *, spark=None):
    if backend == "spark":
        from splink import SparkAPI

        return SparkAPI(spark_session=spark or spark_session())
    from splink import DuckDBAPI

    return DuckDBAPI()


def spark_session():
    """A local Spark session; set SPARK_REMOTE or configure pyspark to use a cluster."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.appName("pulih-dedup")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


def train(linker, spec):
    linker.training.estimate_probability_two_random_records_match(spec.deterministic, recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=SEED)
    for rule in spec.training:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )


def link(
    rows,
    *,
    spec=PEOPLE,
    threshold,
    floor,
    model=None,
    backend="duckdb",
    spark=None,
    cluster=True,
):
    """Score and cluster `rows` (feature tuples of `spec`).

    With no `model`, one is trained on the rows when there are enough of them, else the
    packaged one is used. Pairs at or above `floor` are returned; clusters join pairs at or
    above `threshold` (with `cluster`; otherwise every record is its own cluster).
    """
    data = table(rows, spec)
    clusters = {str(r[0]): str(r[0]) for r in rows}
    if data.num_rows < 2:
        return LinkResult([], clusters, model or default_model(spec), False)
    db_api = database_api(backend, spark=spark)
    trained = model is None and data.num_rows >= MIN_RECORDS_TO_TRAIN
    settings = spec.settings() if trained else (model or default_model(spec))
    linker = Linker(db_api.register(data), settings, log_level=logging.WARNING)
    if trained:
        train(linker, spec)
    predictions = linker.inference.predict(threshold_match_probability=floor)
    pairs = list(_columns(predictions, ["unique_id_l", "unique_id_r", "match_probability"]))
    if cluster:
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        clusters.update(_columns(clustered, ["unique_id", "cluster_id"]))
    return LinkResult(pairs, clusters, linker.misc.save_model_to_json(), trained)


def link_people(rows, **options):
    return link(rows, spec=PEOPLE, **options)


def link_businesses(rows, **options):
    return link(rows, spec=BUSINESSES, **options)


def _columns(splink_df, names):
    arrow = splink_df.as_pyarrow_table()
    return zip(*(arrow.column(n).to_pylist() for n in names), strict=True)
