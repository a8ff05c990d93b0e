"""Order-wave rush: N civil servants order rice at once through the API, served by gunicorn
on PostgreSQL; then count what was sold, doubled or lost.

    .venv/bin/python -m bench.order_wave [--buyers 64] [--seconds 20]
        [--database-url postgres://postgres@127.0.0.1:5432/pulih_bench]
        [--stock-kg 100000] [--accounts 3000] [--workers W] [--threads T]
        [--retry-share 0.1] [--keep]

The database (its name must contain "bench", its host must be a loopback address) is
dropped and made again, migrated, and given the regions, the demo personas, Koperasi Tani
Mulus's rice in packs of 5, 10 and 20 kg, a published wave with `--stock-kg` of it and four
drop-off points, and `--accounts` civil servants with valid NIPs and API tokens. gunicorn
serves the app on 127.0.0.1 with DEBUG=false, `--workers` processes (cores + 1 by
default: the work is CPU-bound) of `--threads` threads (1: sync workers), and `--preload`
(the workers fork with the URLs and the API imported). Each of the N buyers is a thread
with its own keep-alive connection; it orders for one civil servant after another, each
placing up to three orders of random packs (the ordering service's limit of placed orders
per buyer and wave) through `POST /api/v1/market/waves/{id}/orders`, until the stock is
gone or the time is up. About `--retry-share` of the submits are sent a second time with
the same `Idempotency-Key`, as a client does when the first answer is lost.

Then the database is checked: kilograms sold against the stock (never above), orders
doubled by a retried key (a retry must return the first order), and confirmed orders
(every 200/201 answer) missing from the database or with other lines. pgbench's TPC-B
tps on a scratch database of the same server is the ceiling one can hope for.
Orders per second count the orders created from the start until the stock ran out (or
the time was up); the latency percentiles are those of every submit, refusals included.
The CPU time of gunicorn, of PostgreSQL's processes for the database and of the buyers'
threads is shown per submit (Linux). Prints the figures, then a JSON object on the last
line. Both databases are dropped at the end unless `--keep`.
"""

import argparse
import http.client
import ipaddress
import json
import os
import queue
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pulih_bench"
MAX_BUYERS = 512
MAX_SECONDS = 300
# At most this many submits in one run, whatever the speed.
MAX_REQUESTS = 500_000
KG = 1000
# The status a submit is counted under when refused for lack of stock (a 422 whose
# message is the service's own).
SOLD_OUT = -422
PACK_KG = (5, 10, 20)
# The ordering service's default limit of placed orders per buyer in one wave.
ORDERS_PER_ACCOUNT = 3
# Reads of the wave per connection before the clock starts: every worker has answered.
WARM_UP = 3
MAX_ACCOUNTS = 50_000
CLUSTERS = (
    ("Klaster Gedung Smesco", "Jl. Jenderal Gatot Subroto Kav. 94, Jakarta Selatan"),
    ("Klaster Gedung Kemenkop UKM", "Jl. H.R. Rasuna Said Kav. 3-4, Kuningan, Jakarta Selatan"),
    ("Klaster Bekasi", "Jl. Jenderal Ahmad Yani, Bekasi Selatan"),
    ("Klaster Depok", "Jl. Margonda Raya, Depok"),
)


