"""Record linkage against the truth: generate N synthetic Indonesian people with about
20% duplicates (bench/dedup_data.py), link them end to end with pulih's model, and
compare with two baselines on the same rows: exact-NIK matching, and Splink with plain
untuned settings (raw columns, library comparisons, default threshold).

    .venv/bin/python -m bench.dedup --size 100000 [--seed 0] [--threshold 0.95]
    .venv/bin/python -m bench.dedup --size 100000 --methods pulih \
        --save-model src/pulih/dedup/data/person_model.json

`--save-model` writes the people model pulih trained, and beside it the business model
(business_model.json) trained on the same rows' businesses: the packaged models used
when a run has too few records to learn from.

Each method runs in its own child process, so its wall time and peak memory (ru_maxrss)
are its own. Prints progress, then the figures as JSON on the last line.
"""

import argparse
import json
import logging
import multiprocessing
import os
import platform
import resource
import sys
import time
from collections import Counter, defaultdict
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulih.settings")
os.environ.setdefault("DEBUG", "true")

THRESHOLD = 0.95


def _people(size, seed):
    from bench.dedup_data import generate_people

    return generate_people(size, seed=seed)


def _record(row):
    _, _, nik, name, birth_date, sex, phone, address, village, _ = row
    return {
        "id_number": nik,
        "name": name,
        "birth_date": birth_date,
        "sex": sex,
        "phone": phone,
        "address": address,
        "region": village,
    }


def run_pulih(people, threshold, save_model=None):
    import django

    django.setup()
    from pulih.dedup.engine import link_businesses, link_people
    from pulih.dedup.features import business_row, person_row

    rows = [person_row(row[0], _record(row)) for row in people]
    result = link_people(rows, threshold=threshold, floor=threshold)
    if save_model:
        _save(result.model, save_model)
        businesses = link_businesses(
            [
                business_row(
                    row[0],
                    owner=result.clusters[row[0]],
                    owner_nik=row[2],
                    owner_name=row[3],
                    name=row[9],
                    phone=row[6],
                    region=row[8],
                )
                for row in people
                if row[9]
            ],
            threshold=threshold,
            floor=threshold,
            cluster=False,
        )
        _save(businesses.model, save_model.replace("person_model", "business_model"))
    return result.clusters


def _save(model, path):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(model, out, indent=1, sort_keys=True)
        out.write("\n")


def run_exact_nik(people, threshold):
    by_nik = {}
    return {row[0]: by_nik.setdefault(row[2], row[0]) if row[2] else row[0] for row in people}


def run_plain_splink(people, threshold):
    """Splink as a newcomer would set it up: raw columns, the comparison library's
    defaults, a u estimate by random sampling and EM on two blocking rules."""
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    columns = ("unique_id", "nik", "name", "birth_date", "sex", "phone", "address", "village")
    data = {
        name: [row[i] or None for row in people]
        for name, i in zip(columns, (0, 2, 3, 4, 5, 6, 7, 8), strict=True)
    }
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.ExactMatch("nik"),
            cl.NameComparison("name"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("village"),
            cl.LevenshteinAtThresholds("address"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nik"),
            block_on("name", "birth_date"),
            block_on("phone"),
        ],
    )
    linker = Linker(DuckDBAPI().register(pa.table(data)), settings, log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("name", "birth_date")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.9)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.9
    ).as_pyarrow_table()
    clusters = {row[0]: row[0] for row in people}
    clusters.update(
        zip(
            clustered.column("unique_id").to_pylist(),
            clustered.column("cluster_id").to_pylist(),
            strict=True,
        )
    )
    return clusters


METHODS = {"pulih": run_pulih, "exact_nik": run_exact_nik, "splink_plain": run_plain_splink}


def _child(method, size, seed, threshold, save_model, queue):
    started = time.monotonic()
    people = _people(size, seed)
    generated = time.monotonic()
    kwargs = {"save_model": save_model} if method == "pulih" else {}
    clusters = METHODS[method](people, threshold, **kwargs)
    seconds = time.monotonic() - generated
    scores = score(clusters, {row[0]: row[1] for row in people})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    queue.put(
        {
            "seconds": round(seconds, 1),
            "generate_seconds": round(generated - started, 1),
            "peak_memory_gib": round(peak / 2**30, 2),
            **scores,
        }
    )


def _pairs(sizes):
    return sum(n * (n - 1) // 2 for n in sizes)


def score(predicted, truth):
    """Pairwise precision/recall/F1 and cluster F1 (clusters reproduced exactly)."""
    pred_sizes = Counter(predicted.values())
    true_sizes = Counter(truth.values())
    both = Counter((predicted[r], truth[r]) for r in truth)
    tp = _pairs(both.values())
    pred_pairs, true_pairs = _pairs(pred_sizes.values()), _pairs(true_sizes.values())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    members = defaultdict(set)
    for record, cluster in predicted.items():
        members[("p", cluster)].add(record)
    for record, cluster in truth.items():
        members[("t", cluster)].add(record)
    pred_sets = {frozenset(v) for k, v in members.items() if k[0] == "p"}
    exact = sum(1 for k, v in members.items() if k[0] == "t" and frozenset(v) in pred_sets)
    c_precision, c_recall = exact / len(pred_sizes), exact / len(true_sizes)
    return {
        "pairwise_precision": round(precision, 4),
        "pairwise_recall": round(recall, 4),
        "pairwise_f1": round(_f1(precision, recall), 4),
        "cluster_f1": round(_f1(c_precision, c_recall), 4),
        "true_pairs": true_pairs,
        "predicted_pairs": pred_pairs,
    }


def _f1(p, r):
    return 2 * p * r / (p + r) if p + r else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--save-model", help="write pulih's trained model to this JSON file")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    results = {}
    for method in args.methods.split(","):
        queue = context.Queue()
        child = context.Process(
            target=_child,
            args=(method, args.size, args.seed, args.threshold, args.save_model, queue),
        )
        child.start()
        results[method] = queue.get()
        child.join()
        print(method, json.dumps(results[method]), file=sys.stderr, flush=True)
    print(
        json.dumps(
            {
                "benchmark": "dedup",
                "size": args.size,
                "seed": args.seed,
                "threshold": args.threshold,
                "date": date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"{platform.python_implementation()} {platform.python_version()}",
                **results,
            }
        )
    )


if __name__ == "__main__":
    main()
