#!/usr/bin/env python3
"""prisma-launcher benchmark harness (stdlib only). Start it through bench/run; see bench/README.md.

Every contender is a real process started with posix_spawn in its own process group; the wall time
is taken around spawn + wait4 and the peak RSS is the child's rusage ru_maxrss from wait4, which
the kernel keeps across execve (so a launcher that execs `true` reports the JVM's peak) and which
includes the largest descendant it waited for (Prisma's node processes). Contenders alternate run by
run (round-robin, start rotated every round) so that drift on the machine hits all of them alike.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import platform
import re
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
FIXTURE = ROOT / "src" / "test" / "fixtures" / "prisma-pg"
HISTORIES = ROOT / "src" / "test" / "resources" / "histories"
JAR = ROOT / "target" / "prisma-launcher.jar"
LAYOUT = ROOT / "target" / "prisma-launcher"
ENTRYPOINT = LAYOUT / "entrypoint"

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"
DB_PREFIX = "plbench_"
# The jar's JVM flags, as README/DEVELOPERS document for running the jar directly.
JAR_JVM_FLAGS = ["--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
# Launcher settings a caller's environment must not leak into the contenders.
LAUNCHER_ENV = [
    "DATABASE_URL", "MIGRATE_DATABASE_URL", "SKIP_MIGRATIONS", "MIGRATION_RESOLVE_STRATEGY",
    "PRISMA_MIGRATIONS_DIR", "PRISMA_COMMAND", "PRISMA_DEPLOY_ARGS", "ALWAYS_DEPLOY", "DB_WAIT_TIMEOUT",
    "LOCK_TIMEOUT", "DEPLOY_TIMEOUT", "MAX_RESOLVE_ATTEMPTS", "DRY_RUN", "LOG_FORMAT", "LOG_LEVEL",
    "TERMINATION_LOG", "DEPLOY_ENGINE", "DDL_LOCK_TIMEOUT", "PRISMA_LAUNCHER_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
]
FAILED_MIGRATION = "20250104000000_not_null_email"
PENDING_MIGRATION = "20250104000000_add_flag"
SCENARIOS = ["noop", "pending", "failed", "scale", "resident", "floor", "profile", "hyperfine", "engine"]


class BenchError(Exception):
    pass


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# processes


@dataclass
class Sample:
    wall_s: float
    maxrss_kib: int
    rc: int


RUNNING: set[int] = set()  # spawned and not yet reaped: killed (group) if the harness is stopped


def kill_running() -> None:
    for pid in list(RUNNING):
        for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                kill()
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        RUNNING.discard(pid)


def spawn(argv: list[str], env: dict[str, str], cwd: Path, out: Path) -> int:
    """posix_spawn argv (absolute argv[0]) in cwd, stdin /dev/null, stdout+stderr to out, own process group."""
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(out), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    here = os.getcwd()
    os.chdir(cwd)
    try:
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions, setpgroup=0)
        RUNNING.add(pid)
        return pid
    finally:
        os.chdir(here)


def reap(pid: int, timeout_s: float) -> tuple[int, resource.struct_rusage]:
    """wait4 with a bound: a pidfd becomes readable when the child exits; past the bound, SIGKILL its group."""
    fd = os.pidfd_open(pid)
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        if not poller.poll(int(timeout_s * 1000)):
            for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
                try:
                    kill()
                except ProcessLookupError:
                    pass
            os.wait4(pid, 0)
            RUNNING.discard(pid)
            raise BenchError(f"pid {pid} still running after {timeout_s:.0f} s: killed")
        _, status, usage = os.wait4(pid, 0)
        RUNNING.discard(pid)
        return os.waitstatus_to_exitcode(status), usage
    finally:
        os.close(fd)


def measure(argv: list[str], env: dict[str, str], cwd: Path, out: Path, timeout_s: float) -> Sample:
    t0 = time.perf_counter()
    pid = spawn(argv, env, cwd, out)
    rc, usage = reap(pid, timeout_s)
    return Sample(time.perf_counter() - t0, usage.ru_maxrss, rc)


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


def capture(argv: list[str], timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)


# --------------------------------------------------------------------------------------------------
# PostgreSQL


class Pg:
    def __init__(self, psql: str):
        self.psql = psql
        self.prefix = f"{DB_PREFIX}{os.getpid()}_"
        self.created: list[str] = []
        self.env = dict(os.environ, PGCONNECT_TIMEOUT="5")
        for k in ("PGDATABASE", "PGOPTIONS", "PGSERVICE"):
            self.env.pop(k, None)

    def url(self, db: str) -> str:
        return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{db}"

    def sql(self, query: str, db: str = "postgres", stdin: str | None = None) -> str:
        argv = [self.psql, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", PG_HOST, "-p", PG_PORT,
                "-U", PG_USER, "-d", db]
        if query:
            argv += ["-c", query]
        r = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=120, env=self.env)
        if r.returncode != 0:
            raise BenchError(f"psql on {db} failed: {r.stderr.strip()} (query: {query[:200]})")
        return r.stdout.strip()

    def name(self, suffix: str) -> str:
        n = self.prefix + suffix
        assert re.fullmatch(r"[a-z0-9_]{1,63}", n), n
        return n

    def create(self, name: str, template: str | None = None) -> str:
        q = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        for attempt in range(40):  # a template's last backend may still be exiting: bounded retry
            try:
                self.created.append(name)
                self.sql(q)
                return name
            except BenchError as e:
                self.created.remove(name)
                if "being accessed by other users" not in str(e) or attempt == 39:
                    raise
                time.sleep(0.25)
        return name

    def drop(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def drop_all(self) -> None:
        for name in list(reversed(self.created)):
            try:
                self.drop(name)
            except Exception as e:  # noqa: BLE001 - clean up what we can
                log(f"could not drop {name}: {e}")

    def drop_stale(self) -> None:
        """Databases of earlier harness runs that were killed before their clean-up (their pid is gone)."""
        names = self.sql(f"SELECT datname FROM pg_database WHERE datname LIKE '{DB_PREFIX}%'").split()
        for name in names:
            m = re.match(rf"{DB_PREFIX}(\d+)_", name)
            if m and not Path(f"/proc/{m.group(1)}").exists():
                log(f"dropping stale database {name}")
                self.drop(name)


# --------------------------------------------------------------------------------------------------
# statistics and formatting


def quartiles(xs: list[float]) -> tuple[float, float, float]:
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0], xs[0], xs[0]
    q1, q2, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return q1, q2, q3


def ms(s: float) -> str:
    v = s * 1000
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def md_table(headers: list[str], rows: list[list[str]], align: str | None = None) -> str:
    align = align or "l" + "r" * (len(headers) - 1)
    sep = ["---:" if a == "r" else "---" for a in align]
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(sep) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


# --------------------------------------------------------------------------------------------------
# contenders and the alternating runner


@dataclass
class Contender:
    key: str
    label: str
    argv: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    # per run: returns (extra env, finish(sample)) - e.g. a fresh database from a template, checked and dropped after
    per_run: Callable[[], tuple[dict[str, str], Callable[[Sample], None]]] | None = None
    expect_rc: int = 0


class Harness:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="plbench."))
        self.out = self.work / "out.log"
        self.pg = Pg(shutil.which("psql") or "psql")
        self.java_home = Path(os.environ["JAVA_HOME"])
        self.node_modules = Path(os.environ["PRISMA_NODE_MODULES"])
        self.has_layout = ENTRYPOINT.is_file() and os.access(ENTRYPOINT, os.X_OK) and not args.no_entrypoint
        self.base_env = {k: v for k, v in os.environ.items() if k not in LAUNCHER_ENV}
        self.base_env.update(CHECKPOINT_DISABLE="1", PRISMA_HIDE_UPDATE_MESSAGE="1")
        self.sh = shutil.which("sh") or "/bin/sh"
        self.results: dict[str, object] = {}
        self.md: list[str] = []
        self.counter = 0

    # ---- helpers

    def env(self, **extra: str) -> dict[str, str]:
        e = dict(self.base_env)
        e.update(extra)
        return e

    def jar_cmd(self, *args: str) -> list[str]:
        return [str(self.java_home / "bin" / "java"), *JAR_JVM_FLAGS, "-jar", str(JAR), *args]

    def ep_cmd(self, *args: str) -> list[str]:
        return [str(ENTRYPOINT), *args]

    def shell(self, script: str) -> list[str]:
        return [self.sh, "-c", script]

    def project(self, name: str, extra: dict[str, str] | None = None) -> Path:
        """A copy of the Prisma fixture project (+ extra migrations name -> SQL), node_modules symlinked."""
        d = self.work / name
        shutil.copytree(FIXTURE, d)
        (d / "node_modules").symlink_to(self.node_modules)
        for mig, sql in (extra or {}).items():
            (d / "prisma" / "migrations" / mig).mkdir()
            (d / "prisma" / "migrations" / mig / "migration.sql").write_text(sql)
        return d

    def prisma(self, cwd: Path, db: str, *args: str, expect_ok: bool = True) -> subprocess.CompletedProcess:
        r = capture([str(cwd / "node_modules" / ".bin" / "prisma"), *args], cwd=cwd,
                    env=self.env(DATABASE_URL=self.pg.url(db)))
        if expect_ok and r.returncode != 0:
            raise BenchError(f"prisma {' '.join(args)} on {db} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
        return r

    def rounds(self, name: str, contenders: list[Contender], warmup: int, runs: int) -> dict[str, list[Sample]]:
        """Round-robin: every round runs each contender once, the start rotated by one each round."""
        samples: dict[str, list[Sample]] = {c.key: [] for c in contenders}
        k = len(contenders)
        total = warmup + runs
        for r in range(total):
            order = contenders[r % k:] + contenders[: r % k]
            line = []
            for c in order:
                extra, finish = c.per_run() if c.per_run else ({}, None)
                env = dict(c.env)
                env.update(extra)
                s = measure(c.argv, env, c.cwd, self.out, self.args.timeout)
                if s.rc != c.expect_rc:
                    raise BenchError(f"{name}: {c.label} exited {s.rc} (expected {c.expect_rc}); its output:\n"
                                     f"{tail(self.out)}")
                if finish:
                    finish(s)
                if r >= warmup:
                    samples[c.key].append(s)
                line.append(f"{c.key} {ms(s.wall_s)}")
            tag = "warm-up" if r < warmup else "run"
            log(f"{name}: {tag} {r + 1}/{total}: " + ", ".join(line))
        self.results.setdefault("samples", {})[name] = {
            k: [[round(x.wall_s, 6), x.maxrss_kib] for x in v] for k, v in samples.items()}
        return samples

    def summary(self, samples: list[Sample]) -> dict[str, float]:
        w = [s.wall_s for s in samples]
        m = [float(s.maxrss_kib) for s in samples]
        q1, q2, q3 = quartiles(w)
        r1, r2, r3 = quartiles(m)
        return {"n": len(w), "median": q2, "p25": q1, "p75": q3, "min": min(w), "max": max(w),
                "rss_median": r2, "rss_min": min(m), "rss_max": max(m), "rss_p25": r1, "rss_p75": r3}

    def time_table(self, contenders: list[Contender], samples: dict[str, list[Sample]], baseline: str | None,
                   baseline_label: str = "ratio") -> tuple[str, dict[str, dict[str, float]]]:
        stats = {c.key: self.summary(samples[c.key]) for c in contenders}
        base = stats[baseline]["median"] if baseline else None
        rows = []
        for c in contenders:
            st = stats[c.key]
            row = [c.label, ms(st["median"]), f"{ms(st['p25'])}–{ms(st['p75'])}", f"{ms(st['min'])}–{ms(st['max'])}"]
            if baseline:
                row.append(f"{st['median'] / base:.2f}×")
            row += [mib(st["rss_median"]), f"{mib(st['rss_min'])}–{mib(st['rss_max'])}"]
            rows.append(row)
        headers = ["contender", "median ms", "p25–p75 ms", "min–max ms"]
        if baseline:
            headers.append(baseline_label)
        headers += ["peak RSS MiB (median)", "peak RSS min–max"]
        return md_table(headers, rows), stats

    # ---- fresh databases per run

    def fresh_db(self, template: str, tag: str, check: Callable[[str], None]):
        def per_run():
            self.counter += 1
            name = self.pg.create(self.pg.name(f"{tag}_{self.counter}"), template)

            def finish(_s: Sample) -> None:
                check(name)
                self.pg.drop(name)
            return {"DATABASE_URL": self.pg.url(name)}, finish
        return per_run

    def applied_once(self, migration: str) -> Callable[[str], None]:
        def check(db: str) -> None:
            n = self.pg.sql("SELECT count(*) FROM _prisma_migrations WHERE migration_name = "
                            f"'{migration}' AND finished_at IS NOT NULL AND rolled_back_at IS NULL", db)
            failed = self.pg.sql("SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NULL "
                                 "AND rolled_back_at IS NULL", db)
            if n != "1" or failed != "0":
                raise BenchError(f"{db}: expected {migration} applied once and no failed row; got {n} applied, "
                                 f"{failed} failed. Last output:\n{tail(self.out)}")
        return check

    # ---- set-up shared by the scenarios

    def setup(self) -> None:
        self.pg.drop_stale()
        self.base = self.project("base")
        self.tpl3 = self.pg.create(self.pg.name("tpl3"))
        self.prisma(self.base, self.tpl3, "migrate", "deploy")
        self.current = self.pg.create(self.pg.name("current"), self.tpl3)
        self.current_env = self.env(DATABASE_URL=self.pg.url(self.current))
        log(f"set-up: databases {self.tpl3} (template, 3 applied) and {self.current} (current)")

    # ---- scenario 1

    def noop(self, warmup: int, runs: int) -> None:
        e = self.current_env
        cs = []
        cs.append(Contender("jar", "launcher jar: `java -jar prisma-launcher.jar run -- true`",
                            self.jar_cmd("run", "--", "true"), self.base, e))
        if self.has_layout:
            cs.append(Contender("entrypoint", "launcher entrypoint (jlinked runtime + AOT cache): "
                                "`entrypoint run -- true`", self.ep_cmd("run", "--", "true"), self.base, e))
        cs.append(Contender("deploy", "`sh -c 'prisma migrate deploy && exec true'` (baseline)",
                            self.shell("node_modules/.bin/prisma migrate deploy && exec true"), self.base, e))
        cs.append(Contender("script", "`sh -c 'prisma migrate status; prisma migrate deploy && exec true'`",
                            self.shell("node_modules/.bin/prisma migrate status; "
                                       "node_modules/.bin/prisma migrate deploy && exec true"), self.base, e))
        samples = self.rounds("noop", cs, warmup, runs)
        table, stats = self.time_table(cs, samples, "deploy", "× `prisma migrate deploy`")
        self.results["noop"] = stats
        self.md += ["## 1. No-op start (database current: the fixture's 3 migrations applied; app = `true`)", "",
                    table, "",
                    "Ratio = median / median of `prisma migrate deploy && exec true`. The launcher does not start "
                    "Prisma here; the script pattern starts it twice.", ""]

    # ---- scenario 2

    def pending(self, warmup: int, runs: int) -> None:
        proj = self.project("pending", {PENDING_MIGRATION: 'ALTER TABLE "User" ADD COLUMN "flag" BOOLEAN NOT NULL DEFAULT false;\n'})
        per = self.fresh_db(self.tpl3, "pend", self.applied_once(PENDING_MIGRATION))
        e = self.env()
        cs = [Contender("jar", "launcher jar `run -- true`", self.jar_cmd("run", "--", "true"), proj, e, per)]
        if self.has_layout:
            cs.append(Contender("entrypoint", "launcher entrypoint `run -- true`", self.ep_cmd("run", "--", "true"),
                                proj, e, per))
        cs.append(Contender("deploy", "`prisma migrate deploy && exec true` (baseline)",
                            self.shell("node_modules/.bin/prisma migrate deploy && exec true"), proj, e, per))
        cs.append(Contender("script", "`prisma migrate status; prisma migrate deploy && exec true`",
                            self.shell("node_modules/.bin/prisma migrate status; "
                                       "node_modules/.bin/prisma migrate deploy && exec true"), proj, e, per))
        samples = self.rounds("pending", cs, warmup, runs)
        table, stats = self.time_table(cs, samples, "deploy", "× `prisma migrate deploy`")
        self.results["pending"] = stats
        self.md += ["## 2a. One pending migration (3 applied + 1 pending; fresh database from a template every run)", "",
                    table, "",
                    "Every run gets its own database (`CREATE DATABASE … TEMPLATE`, untimed) and is checked "
                    "afterwards: the migration applied exactly once, no failed row.", ""]

    def failed(self, warmup: int, runs: int) -> None:
        broken = 'ALTER TABLE "User" ADD COLUMN "email" TEXT NOT NULL;\n'  # fails: "User" has rows
        fixed = 'ALTER TABLE "User" ADD COLUMN "email" TEXT NOT NULL DEFAULT \'\';\n'
        proj = self.project("failed", {FAILED_MIGRATION: broken})
        tpl = self.pg.create(self.pg.name("tplfail"), self.tpl3)
        r = self.prisma(proj, tpl, "migrate", "deploy", expect_ok=False)
        failed_rows = self.pg.sql("SELECT count(*) FROM _prisma_migrations WHERE migration_name = "
                                  f"'{FAILED_MIGRATION}' AND finished_at IS NULL AND rolled_back_at IS NULL", tpl)
        if r.returncode == 0 or failed_rows != "1":
            raise BenchError(f"could not make the failed state (deploy exit {r.returncode}, {failed_rows} failed rows)")
        (proj / "prisma" / "migrations" / FAILED_MIGRATION / "migration.sql").write_text(fixed)
        log(f"failed: template {tpl} holds a failed row for {FAILED_MIGRATION}; migration.sql fixed")
        per = self.fresh_db(tpl, "fail", self.applied_once(FAILED_MIGRATION))
        e = self.env(MIGRATION_RESOLVE_STRATEGY="rolled-back")
        cs = [Contender("jar", "launcher jar `run -- true`, `MIGRATION_RESOLVE_STRATEGY=rolled-back`",
                        self.jar_cmd("run", "--", "true"), proj, e, per)]
        if self.has_layout:
            cs.append(Contender("entrypoint", "launcher entrypoint `run -- true`, `rolled-back`",
                                self.ep_cmd("run", "--", "true"), proj, e, per))
        cs.append(Contender("script", f"`prisma migrate resolve --rolled-back NAME; prisma migrate deploy && exec true` "
                                      "(baseline)",
                            self.shell(f"node_modules/.bin/prisma migrate resolve --rolled-back {FAILED_MIGRATION}; "
                                       "node_modules/.bin/prisma migrate deploy && exec true"), proj, self.env(), per))
        samples = self.rounds("failed", cs, warmup, runs)
        table, stats = self.time_table(cs, samples, "script", "× script pattern")
        self.results["failed"] = stats
        self.md += ["## 2b. One failed migration, resolved (rolled back) then deployed", "",
                    table, "",
                    "The template holds the failed row Prisma left (`ALTER TABLE … NOT NULL` on a table with rows), "
                    "and `migration.sql` is then fixed so the retry succeeds. `prisma migrate deploy` alone cannot "
                    "proceed here (P3009), so the baseline is the two-command script. Each run: fresh database, "
                    "checked afterwards (applied once, no failed row).", ""]

    # ---- scenario 3

    def scale_project(self, n: int, db: str) -> Path:
        d = self.work / f"scale_{n}"
        migs = d / "prisma" / "migrations"
        migs.mkdir(parents=True)
        shutil.copy(FIXTURE / "prisma" / "migrations" / "migration_lock.toml", migs)
        now = dt.datetime.now(dt.timezone.utc)
        lines = []
        for i in range(1, n + 1):
            name = f"{20250101000000 + i}_m{i:05d}"
            sql = f'CREATE TABLE "t{i:05d}" ("id" INTEGER);\n'
            (migs / name).mkdir()
            (migs / name / "migration.sql").write_text(sql)
            checksum = hashlib.sha256(sql.encode()).hexdigest()
            ts = (now + dt.timedelta(milliseconds=i)).isoformat()
            lines.append("\t".join([str(uuid.uuid4()), checksum, ts, name, r"\N", r"\N", ts, "1"]))
        # the table exactly as Prisma created it (from the template), emptied, then N applied rows
        self.pg.sql("DELETE FROM _prisma_migrations", db)
        copy = ("COPY _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, "
                "started_at, applied_steps_count) FROM STDIN;\n" + "\n".join(lines) + "\n\\.\n")
        self.pg.sql("", db, stdin=copy)
        return d

    def scale(self, warmup: int, runs: int) -> None:
        sizes = self.args.scale_sizes
        cs = []
        for n in sizes:
            db = self.pg.create(self.pg.name(f"scale{n}"), self.tpl3)
            proj = self.scale_project(n, db)
            e = self.env(DATABASE_URL=self.pg.url(db))
            # sanity (untimed): the launcher sees N applied, checksums matching, up to date
            r = capture(self.jar_cmd("status", "--json"), cwd=proj, env=e)
            doc = json.loads(r.stdout) if r.returncode == 0 else {}
            summ = doc.get("summary", {})
            if r.returncode != 0 or summ.get("applied") != n or summ.get("modifiedAfterApply") != 0:
                raise BenchError(f"scale {n}: launcher status --json exit {r.returncode}, summary {summ}\n{r.stderr}")
            cs.append(Contender(f"jar{n}", f"jar {n}", self.jar_cmd("status"), proj, e))
            if self.has_layout:
                cs.append(Contender(f"ep{n}", f"entrypoint {n}", self.ep_cmd("status"), proj, e))
        log(f"scale: {', '.join(map(str, sizes))} migrations generated, rows inserted, launcher status agrees")
        samples = self.rounds("scale", cs, warmup, runs)
        stats = {c.key: self.summary(samples[c.key]) for c in cs}
        self.results["scale"] = stats
        kinds = [("jar", "jar")] + ([("ep", "entrypoint")] if self.has_layout else [])
        headers = ["migrations"]
        for _, label in kinds:
            headers += [f"{label} median ms", f"{label} p25–p75", f"{label} peak RSS MiB"]
        rows = []
        for n in sizes:
            row = [f"{n:,}"]
            for k, _ in kinds:
                st = stats[f"{k}{n}"]
                row += [ms(st["median"]), f"{ms(st['p25'])}–{ms(st['p75'])}", mib(st["rss_median"])]
            rows.append(row)
        self.md += ["## 3. Scale: `status` with N applied migrations (rows inserted with psql)", "",
                    md_table(headers, rows), ""]
        for k, label in kinds:
            self.md.append(self.growth(label, k, sizes, stats))
        self.md += ["", "Growth verdict: the extra cost over the 10-migration run, compared on a log-log scale "
                    "between the two largest sizes (exponent 1 = linear); ≤ 1.2 counts as at most linear "
                    "(noise allowance). Marginal costs are per migration between consecutive sizes.", ""]

    def growth(self, label: str, k: str, sizes: list[int], stats: dict) -> str:
        t = {n: stats[f"{k}{n}"]["median"] for n in sizes}
        rss = {n: stats[f"{k}{n}"]["rss_median"] for n in sizes}
        parts = []
        if 10 in t and 1000 in t:
            parts.append(f"time 1000/10 = {t[1000] / t[10]:.2f}×, peak RSS 1000/10 = {rss[1000] / rss[10]:.2f}×")
        marg = []
        for a, b in zip(sizes, sizes[1:]):
            marg.append(f"{a}→{b}: {(t[b] - t[a]) / (b - a) * 1e6:.0f} µs, {(rss[b] - rss[a]) / (b - a):.2f} KiB")
        parts.append("marginal per migration " + "; ".join(marg))
        verdicts = []
        for what, v in (("time", t), ("RSS", rss)):
            lo, mid, hi = sizes[0], sizes[-2], sizes[-1]
            d_mid, d_hi = v[mid] - v[lo], v[hi] - v[lo]
            if d_mid <= 0 or d_hi <= 0:
                verdicts.append(f"{what}: no measurable growth up to {mid}")
                continue
            exp = math.log(d_hi / d_mid) / math.log((hi - lo) / (mid - lo))
            verdicts.append(f"{what}: exponent {exp:.2f} → " + ("at most linear" if exp <= 1.2 else "**worse than linear**"))
        parts.append("; ".join(verdicts))
        return f"- **{label}**: " + ". ".join(parts) + "."

    # ---- scenario 4

    def resident_once(self, argv: list[str], sleep_path: str) -> dict[str, float]:
        out = self.work / "resident.log"
        t0 = time.perf_counter()
        pid = spawn(argv, self.current_env, self.base, out)
        try:
            exe = ""
            deadline = t0 + self.args.timeout
            while time.perf_counter() < deadline:
                try:
                    exe = os.readlink(f"/proc/{pid}/exe")
                except OSError:
                    exe = ""
                if exe == sleep_path:
                    break
                if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                    raise BenchError(f"{argv}: exited before exec'ing sleep:\n{tail(out)}")
                time.sleep(0.002)
            else:
                raise BenchError(f"{argv}: pid {pid} did not become {sleep_path} in {self.args.timeout:.0f} s")
            t_exec = time.perf_counter() - t0
            time.sleep(0.1)  # let the dynamic loader finish, alike for every contender
            status = Path(f"/proc/{pid}/status").read_text()
            fds = len(os.listdir(f"/proc/{pid}/fd"))
            still = os.readlink(f"/proc/{pid}/exe")
        finally:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            reap(pid, self.args.timeout)
        if still != sleep_path:
            raise BenchError(f"pid {pid} is {still}, not {sleep_path}")
        f = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+):\s+(\d+)", status, re.M)}
        return {"VmRSS": f["VmRSS"], "RssAnon": f.get("RssAnon", 0), "RssFile": f.get("RssFile", 0),
                "VmSize": f["VmSize"], "Threads": f["Threads"], "fds": fds, "t_exec": t_exec}

    def resident(self, warmup: int, runs: int) -> None:
        sleep_path = os.path.realpath(shutil.which("sleep") or "/bin/sleep")
        cs = [("plain", "plain `sleep 3`", [sleep_path, "3"])]
        if self.has_layout:
            cs.append(("entrypoint", "`entrypoint run -- sleep 3`", self.ep_cmd("run", "--", "sleep", "3")))
        cs.append(("jar", "`java -jar prisma-launcher.jar run -- sleep 3`", self.jar_cmd("run", "--", "sleep", "3")))
        got: dict[str, list[dict[str, float]]] = {k: [] for k, _, _ in cs}
        for r in range(warmup + runs):
            order = cs[r % len(cs):] + cs[: r % len(cs)]
            for k, _, argv in order:
                m = self.resident_once(argv, sleep_path)
                if r >= warmup:
                    got[k].append(m)
            log(f"resident: {'warm-up' if r < warmup else 'run'} {r + 1}/{warmup + runs}")
        med = {k: {f: statistics.median(m[f] for m in got[k]) for f in got[k][0]} for k in got}
        self.results["resident"] = {"median": med, "samples": got}
        rows = []
        for k, label, _ in cs:
            vm = [m["VmRSS"] for m in got[k]]
            rows.append([label, f"{med[k]['VmRSS']:.0f}", f"{min(vm):.0f}–{max(vm):.0f}",
                         f"{med[k]['VmRSS'] - med['plain']['VmRSS']:+.0f}", f"{med[k]['RssAnon']:.0f}",
                         f"{med[k]['RssFile']:.0f}", f"{med[k]['Threads']:.0f}", f"{med[k]['fds']:.0f}",
                         ms(med[k]["t_exec"]) if k != "plain" else "–"])
        self.md += ["## 4. Resident cost after exec (database current)", "",
                    md_table(["process", "VmRSS KiB (median)", "min–max", "Δ vs plain sleep", "RssAnon",
                              "RssFile", "threads", "open fds", "spawn → exe is sleep, ms"], rows), "",
                    "Read from /proc/PID/status 100 ms after /proc/PID/exe became `sleep` (same PID as spawned), "
                    "then the sleep is stopped. Δ ≈ 0 means the JVM left nothing behind.", ""]

    # ---- scenario 5

    def entrypoint_jvm_args(self) -> list[str]:
        """The JVM options the shipped entrypoint passes (read by running it against a stub java)."""
        fake = self.work / "ep-probe"
        (fake / "runtime" / "bin").mkdir(parents=True)
        (fake / "lib").mkdir()
        shutil.copy(ENTRYPOINT, fake / "entrypoint")
        (fake / "lib" / "prisma-launcher.jar").write_bytes(b"")
        if (LAYOUT / "lib" / "prisma-launcher.aot").exists():
            (fake / "lib" / "prisma-launcher.aot").write_bytes(b"")
        if (LAYOUT / "lib" / "jvm.args").exists():  # the flags file the entrypoint passes as @lib/jvm.args
            shutil.copy(LAYOUT / "lib" / "jvm.args", fake / "lib" / "jvm.args")
        stub = fake / "runtime" / "bin" / "java"
        stub.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
        stub.chmod(0o755)
        r = capture([str(fake / "entrypoint"), "X"], env=self.env())
        args = r.stdout.splitlines()
        args = args[: args.index("-jar")]
        return [a.replace(str(fake), str(LAYOUT)) for a in args]

    def floor(self, warmup: int, runs: int) -> None:
        e = self.current_env
        cs = []
        if self.has_layout:
            jvm = self.entrypoint_jvm_args()
            self.results["entrypoint_jvm_args"] = jvm
            cs += [
                Contender("rt-version", "runtime/bin/java -version (entrypoint flags + AOT cache)",
                          [str(LAYOUT / "runtime" / "bin" / "java"), *jvm, "-version"], self.base, e),
                Contender("ep-version", "entrypoint --version", self.ep_cmd("--version"), self.base, e),
                Contender("ep-status", "entrypoint status", self.ep_cmd("status"), self.base, e),
                Contender("ep-migrate", "entrypoint migrate (no exec)", self.ep_cmd("migrate"), self.base, e),
                Contender("ep-run", "entrypoint run -- true", self.ep_cmd("run", "--", "true"), self.base, e),
            ]
        cs += [
            Contender("jdk-version", "JDK java -version (jar's flags, JDK's default CDS)",
                      [str(self.java_home / "bin" / "java"), *JAR_JVM_FLAGS, "-version"], self.base, e),
            Contender("jar-version", "jar --version", self.jar_cmd("--version"), self.base, e),
            Contender("jar-status", "jar status", self.jar_cmd("status"), self.base, e),
            Contender("jar-migrate", "jar migrate (no exec)", self.jar_cmd("migrate"), self.base, e),
            Contender("jar-run", "jar run -- true", self.jar_cmd("run", "--", "true"), self.base, e),
        ]
        samples = self.rounds("floor", cs, warmup, runs)
        table, stats = self.time_table(cs, samples, None)
        self.results["floor"] = stats
        self.md += ["## 5. Launcher floor, and where the no-op start goes", "",
                    table, ""]
        for pre, label in (("rt", "entrypoint"), ("jdk", "jar")):
            pre2 = "ep" if pre == "rt" else "jar"
            if f"{pre}-version" not in stats:
                continue
            g = lambda k: stats[k]["median"]  # noqa: E731
            self.md.append(
                f"- **{label}**: JVM floor {ms(g(f'{pre}-version'))} ms; + launcher main (`--version`) "
                f"{ms(g(f'{pre2}-version') - g(f'{pre}-version'))} ms; + database inspection (`status`) "
                f"{ms(g(f'{pre2}-status') - g(f'{pre2}-version'))} ms; `migrate` vs `status` "
                f"{ms(g(f'{pre2}-migrate') - g(f'{pre2}-status'))} ms; + exec path (`run -- true` vs `migrate`) "
                f"{ms(g(f'{pre2}-run') - g(f'{pre2}-migrate'))} ms; total {ms(g(f'{pre2}-run'))} ms.")
        self.md += ["", "Differences of medians from one alternating set; small differences are within noise.", ""]

    # ---- class-loading profile

    def classload(self, argv: list[str], env: dict[str, str], logfile: Path, gcfile: Path) -> dict:
        s = measure(argv, env, self.base, self.out, self.args.timeout)
        if s.rc != 0:
            raise BenchError(f"profile: {argv} exited {s.rc}:\n{tail(self.out)}")
        names = ["AOT/CDS cache (shared objects file)", "JDK runtime image (jrt:/)", "launcher jar",
                 "generated at run time (lambda forms, lambdas, proxies)", "other"]
        cats = dict.fromkeys(names, 0)
        exec_cats = dict.fromkeys(names, 0)
        exec_at = None
        last = 0.0
        for line in logfile.read_text(errors="replace").splitlines():
            m = re.match(r"^\[(\d+\.\d+)s\](?:\[[^\]]*\])* (\S+) source: (.*)$", line)
            if not m:
                continue
            t, cls, src = float(m.group(1)), m.group(2), m.group(3)
            last = max(last, t)
            if src.startswith("shared objects file"):
                cat = names[0]
            elif src.startswith("jrt:/"):
                cat = names[1]
            elif "prisma-launcher" in src and src.startswith(("file:", "jar:")):
                cat = names[2]
            elif src.startswith("__") or re.fullmatch(r"[\w.$]+", src):
                cat = names[3]
            else:
                cat = names[4]
            cats[cat] += 1
            if cls == "dev.prismalauncher.process.Exec" and exec_at is None:
                exec_at = t
            if exec_at is not None:
                exec_cats[cat] += 1
        gcs = [float(x) for x in re.findall(r"Pause.* (\d+\.\d+)ms", gcfile.read_text(errors="replace"))]
        return {"total": sum(cats.values()), "cats": cats, "exec_cats": exec_cats, "exec_at": exec_at,
                "last": last, "after_exec": sum(exec_cats.values()), "gc_count": len(gcs), "gc_ms": sum(gcs), "wall": s.wall_s}

    def profile(self) -> None:
        prof = {}
        cl, gc = self.work / "classload.log", self.work / "gc.log"
        opts = f"-Xlog:class+load:file={cl}:uptime -Xlog:gc:file={gc}:uptime"
        if self.has_layout:
            prof["entrypoint"] = self.classload(self.ep_cmd("run", "--", "true"),
                                                dict(self.current_env, PRISMA_LAUNCHER_JAVA_OPTS=opts), cl, gc)
        jar = [str(self.java_home / "bin" / "java"), *JAR_JVM_FLAGS, *opts.split(), "-jar", str(JAR), "run", "--", "true"]
        prof["jar"] = self.classload(jar, self.current_env, cl, gc)
        self.results["profile"] = prof
        keys = list(next(iter(prof.values()))["cats"].keys())
        rows = []
        for k in keys:
            rows.append([k] + [f"{prof[p]['cats'][k]} ({prof[p]['exec_cats'][k]})" for p in prof])
        rows.append(["**total classes loaded**"] + [f"**{prof[p]['total']}**" for p in prof])
        rows.append(["classes loaded from `process.Exec` on (the exec path)"] + [str(prof[p]["after_exec"]) for p in prof])
        rows.append(["JVM uptime at `process.Exec` load → last class load, ms"] +
                    [f"{(prof[p]['exec_at'] or 0) * 1000:.0f} → {prof[p]['last'] * 1000:.0f}" for p in prof])
        rows.append(["GC pauses (count, total ms)"] + [f"{prof[p]['gc_count']}, {prof[p]['gc_ms']:.1f}" for p in prof])
        self.md += ["## Profile: no-op start (`run -- true`, database current)", "",
                    md_table(["class source (`-Xlog:class+load`)"] + [f"`{p}`" for p in prof], rows), "",
                    "The entrypoint run gets `-Xlog:class+load` and `-Xlog:gc` through `PRISMA_LAUNCHER_JAVA_OPTS`; "
                    "the jar run gets them on the command line (its `shared objects file` is the JDK's default CDS "
                    "archive). In brackets: of those, loaded from the moment `dev.prismalauncher.process.Exec` was "
                    "loaded (the exec path: FFM downcall set-up for execvp). One run each, after the timed "
                    "scenarios; logging makes these runs slower.", ""]

    # ---- hyperfine cross-check

    def hyperfine(self, warmup: int, runs: int) -> None:
        hf = shutil.which("hyperfine")
        if not hf:
            self.md += ["## Cross-check with hyperfine", "", "hyperfine not installed: skipped.", ""]
            return
        cmds = []
        if self.has_layout:
            cmds.append(("entrypoint run -- true", f"{ENTRYPOINT} run -- true"))
        cmds.append(("jar run -- true", " ".join(self.jar_cmd("run", "--", "true"))))
        cmds.append(("prisma migrate deploy && exec true", "node_modules/.bin/prisma migrate deploy && exec true"))
        out = self.work / "hyperfine.json"
        argv = [hf, "--style", "basic", "--warmup", str(warmup), "--runs", str(runs), "--export-json", str(out)]
        for name, cmd in cmds:
            argv += ["-n", name, cmd]
        r = capture(argv, timeout=self.args.timeout * (warmup + runs) * len(cmds), cwd=self.base, env=self.current_env)
        if r.returncode != 0:
            raise BenchError(f"hyperfine failed:\n{r.stdout}\n{r.stderr}")
        data = json.loads(out.read_text())
        rows = []
        for res in data["results"]:
            rows.append([f"`{res['command']}`", ms(res["median"]), f"{ms(res['mean'])} ± {ms(res['stddev'] or 0)}",
                         f"{ms(res['min'])}–{ms(res['max'])}"])
        self.results["hyperfine"] = data["results"]
        self.md += ["## Cross-check with hyperfine (not alternated: one command after the other)", "",
                    md_table(["command", "median ms", "mean ± σ ms", "min–max ms"], rows), "",
                    f"`hyperfine --warmup {warmup} --runs {runs}` in its default shell mode (it subtracts the "
                    "shell's start-up), database current. Should agree with table 1 within noise.", ""]


# --------------------------------------------------------------------------------------------------
# machine description and load


    # ---- scenario 6: DEPLOY_ENGINE=jdbc

    def history_project(self, name: str, app: str) -> Path:
        """The fixture project with a real history (src/test/resources/histories) as its migrations."""
        d = self.project(name)
        shutil.rmtree(d / "prisma" / "migrations")
        shutil.copytree(HISTORIES / app / "migrations", d / "prisma" / "migrations")
        return d

    def all_applied(self, count: int) -> Callable[[str], None]:
        def check(db: str) -> None:
            done = self.pg.sql("SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL "
                               "AND rolled_back_at IS NULL AND applied_steps_count = 1", db)
            rows = self.pg.sql("SELECT count(*) FROM _prisma_migrations", db)
            if done != str(count) or rows != str(count):
                raise BenchError(f"{db}: expected {count} migrations applied once; got {done} of {rows} rows. "
                                 f"Last output:\n{tail(self.out)}")
        return check

    def engine(self, warmup: int, runs: int) -> None:
        """DEPLOY_ENGINE=jdbc against `prisma migrate deploy`: a whole real history on an empty database, and one
        pending migration on a current one (targets: 0.5x and 0.3x of Prisma's time)."""
        app = "umami-postgresql" if self.args.quick else "langfuse"
        proj = self.history_project("history", app)
        count = sum(1 for p in (proj / "prisma" / "migrations").iterdir() if p.is_dir())
        per = self.fresh_db(None, "hist", self.all_applied(count))
        jdbc = self.env(DEPLOY_ENGINE="jdbc")
        cs = []
        if self.has_layout:
            cs.append(Contender("entrypoint", "launcher entrypoint `migrate`, `DEPLOY_ENGINE=jdbc`", self.ep_cmd("migrate"),
                                proj, jdbc, per))
        cs.append(Contender("jar", "launcher jar `migrate`, `DEPLOY_ENGINE=jdbc`", self.jar_cmd("migrate"), proj, jdbc, per))
        cs.append(Contender("deploy", "`prisma migrate deploy` (baseline)", ["node_modules/.bin/prisma", "migrate", "deploy"],
                            proj, self.env(), per))
        samples = self.rounds("engine-history", cs, warmup, runs)
        table, stats = self.time_table(cs, samples, "deploy", "× `prisma migrate deploy`")
        self.results["engine-history"] = stats
        best = min(stats[c.key]["median"] for c in cs if c.key != "deploy") / stats["deploy"]["median"]
        self.md += [f"## 6a. DEPLOY_ENGINE=jdbc: a real history on an empty database ({app}, {count} migrations;"
                    " an empty database made untimed every run)", "", table, "",
                    f"Target ≤ 0.50× of `prisma migrate deploy`: best launcher form {best:.2f}× "
                    f"({'met' if best <= 0.5 else 'not met'}). Every run is checked: {count} rows, each applied once.", ""]

        proj = self.project("engine-pending", {PENDING_MIGRATION: 'ALTER TABLE "User" ADD COLUMN "flag" BOOLEAN NOT NULL DEFAULT false;\n'})
        per = self.fresh_db(self.tpl3, "epend", self.applied_once(PENDING_MIGRATION))
        cs = []
        if self.has_layout:
            cs.append(Contender("entrypoint", "launcher entrypoint `run -- true`, `DEPLOY_ENGINE=jdbc`",
                                self.ep_cmd("run", "--", "true"), proj, jdbc, per))
        cs.append(Contender("jar", "launcher jar `run -- true`, `DEPLOY_ENGINE=jdbc`", self.jar_cmd("run", "--", "true"),
                            proj, jdbc, per))
        cs.append(Contender("deploy", "`prisma migrate deploy && exec true` (baseline)",
                            self.shell("node_modules/.bin/prisma migrate deploy && exec true"), proj, self.env(), per))
        samples = self.rounds("engine-pending", cs, warmup, runs)
        table, stats = self.time_table(cs, samples, "deploy", "× `prisma migrate deploy`")
        self.results["engine-pending"] = stats
        best = min(stats[c.key]["median"] for c in cs if c.key != "deploy") / stats["deploy"]["median"]
        self.md += ["## 6b. DEPLOY_ENGINE=jdbc: one pending migration on a current database (3 applied + 1 pending;"
                    " fresh database from a template every run)", "", table, "",
                    f"Target ≤ 0.30× of `prisma migrate deploy`: best launcher form {best:.2f}× "
                    f"({'met' if best <= 0.3 else 'not met'}). Prisma's time here is its WebAssembly stand-in engine's "
                    "(../shared/prisma-offline), not the native binary's: see Caveats.", ""]

def first_line(cmd: list[str], stream: str = "stdout") -> str:
    try:
        r = capture(cmd, timeout=60)
        text = getattr(r, stream) or r.stdout or r.stderr
        return text.strip().splitlines()[0] if text.strip() else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies from /proc/stat."""
    f = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = f[3] + (f[4] if len(f) > 4 else 0)
    return sum(f) - idle, sum(f)


def own_cpu_s() -> float:
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def proc_cpu() -> dict[int, tuple[str, float]]:
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            raw = (p / "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1: raw.rindex(")")]
        rest = raw[raw.rindex(")") + 2:].split()
        out[int(p.name)] = (comm, (int(rest[11]) + int(rest[12])) / tick)
    return out


def machine(h: Harness) -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M)
    java = capture([str(h.java_home / "bin" / "java"), "-version"]).stderr.strip().splitlines()
    rt = "–"
    if h.has_layout:
        rel = (LAYOUT / "runtime" / "release").read_text()
        v = re.search(r'JAVA_VERSION="([^"]+)"', rel)
        mods = re.search(r'MODULES="([^"]+)"', rel)
        rt = f"jlinked {v.group(1) if v else '?'} ({len(mods.group(1).split()) if mods else '?'} modules)"
        aot = LAYOUT / "lib" / "prisma-launcher.aot"
        rt += f", AOT cache {aot.stat().st_size / 2**20:.1f} MiB" if aot.exists() else ", no AOT cache"
    prisma_v = json.loads((h.node_modules / "prisma" / "package.json").read_text())["version"]
    engine = os.environ.get("PRISMA_SCHEMA_ENGINE_BINARY")
    engine_note = (f"schema engine: `PRISMA_SCHEMA_ENGINE_BINARY={engine}` (the WebAssembly stand-in from "
                   "../shared/prisma-offline, a node process, not the native binary)") if engine else "native schema engine"
    pgv = h.pg.sql("SHOW server_version")
    commit = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = capture(["git", "--no-optional-locks", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"]).stdout
    def ident(p: Path) -> str:
        if not p.exists():
            return "missing"
        return (f"sha256 {hashlib.sha256(p.read_bytes()).hexdigest()[:12]}, "
                f"built {dt.datetime.fromtimestamp(p.stat().st_mtime).strftime('%Y-%m-%d %H:%M')}")
    rows = [
        ["CPU", f"{model.group(1) if model else '?'} × {os.cpu_count()} (nproc {first_line(['nproc'])})"],
        ["memory", f"{int(mem.group(1)) / 2**20:.1f} GiB" if mem else "?"],
        ["kernel", f"{platform.system()} {platform.release()}"],
        ["JDK (jar contenders)", f"{java[0] if java else '?'} — {java[1] if len(java) > 1 else ''} (`{h.java_home}`)"],
        ["runtime (entrypoint contenders)", rt],
        ["Prisma", f"prisma {prisma_v}, node {first_line(['node', '--version'])}; {engine_note}"],
        ["PostgreSQL", f"{pgv} on {PG_HOST}:{PG_PORT}"],
        ["project", f"commit {commit}{' + uncommitted changes' if dirty.strip() else ''}; target jar {ident(JAR)}; "
                    f"layout jar {ident(LAYOUT / 'lib' / 'prisma-launcher.jar')}"],
    ]
    return rows


# --------------------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    env = os.environ
    p = argparse.ArgumentParser(prog="bench/run", description="prisma-launcher benchmark (see bench/README.md)")
    p.add_argument("--quick", action="store_true", default=env.get("BENCH_QUICK") == "1",
                   help="smoke mode: no warm-up, 2 runs per contender everywhere (env BENCH_QUICK=1)")
    p.add_argument("--runs", type=int, default=int(env.get("BENCH_RUNS", 15)),
                   help="measured runs per contender, fast scenarios (no-op, floor); default 15 (env BENCH_RUNS)")
    p.add_argument("--slow-runs", type=int, default=int(env.get("BENCH_SLOW_RUNS", 7)),
                   help="measured runs per contender, slow scenarios (pending, failed, scale, resident); default 7 "
                        "(env BENCH_SLOW_RUNS)")
    p.add_argument("--warmup", type=int, default=int(env.get("BENCH_WARMUP", 3)),
                   help="warm-up rounds for the fast scenarios (slow ones use 1); default 3 (env BENCH_WARMUP)")
    p.add_argument("--only", default=env.get("BENCH_ONLY", ",".join(SCENARIOS)),
                   help=f"comma-separated subset of {','.join(SCENARIOS)} (env BENCH_ONLY)")
    p.add_argument("--scale-sizes", default=env.get("BENCH_SCALE_SIZES", "10,100,1000,5000"),
                   help="migration counts for the scale scenario; default 10,100,1000,5000")
    p.add_argument("--no-entrypoint", action="store_true", help="leave out the target/prisma-launcher contenders")
    p.add_argument("--no-hyperfine", action="store_true", help="skip the hyperfine cross-check")
    p.add_argument("--timeout", type=float, default=120.0, help="bound on any single run, seconds; default 120")
    p.add_argument("--out", help="results markdown (default bench/results/latest.md; --quick: bench/results/quick.md)")
    p.add_argument("--no-build", action="store_true", help="(bench/run) never build missing inputs")
    a = p.parse_args(argv)
    a.only = [s.strip() for s in a.only.split(",") if s.strip()]
    bad = [s for s in a.only if s not in SCENARIOS]
    if bad:
        p.error(f"unknown scenario(s) {bad}; choose from {SCENARIOS}")
    if a.no_hyperfine and "hyperfine" in a.only:
        a.only.remove("hyperfine")
    a.scale_sizes = sorted({int(x) for x in a.scale_sizes.split(",")})
    if len(a.scale_sizes) < 2 or min(a.scale_sizes) < 1:
        p.error("--scale-sizes needs at least two positive counts")
    if a.quick:
        a.fast = a.slow = (0, 2)
    else:
        if a.runs < 1 or a.slow_runs < 1 or a.warmup < 0:
            p.error("runs must be >= 1, warm-up >= 0")
        a.fast, a.slow = (a.warmup, a.runs), (min(a.warmup, 1), a.slow_runs)
    a.out = Path(a.out) if a.out else BENCH / "results" / ("quick.md" if a.quick else "latest.md")
    return a


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    for var in ("JAVA_HOME", "PRISMA_NODE_MODULES"):
        if not os.environ.get(var):
            print(f"harness.py: {var} is not set; start the benchmark with bench/run", file=sys.stderr)
            return 2
    if not JAR.is_file():
        print(f"harness.py: {JAR} missing; bench/run builds it", file=sys.stderr)
        return 2

    def stop(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    # fds this process inherited (beyond 0-2) would leak into every contender: keep them to ourselves
    for fd in os.listdir("/proc/self/fd"):
        if int(fd) > 2:
            try:
                os.set_inheritable(int(fd), False)
            except OSError:
                pass
    h = Harness(args)
    started = dt.datetime.now(dt.timezone.utc)
    load0 = Path("/proc/loadavg").read_text().split()[:3]
    busy0, total0, own0, procs0 = *cpu_times(), own_cpu_s(), proc_cpu()
    t0 = time.monotonic()
    if not h.has_layout:
        log(f"{ENTRYPOINT} not present: entrypoint contenders left out")
    try:
        h.setup()
        fast, slow = args.fast, args.slow
        steps = {
            "noop": lambda: h.noop(*fast),
            "pending": lambda: h.pending(*slow),
            "failed": lambda: h.failed(*slow),
            "scale": lambda: h.scale(*slow),
            "resident": lambda: h.resident(*slow),
            "floor": lambda: h.floor(*fast),
            "profile": h.profile,
            "hyperfine": lambda: h.hyperfine(*fast),
            "engine": lambda: h.engine(*slow),
        }
        for name in SCENARIOS:
            if name in args.only:
                log(f"--- {name}")
                steps[name]()
    except BenchError as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        kill_running()
        h.pg.drop_all()
        shutil.rmtree(h.work, ignore_errors=True)

    elapsed = time.monotonic() - t0
    load1 = Path("/proc/loadavg").read_text().split()[:3]
    busy1, total1 = cpu_times()
    tick = os.sysconf("SC_CLK_TCK")
    ncpu = os.cpu_count() or 1
    all_busy_s = (busy1 - busy0) / tick
    own_s = own_cpu_s() - own0
    other_s = max(0.0, all_busy_s - own_s)
    procs1 = proc_cpu()
    me = os.getpid()
    others = []
    for pid, (comm, cpu1) in procs1.items():
        if pid == me:
            continue
        d = cpu1 - procs0[pid][1] if pid in procs0 and procs0[pid][0] == comm else cpu1  # new: all of it
        if d > 0.5:
            others.append((d, comm, pid))
    others.sort(reverse=True)
    busy_note = (f"load average (1/5/15 min) before {' '.join(load0)}, after {' '.join(load1)}. "
                 f"CPU during the {elapsed:.0f} s run: {all_busy_s:.0f} core-s busy of {elapsed * ncpu:.0f} "
                 f"available; the harness and its children used {own_s:.0f} core-s; everything else "
                 f"{other_s:.0f} core-s ({100 * other_s / max(1e-9, elapsed * ncpu):.0f} % of the machine; "
                 "this includes PostgreSQL serving the runs).")
    if others:
        busy_note += (" Largest other processes alive at the end (core-s during the run): "
                      + ", ".join(f"{c} {d:.0f}" for d, c, _ in others[:5]) + ".")
    share = other_s / max(1e-9, elapsed * ncpu)
    busy = "**busy**" if share > 0.25 else ("somewhat busy" if share > 0.10 else "quiet")
    busy_note = f"{busy}: " + busy_note

    mode = ("quick (no warm-up, 2 runs per contender)" if args.quick else
            f"full: fast scenarios {args.fast[0]} warm-up rounds + {args.fast[1]} runs per contender; "
            f"slow scenarios {args.slow[0]} + {args.slow[1]}")
    head = [
        "# prisma-launcher benchmark results", "",
        f"Written by `bench/run{' --quick' if args.quick else ''}` on {started.strftime('%Y-%m-%d %H:%M UTC')}. "
        f"Mode: {mode}. Scenarios: {', '.join(args.only)}. Method and how to read this: bench/README.md.", "",
        md_table(["", ""], machine(h) + [["machine load", busy_note]], "ll"), "",
        "Times are wall-clock from spawn to wait4 (ms); peak RSS is the run's ru_maxrss from wait4 — the largest "
        "single process of the run (kept across exec; includes waited-for children such as Prisma's node "
        "processes, but is not their sum). Contenders alternate run by run; medians with p25–p75 and min–max.", "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(head + h.md) + "\n")
    raw = args.out.parent / f"raw-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    raw.write_text(json.dumps({"args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                               "started": started.isoformat(), "load_before": load0, "load_after": load1,
                               "results": h.results}, indent=1, default=lambda o: o.__dict__))
    log(f"done in {elapsed:.0f} s: {args.out} (raw samples: {raw})")
    print(args.out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