def database_url_check(url):
    """The URL's parts, if it names a database called *bench* on this machine's loopback."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"refused: {url!r} is not a PostgreSQL URL (postgres://…).")
    host = parts.hostname or ""
    if not _loopback(host):
        raise ValueError(
            f"refused: host {host or '(none)'!r} is not a loopback address; the benchmark "
            "only runs against a server on this machine (127.0.0.1, ::1 or localhost)."
        )
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or "bench" not in name:
        raise ValueError(
            f"refused: database name {name!r} must be lower-case letters, digits and "
            "underscores and contain 'bench': it is dropped and made again."
        )
    return parts


def _loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--stock-kg", type=int, default=100_000)
    parser.add_argument(
        "--accounts", type=int, default=3_000, help="civil servants sharing the connections"
    )
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args(argv)
    if not 1 <= args.buyers <= MAX_BUYERS:
        parser.error(f"--buyers must be 1–{MAX_BUYERS}")
    if not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be above 0 and at most {MAX_SECONDS}")
    if args.stock_kg < 5 or not 0 <= args.retry_share <= 1:
        parser.error("--stock-kg must be at least 5 and --retry-share within 0–1")
    if not args.buyers <= args.accounts <= MAX_ACCOUNTS:
        parser.error(f"--accounts must be from --buyers to {MAX_ACCOUNTS}")
    if not (1 <= args.workers <= 32 and 1 <= args.threads <= 32):
        parser.error("--workers and --threads must be 1–32")
    try:
        args.parts = database_url_check(args.database_url)
    except ValueError as refused:
        parser.error(str(refused))
    return args


def main(argv=None):
    args = arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="pulih-bench-"))
    scratch = f"{args.parts.path.lstrip('/')}_pgbench"
    server = None
    try:
        connections_check(args.parts, args.workers * args.threads)
        database_recreate(args.parts)
        env = environment(args.database_url, workdir)
        scene = scene_prepare(args, env)
        server = Server(env, workdir, args.workers, args.threads)
        server.start()
        print(
            f"gunicorn on 127.0.0.1:{server.port}: {args.workers} workers × {args.threads} "
            f"threads; {args.buyers} buyers for at most {args.seconds:g} s"
        )
        rush = Rush(server.port, scene, args)
        rush.run(meter=lambda: (server.pids(), database_pids(args.parts.path.lstrip("/"))))
        server.stop()
        checked = verify(scene, rush)
        tps = pgbench(args.parts, scratch, args.buyers)
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            database_drop(args.parts, args.parts.path.lstrip("/"))
            database_drop(args.parts, scratch)
        shutil.rmtree(workdir, ignore_errors=True)
    report(args, rush, checked, tps)


# The database -----------------------------------------------------------------------------


def _admin(parts):
    import psycopg

    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def database_recreate(parts, name=None):
    name = name or parts.path.lstrip("/")
    with _admin(parts) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def connections_check(parts, needed):
    """Each gunicorn thread keeps a connection open; the server must have room for them."""
    with _admin(parts) as connection:
        most = int(connection.execute("SHOW max_connections").fetchone()[0])
    if needed > most - 10:
        raise SystemExit(
            f"{needed} gunicorn threads need as many connections; the server allows {most}."
        )


def database_drop(parts, name):
    with _admin(parts) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def environment(url, workdir):
    """Production settings on loopback: DEBUG off, no TLS redirect, quiet logs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pulih.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": url,
        "PULIH_VAR_DIR": str(workdir),
        "LOG_LEVEL": "ERROR",
    }


# The scene ----------------------------------------------------------------------------


