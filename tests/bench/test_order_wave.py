"""The order-wave benchmark drops and makes its database again, so it refuses any server
but this machine's and any database not named for benchmarks; and it recognises the
ordering service's refusal for lack of stock in both languages."""

import pytest
from bench.order_wave import arguments, percentile, sold_out_pattern
from django.utils import translation

from pulih.market.ordering import STOCK_SHORT


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@10.0.0.5:5432/pulih_bench",
        "postgres://postgres@db.example.org/pulih_bench",
        "postgres://postgres@0.0.0.0/pulih_bench",
        "postgres:///pulih_bench",
    ],
)
def test_a_server_off_this_machine_is_refused(url, capsys):
    with pytest.raises(SystemExit):
        arguments(["--database-url", url])
    assert "is not a loopback address" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url",
    ["postgres://postgres@127.0.0.1/pulih", "postgres://postgres@127.0.0.1/bench;drop"],
)
def test_a_database_not_named_for_benchmarks_is_refused(url, capsys):
    with pytest.raises(SystemExit):
        arguments(["--database-url", url])
    assert "must be lower-case letters" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/pulih_bench",
        "postgresql://postgres@localhost/bench_orders",
        "postgres://postgres:secret@[::1]:5433/pulih_bench_2",
    ],
)
def test_loopback_servers_are_accepted(url):
    assert arguments(["--database-url", url]).parts.path.lstrip("/").count("bench") == 1


@pytest.mark.parametrize(
    "options",
    [["--buyers", "0"], ["--buyers", "5000"], ["--seconds", "0"], ["--seconds", "3600"]],
)
def test_the_run_is_bounded_in_buyers_and_time(options):
    with pytest.raises(SystemExit):
        arguments(options)


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_refusal_for_lack_of_stock_is_recognised(language):
    pattern = sold_out_pattern()
    with translation.override(language):
        message = str(STOCK_SHORT) % {"left": "15 kg", "product": "Beras Tani Mulus"}
        assert pattern.fullmatch(message)
        assert not pattern.fullmatch("Too many orders in a minute.")


def test_percentiles_of_the_latencies():
    latencies = [float(ms) for ms in range(1, 101)]
    assert (percentile(latencies, 0.5), percentile(latencies, 0.99)) == (51.0, 100.0)
    assert percentile([], 0.5) is None
