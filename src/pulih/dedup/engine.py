"""Run a linkage model over a set of records: train (or reuse) it, score pairs, cluster.

DuckDB runs in-process and is the default; Spark runs the same model for national runs
(`backend="spark"`, pyspark installed with the `spark` extra).
"""

import atexit
import copy
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache

import pyarrow as pa
from splink import Linker
from splink.internals.exceptions import EMTrainingException, SplinkException

from .model import BUSINESSES, PEOPLE, SEED

logger = logging.getLogger(__name__)

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
    """A local Spark session (pyspark's spark-defaults.conf may point it at a cluster).

    Splink's Spark backend needs two things set up here: its Scala jar, which gives Spark
    SQL the string similarities (jaro_winkler, damerau_levenshtein) the model compares
    with, and a checkpoint directory, where it writes intermediate tables as parquet; a
    temporary one is made and removed when the process ends. Splink repartitions every
    step into half the shuffle partitions: one partition per core keeps a small run
    from spending its time on empty tasks (30 records: 9 s instead of 38 s with 8).
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    spark = (
        SparkSession.builder.appName("pulih-dedup")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", str(os.cpu_count() or 2))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    logging.getLogger("py4j").setLevel(logging.WARNING)
    if spark.sparkContext.getCheckpointDir() is None:
        checkpoints = tempfile.mkdtemp(prefix="pulih-spark-")
        atexit.register(shutil.rmtree, checkpoints, ignore_errors=True)
        spark.sparkContext.setCheckpointDir(checkpoints)
    return spark


def train(linker, spec, registered):
    """Learn the parameters from the rows without labels, and return them. What the rows
    cannot teach (no record pairs for a training rule: a regency's registry holds each
    NIK once) is taken from the packaged model rather than left at Splink's defaults."""
    fallback = default_model(spec)
    try:
        linker.training.estimate_probability_two_random_records_match(
            spec.deterministic, recall=0.8
        )
        prior = None
    except SplinkException:
        prior = fallback["probability_two_random_records_match"]
    linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=SEED)
    for rule in spec.training:
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except EMTrainingException:
            # A failed session leaves the linker's settings half-changed: start again
            # from what was learnt before it.
            logger.info("No record pairs for a training rule of the %s model.", spec.name)
            linker = Linker(registered, before, log_level=logging.WARNING)
    model = linker.misc.save_model_to_json()
    if prior is not None:
        model["probability_two_random_records_match"] = prior
    return _filled(model, fallback)


def _filled(model, fallback):
    """`model` with each level's missing m or u probability taken from `fallback`."""
    for comparison, known in zip(model["comparisons"], fallback["comparisons"], strict=True):
        levels = zip(comparison["comparison_levels"], known["comparison_levels"], strict=True)
        for level, known_level in levels:
            if level.get("label_for_charts") != known_level.get("label_for_charts"):
                continue
            for name in ("m_probability", "u_probability"):
                if level.get(name) is None and known_level.get(name) is not None:
                    level[name] = known_level[name]
    return model


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
    if trained:
        settings = spec.settings()
    else:
        dialect = db_api.sql_dialect.sql_dialect_str
        settings = in_dialect(model or default_model(spec), spec, dialect)
    registered = db_api.register(data)
    linker = Linker(registered, settings, log_level=logging.WARNING)
    if trained:
        linker = Linker(registered, train(linker, spec, registered), log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=floor)
    pairs = list(_columns(predictions, ["unique_id_l", "unique_id_r", "match_probability"]))
    if cluster:
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        clusters.update(_columns(clustered, ["unique_id", "cluster_id"]))
    return LinkResult(pairs, clusters, linker.misc.save_model_to_json(), trained)


def in_dialect(model, spec, dialect):
    """A saved model with its SQL written for `dialect`, every parameter kept.

    Splink saves comparison levels and blocking rules as SQL of the backend that trained
    the model (DuckDB's list_intersect is Spark's array_intersect), so a model from one
    backend fails on another. The spec renders them again, level by level.
    """
    if model.get("sql_dialect", dialect) == dialect:
        return model
    fresh = spec.settings().create_settings_dict(dialect)
    converted = copy.deepcopy(model)
    for saved, new in zip(converted["comparisons"], fresh["comparisons"], strict=True):
        levels = zip(saved["comparison_levels"], new["comparison_levels"], strict=True)
        for level, new_level in levels:
            if level["label_for_charts"] != new_level["label_for_charts"]:
                raise ValueError(
                    f"The saved model does not match the {spec.name} model: "
                    f"{level['label_for_charts']!r} is now {new_level['label_for_charts']!r}."
                )
            level["sql_condition"] = new_level["sql_condition"]
    rules = fresh["blocking_rules_to_generate_predictions"]
    converted["blocking_rules_to_generate_predictions"] = rules
    converted["sql_dialect"] = dialect
    return converted


def link_people(rows, **options):
    return link(rows, spec=PEOPLE, **options)


def link_businesses(rows, **options):
    return link(rows, spec=BUSINESSES, **options)


def _columns(splink_df, names):
    arrow = splink_df.as_pyarrow_table()
    return zip(*(arrow.column(n).to_pylist() for n in names), strict=True)