def scene_prepare(args, env):
    """Migrate the fresh database and set the wave up; returns what the buyers need."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("wilayah_load", verbosity=0)
    print(f"database migrated, regions loaded: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    wave, packs, drop_offs = wave_prepare(args.stock_kg)
    keys = buyers_create(args.accounts, args.seed)
    tokens = queue.SimpleQueue()
    for key in keys:
        tokens.put(key)
    print(
        f"wave {wave.pk} with {args.stock_kg:,} kg of rice, {len(drop_offs)} drop-off points, "
        f"{len(keys):,} civil servants with tokens: {time.perf_counter() - started:.1f} s"
    )
    return {
        "wave": wave.pk,
        "path": f"/api/v1/market/waves/{wave.pk}/orders",
        "wave_path": f"/api/v1/market/waves/{wave.pk}",
        "warm_up_token": keys[0],
        "packs": packs,
        "drop_offs": drop_offs,
        "tokens": tokens,
        "exhausted": lambda: stock_exhausted(wave.pk, min(PACK_KG) * KG),
        "sold_out": sold_out_pattern(),
    }


def wave_prepare(stock_kg):
    """Koperasi Tani Mulus's rice offered in a published wave open for the next hour."""
    import datetime

    from django.utils import timezone

    from pulih.accounts.services import demo_personas_create
    from pulih.market.products import product_create
    from pulih.market.waves import drop_off_add, wave_create, wave_offer_set, wave_publish

    personas, _ = demo_personas_create()
    pusat, pic = personas["pusat"], personas["pic-kemenkop"]
    rice = product_create(
        user=personas["koperasi-tanimulus"],
        seller=personas["koperasi-tanimulus"].organisation,
        name="Beras Tani Mulus",
        category="pangan_pokok",
        unit="kg",
        price_per_unit=11_000,
        pack_sizes=PACK_KG,
    )
    now = timezone.now()
    wave = wave_create(
        user=pusat,
        title="Gelombang uji beban",
        organiser=pusat.organisation,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(hours=1),
        distribution_on=timezone.localdate(now) + datetime.timedelta(days=2),
        institutions=[pusat.organisation],
    )
    wave_offer_set(user=pusat, wave=wave, product=rice, stock=stock_kg)
    drop_offs = [
        drop_off_add(user=pusat, wave=wave, cluster=cluster, address=address, pic=pic).pk
        for cluster, address in CLUSTERS
    ]
    wave_publish(user=pusat, wave=wave)
    return wave, list(rice.packs.values_list("pk", flat=True)), drop_offs


def buyers_create(count, seed):
    """`count` civil servants of Kemenkop with valid NIPs, each with an API token. Made in
    bulk: `user_create` checks one user at a time, too slow for thousands."""
    from pulih.accounts.models import ApiToken, Organisation, Role, User
    from pulih.core.ids import parse_nip
    from pulih.market.demo import make_nip

    rng = random.Random(seed)
    kemenkop = Organisation.objects.get(name="Kementerian Koperasi dan UKM")
    nips = set()
    while len(nips) < count:
        nips.add(make_nip(rng, rng.choice("MF")))
    assert all(parse_nip(nip).valid for nip in nips)
    users = []
    for nip in sorted(nips):
        user = User(username=f"asn-{nip}", role=Role.ASN, organisation=kemenkop, nip=nip)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users, batch_size=1000)
    keys = [secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=user, key_hash=ApiToken.hash(key), prefix=key[:8])
            for user, key in zip(users, keys, strict=True)
        ],
        batch_size=1000,
    )
    return keys


def stock_exhausted(wave_id, smallest_milli):
    from pulih.market.models import WaveProduct

    left = WaveProduct.objects.filter(wave_id=wave_id).values_list("remaining_milli", flat=True)
    return all(milli < smallest_milli for milli in left)


def sold_out_pattern():
    """The ordering service's refusal for lack of stock, in either language."""
    from django.utils import translation

    from pulih.market.ordering import STOCK_SHORT

    texts = []
    for language in ("id", "en"):
        with translation.override(language):
            texts.append(re.sub(r"%\\\(\w+\\\)s", ".+", re.escape(str(STOCK_SHORT))))
    return re.compile("|".join(texts))


# The server ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def preloaded():
    """The WSGI app with its URLs and API already imported, for gunicorn's --preload: the
    workers fork with them loaded instead of each importing them on its first request."""
    from django.core.wsgi import get_wsgi_application
    from django.urls import get_resolver

    application = get_wsgi_application()
    get_resolver().url_patterns  # noqa: B018 — imports every URL module
    return application


