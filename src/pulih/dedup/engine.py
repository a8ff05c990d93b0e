"""Run the people model over a set of records: train (or reuse) it, score pairs, cluster.

DuckDB runs in-process and is the default; Spark runs the same model for national runs
(`backend="spark"`, pyspark installed with the `spark` extra).
"""

import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa
from splink import Linker

from .features import PERSON_COLUMNS
from .model import PERSON_DETERMINISTIC, PERSON_TRAINING, SEED, person_settings

DEFAULT_MODEL_PATH = Path(__file__).parent / "data" / "person_model.json"

# Below this many records there are too few duplicates to learn from; the packaged model
# (trained on synthetic Indonesian data, see bench/dedup.py) is used instead.
MIN_RECORDS_TO_TRAIN = 5_000

_SCHEMA = pa.schema(
    [
        (name, pa.list_(pa.string()) if name == "name_tokens" else pa.string())
        for name in PERSON_COLUMNS
    ]
)



@dataclass
class LinkResult:
    pairs: list  # (left id, right id, match probability), probability >= the floor
    clusters: dict  # record id → cluster id, for every record
    model: dict  # the Splink settings with the parameters used, to reproduce the run
    trained: bool


@cache
def default_model():
    return json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))


def people_table(rows):
    """An Arrow table of `features.person_row` tuples (ids become strings)."""
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in PERSON_COLUMNS]
    arrays = [
        pa.array([str(v) for v in columns[0]], pa.string()),
        *(pa.array(col, _SCHEMA.field(i + 1).type) for i, col in enumerate(columns[1:])),
    ]
    return pa.Table.from_arrays(arrays, schema=_SCHEMA)


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


def train(linker):
    linker.training.estimate_probability_two_random_records_match(
        PERSON_DETERMINISTIC, recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=SEED)
    for rule in PERSON_TRAINING:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )


def link_people(
    rows, *, threshold, floor, model=None, backend="duckdb", spark=None, cluster=True
):
    """Score and cluster `rows` (tuples of `features.person_row`).

    With no `model`, one is trained on the rows when there are enough of them, else the
    packaged one is used. Pairs at or above `floor` are returned; clusters join pairs at or
    above `threshold` (with `cluster`; otherwise every record is its own cluster).
    """
    table = people_table(rows)
    if table.num_rows < 2:
        return LinkResult([], {str(r[0]): str(r[0]) for r in rows}, model or default_model(), False)
    db_api = database_api(backend, spark=spark)
    trained = model is None and table.num_rows >= MIN_RECORDS_TO_TRAIN
    settings = person_settings() if trained else (model or default_model())
    linker = Linker(db_api.register(table), settings, log_level=logging.WARNING)
    if trained:
        train(linker)
    predictions = linker.inference.predict(threshold_match_probability=floor)
    pairs = list(_columns(predictions, ["unique_id_l", "unique_id_r", "match_probability"]))
    clusters = {str(r[0]): str(r[0]) for r in rows}
    if cluster:
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        clusters.update(_columns(clustered, ["unique_id", "cluster_id"]))
    return LinkResult(pairs, clusters, linker.misc.save_model_to_json(), trained)


def _columns(splink_df, names):
    arrow = splink_df.as_pyarrow_table()
    return zip(*(arrow.column(n).to_pylist() for n in names), strict=True)
