"""Find the same person written several times in a CSV or XLSX file: `pulih dedup-file`.

The file never enters the database. It is read twice, each time as a stream: first to
build the model's row of each record (`features.person_row`), then, once the people model
has scored and clustered them, to copy every row to the output with two more columns:
`cluster_id`, the row number of the first row of the person's cluster, and
`match_probability`, the highest probability linking the row to another row of its
cluster. Between the two passes only the feature rows are held, never the file's cells,
so a million rows fit in a few gigabytes.

Columns are found by their headers (`ALIASES`, compared as the registry import compares
them) unless `--map field=column` says otherwise. A file that cannot be used ends in
`Refused`, whose `core.ids.Problem` says why in Indonesian and English.
"""

import importlib.util
import os
import shutil
import time
from pathlib import Path

from pulih.core.exports import csv_chunks, write_xlsx

from ..engine import link_people
from ..features import person_row
from .columns import ALIASES, columns_match, mapping_parse
from .messages import Refused, problem
from .reading import SPREADSHEET_KINDS, TEXT_EXTENSIONS, row_width, sheet_open

__all__ = [
    "ALIASES",
    "Refused",
    "columns_match",
    "dedup_file",
    "mapping_parse",
    "threshold_parse",
]

CLUSTER_COLUMN = "cluster_id"
PROBABILITY_COLUMN = "match_probability"
PROBABILITY_DIGITS = 6
OUT_EXTENSIONS = (".csv", ".xlsx")
PROGRESS_EVERY = 100_000
XLSX_MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows less the header


def threshold_parse(value) -> float:
    try:
        threshold = float(value)
    except (TypeError, ValueError):
        threshold = None
    if threshold is None or not 0 < threshold < 1:
        raise Refused(problem("threshold", value=value))
    return threshold


def backend_check(backend):
    """Refuse the spark backend at once when it cannot start, before a big file is read."""
    if backend != "spark":
        return
    if importlib.util.find_spec("pyspark") is None:
        raise Refused(problem("spark_missing"))
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise Refused(problem("spark_no_java"))


def paths_check(source, out):
    if not source.is_file():
        raise Refused(problem("file_missing", path=source))
    extension = source.suffix.lower()
    if extension not in (*TEXT_EXTENSIONS, *SPREADSHEET_KINDS):
        raise Refused(problem("file_extension", ext=extension or source.name))
    if out.suffix.lower() not in OUT_EXTENSIONS:
        raise Refused(problem("out_extension", ext=out.suffix or out.name))
    if out.exists() and out.resolve() == source.resolve():
        raise Refused(problem("out_is_input"))
    if not out.parent.is_dir():
        raise Refused(problem("out_unwritable", path=out, reason="no such directory"))


def dedup_file(*, source, out, mapping=None, threshold, backend="duckdb", log=None):
    """Deduplicate the people of `source` into `out`; returns the run's summary."""
    log = log or (lambda line: None)
    source, out, mapping = Path(source), Path(out), mapping or {}
    paths_check(source, out)
    backend_check(backend)
    started = time.perf_counter()
    log(f"reading {source}")
    with sheet_open(source, mapping) as sheet:
        used = {field: str(sheet.header[index]) for field, index in sheet.columns.items()}
        encoding = f", encoding {sheet.encoding}" if sheet.encoding else ""
        log(f"{sheet.kind}{encoding}; columns: " + ", ".join(f"{f}={c}" for f, c in used.items()))
        features, width = _features(sheet, log)
        header = sheet.header + [""] * (width - len(sheet.header))
    rows = len(features)
    if rows > XLSX_MAX_ROWS and out.suffix.lower() == ".xlsx":
        limit, count = f"{XLSX_MAX_ROWS:,}".replace(",", "."), f"{rows:,}".replace(",", ".")
        raise Refused(problem("out_too_many_rows", limit=limit, rows=count))
    read = time.perf_counter()
    log(f"scoring {rows:,} rows ({backend})")
    result = link_people(features, threshold=threshold, floor=threshold, backend=backend)
    del features
    pairs, trained = len(result.pairs), result.trained
    clusters, best = _clusters(result)
    del result
    scored = time.perf_counter()
    log(f"writing {out}")
    with sheet_open(source, mapping) as sheet:
        _write(
            out,
            [*header, CLUSTER_COLUMN, PROBABILITY_COLUMN],
            _out_rows(sheet, width, clusters, best),
        )
    done = time.perf_counter()
    cluster_count = rows - len(clusters) + len(set(clusters.values()))
    log(f"done: {rows:,} rows, {cluster_count:,} clusters, {done - started:.1f} s")
    return {
        "status": "done",
        "file": str(source),
        "out": str(out),
        "rows": rows,
        "clusters": cluster_count,
        "duplicate_rows": rows - cluster_count,
        "pairs": pairs,
        "threshold": threshold,
        "backend": backend,
        "model": "trained" if trained else "packaged",
        "columns": used,
        "seconds": {
            "read": round(read - started, 2),
            "score": round(scored - read, 2),
            "write": round(done - scored, 2),
            "total": round(done - started, 2),
        },
    }


def _features(sheet, log):
    """The model's rows of the sheet, and its width: the header or the longest row."""
    features, width = [], len(sheet.header)
    for count, (number, cells) in enumerate(sheet.rows, start=1):
        features.append(person_row(number, sheet.record(cells)))
        width = max(width, row_width(cells))
        if count % PROGRESS_EVERY == 0:
            log(f"read {count:,} rows")
    return features, width


def _clusters(result):
    """Of the rows that share a cluster with another row: {row number: the cluster's first
    row number} and {row number: its highest probability}. Every pair is at or above the
    threshold, so a row in no pair is alone."""
    best = {}
    for left, right, probability in result.pairs:
        for number in (int(left), int(right)):
            best[number] = max(probability, best.get(number, 0.0))
    first = {}
    for number in best:
        cluster = result.clusters[str(number)]
        first[cluster] = min(number, first.get(cluster, number))
    return {number: first[result.clusters[str(number)]] for number in best}, best


def _out_rows(sheet, width, clusters, best):
    for number, cells in sheet.rows:
        cells = list(cells[:width]) + [None] * (width - len(cells))
        probability = best.get(number)
        if probability is not None:
            probability = round(probability, PROBABILITY_DIGITS)
        yield [*cells, clusters.get(number, number), probability]


def _write(out, header, rows):
    """Write through the one exporter (formula injection neutralised) to a file beside
    `out`, renamed into place once complete, so a failed run leaves no half file."""
    partial = out.with_name(f".{out.name}.partial")
    try:
        if out.suffix.lower() == ".xlsx":
            write_xlsx(partial, header, rows)
        else:
            with partial.open("w", encoding="utf-8", newline="") as f:
                f.writelines(csv_chunks(header, rows))
        partial.replace(out)
    except OSError as exc:
        raise Refused(problem("out_unwritable", path=out, reason=exc.strerror or exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