class Server:
    """gunicorn serving the app on a free loopback port, its log in the work directory."""

    def __init__(self, env, workdir, workers, threads):
        self.env, self.workers, self.threads = env, workers, threads
        self.log = workdir / "gunicorn.log"
        self.port = free_port()
        self.process = None

    def start(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn),
            "bench.order_wave:preloaded()",
            "--preload",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--backlog",
            "2048",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 — fixed argument list
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start:\n{self.log.read_text()[-2000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(
            f"gunicorn did not answer /healthz within 60 s:\n{self.log.read_text()[-2000:]}"
        )

    def pids(self):
        """gunicorn and its workers (Linux)."""
        pid = self.process.pid
        try:
            return [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
        except OSError:
            return []

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# Where the CPU goes (Linux /proc; nothing elsewhere) --------------------------------


def database_pids(name):
    """The PostgreSQL server processes serving database `name` on this machine."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if command.startswith("postgres:") and f" {name} " in command:
            pids.append(int(cmdline.parent.name))
    return pids


def cpu_seconds(pids):
    """{pid: user + system CPU seconds so far} of those processes still running."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def cpu_used(before, after):
    return sum(value - before.get(pid, 0) for pid, value in after.items())


# The rush -----------------------------------------------------------------------------


@dataclass
class Submit:
    """One order submitted, and its retry when there was one."""

    key: str
    items: dict  # pack id → packs
    status: int
    order: int | None
    ms: float
    at: float  # when the answer came, in perf_counter seconds
    retry_status: int | None = None
    retry_order: int | None = None
    retry_ms: float | None = None


@dataclass
class Rush:
    """N buyer threads posting orders until the stock is gone or the time is up."""

    port: int
    scene: dict
    args: argparse.Namespace
    submits: list = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    sample_errors: list = field(default_factory=list)
    started: float = 0.0
    sold_out_after: float | None = None
    accounts_exhausted: bool = False
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    database_cpu: float = 0.0
    seconds: float = 0.0

    def run(self, meter):
        """`meter()` gives (server pids, database pids), whose CPU time is measured."""
        stop = threading.Event()
        ready = threading.Barrier(self.args.buyers + 1)
        buyers = [
            threading.Thread(target=self.buyer, args=(index, stop, ready), daemon=True)
            for index in range(self.args.buyers)
        ]
        for thread in buyers:
            thread.start()
        ready.wait()
        self.started = time.perf_counter()
        cpu = time.process_time()
        server, database = (cpu_seconds(pids) for pids in meter())
        deadline = self.started + self.args.seconds
        while time.perf_counter() < deadline and any(t.is_alive() for t in buyers):
            if self.scene["exhausted"]():
                self.sold_out_after = time.perf_counter() - self.started
                break
            time.sleep(0.05)
        self.seconds = time.perf_counter() - self.started
        stop.set()
        for thread in buyers:
            thread.join(timeout=60)
        self.client_cpu = time.process_time() - cpu
        server_after, database_after = (cpu_seconds(pids) for pids in meter())
        self.server_cpu = cpu_used(server, server_after)
        self.database_cpu = cpu_used(database, database_after)

    def created_in_time(self):
        """Orders created before the rush stopped (sold out or time up)."""
        end = self.started + self.seconds
        return sum(1 for s in self.submits if s.status == 201 and s.at <= end)

    def buyer(self, index, stop, ready):
        """One connection; its civil servants, one after another, submit up to
        ORDERS_PER_ACCOUNT orders each (the most a buyer may have in a wave)."""
        rng = random.Random(self.args.seed * 100_003 + index)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            for _ in range(WARM_UP):
                self.get(connection, self.scene["wave_path"])
        except Exception:
            ready.abort()
            raise
        ready.wait()
        while not stop.is_set() and len(self.submits) < MAX_REQUESTS:
            try:
                token = self.scene["tokens"].get_nowait()
            except queue.Empty:
                self.accounts_exhausted = True
                break
            for _ in range(ORDERS_PER_ACCOUNT):
                if stop.is_set():
                    break
                self.submits.append(self.submit(connection, token, rng))
        connection.close()

    def submit(self, connection, token, rng):
        items = {
            pack: rng.randint(1, 3) for pack in rng.sample(self.scene["packs"], rng.randint(1, 2))
        }
        body = json.dumps(
            {
                "drop_off": rng.choice(self.scene["drop_offs"]),
                "fulfilment": "ojek" if rng.random() < 0.2 else "collect",
                "items": [{"pack": pack, "quantity": n} for pack, n in items.items()],
            }
        )
        key = uuid.uuid4().hex
        status, order, ms = self.post(connection, token, key, body)
        submit = Submit(key, items, status, order, ms, time.perf_counter())
        if rng.random() < self.args.retry_share:
            submit.retry_status, submit.retry_order, submit.retry_ms = self.post(
                connection, token, key, body
            )
        return submit

    def get(self, connection, path):
        headers = {"Authorization": f"Bearer {self.scene['warm_up_token']}"}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}")

    def post(self, connection, token, key, body):
        headers = {
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": key,
            "Content-Type": "application/json",
            "Accept-Language": "id",
        }
        started = time.perf_counter()
        try:
            connection.request("POST", self.scene["path"], body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            self.errors[type(error).__name__] += 1
            return 0, None, (time.perf_counter() - started) * 1000
        ms = (time.perf_counter() - started) * 1000
        answer = json.loads(data) if data else {}
        if response.status in (200, 201):
            return response.status, answer["id"], ms
        if response.status == 422 and self.scene["sold_out"].fullmatch(answer.get("message", "")):
            return SOLD_OUT, None, ms
        self.errors[response.status] += 1
        if len(self.sample_errors) < 5:
            self.sample_errors.append((response.status, data[:300].decode(errors="replace")))
        return response.status, None, ms


# The checks ---------------------------------------------------------------------------


def verify(scene, rush):
    """What the database holds after the rush, against what the buyers were told."""
    from django.db import connection
    from django.db.models import Count, F, Sum

    from pulih.market.models import Order, OrderLine, WaveProduct

    connection.close()
    offers = list(WaveProduct.objects.filter(wave_id=scene["wave"]))
    lines = OrderLine.objects.filter(order__wave_id=scene["wave"]).exclude(
        order__status=Order.Status.CANCELLED
    )
    sold = dict(
        lines.values("offer")
        .annotate(milli=Sum(F("quantity") * F("size_milli")))
        .values_list("offer", "milli")
    )
    stock = sum(offer.stock_milli for offer in offers)
    oversold = sum(max(sold.get(offer.pk, 0) - offer.stock_milli, 0) for offer in offers)
    ledger_agrees = all(
        offer.stock_milli - offer.remaining_milli == sold.get(offer.pk, 0) for offer in offers
    )
    orders = Order.objects.filter(wave_id=scene["wave"])
    doubled = orders.values("buyer", "idempotency_key").annotate(n=Count("pk")).filter(n__gt=1)
    by_order = {}
    for order, key, pack, quantity in OrderLine.objects.filter(
        order__wave_id=scene["wave"]
    ).values_list("order", "order__idempotency_key", "pack", "quantity"):
        by_order.setdefault(order, (key, {}))[1][pack] = quantity
    sent = {submit.key for submit in rush.submits}
    confirmed, lost, retry_other = 0, 0, 0
    for submit in rush.submits:
        for status, order in (
            (submit.status, submit.order),
            (submit.retry_status, submit.retry_order),
        ):
            if status in (200, 201):
                confirmed += 1
                if by_order.get(order) != (submit.key, submit.items):
                    lost += 1
        first_ok = submit.status in (200, 201)
        if first_ok and submit.retry_status is not None and submit.retry_order != submit.order:
            retry_other += 1
    return {
        "stock_milli": stock,
        "sold_milli": sum(sold.values()),
        "oversold_milli": oversold,
        "ledger_agrees": ledger_agrees,
        "orders": orders.count(),
        "duplicate_orders": sum(row["n"] - 1 for row in doubled) + retry_other,
        "retry_other_order": retry_other,
        "unknown_orders": sum(1 for key, _ in by_order.values() if key not in sent),
        "confirmed": confirmed,
        "lost_confirmed_orders": lost,
    }


def pgbench(parts, name, clients):
    """TPC-B transactions per second on a scratch database, or None without pgbench."""
    program = shutil.which("pgbench")
    if program is None:
        print("pgbench: not installed, no ceiling measured")
        return None
    database_recreate(parts, name)
    env = {
        **os.environ,
        "PGHOST": parts.hostname,
        "PGPORT": str(parts.port or 5432),
        "PGUSER": parts.username or "postgres",
    }
    if parts.password:
        env["PGPASSWORD"] = parts.password
    subprocess.run(  # noqa: S603
        [program, "-i", "-s", "10", "-q", name], env=env, check=True, capture_output=True
    )
    done = subprocess.run(  # noqa: S603
        [program, "-c", str(min(clients, 80)), "-j", "2", "-T", "10", name],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    return round(float(found.group(1))) if found else None


# The figures --------------------------------------------------------------------------


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(int(share * len(ordered)), len(ordered) - 1)], 1)


def report(args, rush, checked, tps):
    submits = rush.submits
    latencies = [s.ms for s in submits] + [s.retry_ms for s in submits if s.retry_ms]

    def per_request(seconds):
        return round(seconds * 1000 / len(latencies), 1) if latencies else None

    created = sum(1 for s in submits if s.status == 201)
    in_time = rush.created_in_time()
    sold_out = sum(1 for s in submits if s.status == SOLD_OUT)
    figures = {
        "buyers": args.buyers,
        "seconds": round(rush.seconds, 2),
        "orders_per_second": round(in_time / rush.seconds, 1),
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "requests": len(latencies),
        "orders_created": created,
        "retries": sum(1 for s in submits if s.retry_status is not None),
        "rejected_sold_out": sold_out,
        "units_sold_kg": checked["sold_milli"] / KG,
        "stock_kg": checked["stock_milli"] / KG,
        "oversold_kg": checked["oversold_milli"] / KG,
        "duplicate_orders": checked["duplicate_orders"],
        "lost_confirmed_orders": checked["lost_confirmed_orders"],
        "pgbench_tps": tps,
        "gunicorn_workers": args.workers,
        "gunicorn_threads": args.threads,
        "sold_out_after_s": None if rush.sold_out_after is None else round(rush.sold_out_after, 2),
        "other_errors": sum(rush.errors.values()),
        "gunicorn_cpu_ms_per_request": per_request(rush.server_cpu),
        "postgres_cpu_ms_per_request": per_request(rush.database_cpu),
        "buyers_cpu_ms_per_request": per_request(rush.client_cpu),
    }
    print(
        f"{figures['requests']:,} submits in {figures['seconds']} s: {created:,} orders created "
        f"({figures['orders_per_second']}/s), {figures['retries']:,} retried with the same key, "
        f"{sold_out:,} refused for lack of stock, {figures['other_errors']} other errors "
        f"{dict(rush.errors) or ''}"
    )
    for status, body in rush.sample_errors:
        print(f"  e.g. {status}: {body}")
    print(
        f"latency: p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms"
        + ("; every account used up" if rush.accounts_exhausted else "")
    )
    print(
        f"CPU time a submit: gunicorn {figures['gunicorn_cpu_ms_per_request']} ms, PostgreSQL "
        f"{figures['postgres_cpu_ms_per_request']} ms, the buyers' threads "
        f"{figures['buyers_cpu_ms_per_request']} ms"
    )
    print(
        f"sold {figures['units_sold_kg']:,.0f} kg of {figures['stock_kg']:,.0f} kg "
        f"(sold out after {figures['sold_out_after_s']} s); oversold {figures['oversold_kg']} kg; "
        f"stock ledger agrees with the lines: {checked['ledger_agrees']}"
    )
    print(
        f"orders in the database: {checked['orders']:,}; duplicate orders "
        f"{figures['duplicate_orders']} ({checked['retry_other_order']} retries answered with "
        f"another order); {checked['confirmed']:,} confirmations, "
        f"{figures['lost_confirmed_orders']} lost; {checked['unknown_orders']} orders never sent"
    )
    print(f"pgbench TPC-B ceiling: {tps} tps")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
