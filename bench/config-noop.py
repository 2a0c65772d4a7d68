#!/usr/bin/env python3
"""The no-op start with and without a prisma.config.ts, two builds side by side (issue 16).

Contenders alternate round-robin (the first one rotates each round), after WARM rounds thrown away;
wall time around spawn -> wait4, and the child's CPU time (user+sys from wait4: less sensitive to
a loaded machine than wall time). The database is current (the fixture's 3 migrations), the app `true`.

    eval "$(scripts/prisma-fixture)"; export PRISMA_NODE_MODULES PRISMA_SCHEMA_ENGINE_BINARY
    # jar form: /tmp/before.jar and /tmp/after.jar (build each with ./mvnw package -DskipTests)
    RUNS=30 WARM=3 python3 bench/config-noop.py
    # shipped form: two target/prisma-launcher layouts (scripts/build-runtime.sh)
    BEFORE_EP=/tmp/before-rt/entrypoint AFTER_EP=/tmp/after-rt/entrypoint python3 bench/config-noop.py

The jar form also runs a config that only Prisma's loader can evaluate (node): the fallback's cost.
"""
import os, shutil, subprocess, sys, tempfile, time, statistics, json
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAVA = subprocess.check_output([ROOT + '/scripts/java-home']).decode().strip() + '/bin/java'
FIX = ROOT + '/src/test/fixtures/prisma-pg'
NM = os.environ['PRISMA_NODE_MODULES']
RUNS = int(os.environ.get('RUNS', '20')); WARM = int(os.environ.get('WARM', '3'))
db = f'plcfgbench_{os.getpid()}'
subprocess.run(['psql', '-h', '127.0.0.1', '-U', 'postgres', '-qc', f'CREATE DATABASE {db}'], check=True)
url = f'postgresql://postgres@127.0.0.1:5432/{db}'
tmp = tempfile.mkdtemp()
def project(name, config):
    p = os.path.join(tmp, name); shutil.copytree(FIX, p); os.symlink(NM, os.path.join(p, 'node_modules'))
    cfg = os.path.join(p, 'prisma.config.ts')
    if config is None: os.remove(cfg)
    elif config != 'fixture': open(cfg, 'w').write(config)
    return p
try:
    withcfg = project('with', 'fixture')
    without = project('without', None)
    nodecfg = project('node', "import { defineConfig } from 'prisma/config'\nconst url = [process.env.DATABASE_URL].join('')\nexport default defineConfig({ schema: 'prisma/schema.prisma', migrations: { path: 'prisma/migrations' }, datasource: { url } })\n")
    env = {'PATH': os.environ['PATH'], 'HOME': os.environ.get('HOME', '/root'), 'DATABASE_URL': url, 'CHECKPOINT_DISABLE': '1', 'PRISMA_HIDE_UPDATE_MESSAGE': '1', 'PRISMA_SCHEMA_ENGINE_BINARY': os.environ.get('PRISMA_SCHEMA_ENGINE_BINARY', '')}
    r = subprocess.run([withcfg + '/node_modules/.bin/prisma', 'migrate', 'deploy'], cwd=withcfg, env=env, capture_output=True)
    assert r.returncode == 0, r
    jvm = [JAVA, '--enable-native-access=ALL-UNNAMED', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar']
    ep_b = os.environ.get('BEFORE_EP'); ep_a = os.environ.get('AFTER_EP')
    contenders = {
        'before, config': ([os.environ.get('BEFORE_JAR', '/tmp/before.jar')], withcfg), 'after, config (static read)': ([os.environ.get('AFTER_JAR', '/tmp/after.jar')], withcfg),
        'before, no config': ([os.environ.get('BEFORE_JAR', '/tmp/before.jar')], without), 'after, no config': ([os.environ.get('AFTER_JAR', '/tmp/after.jar')], without),
        'after, config that needs node': ([os.environ.get('AFTER_JAR', '/tmp/after.jar')], nodecfg),
    }
    if ep_b and ep_a:
        contenders = {'entrypoint before, config': ([ep_b], withcfg), 'entrypoint after, config (static read)': ([ep_a], withcfg),
                      'entrypoint before, no config': ([ep_b], without), 'entrypoint after, no config': ([ep_a], without)}
    times = {k: [] for k in contenders}; cpu = {k: [] for k in contenders}; logs = {}
    names = list(contenders)
    for rnd in range(WARM + RUNS):
        order = names[rnd % len(names):] + names[:rnd % len(names)]
        for k in order:
            jar, cwd = contenders[k]
            cmd = (jar if jar[0].endswith('entrypoint') else jvm + jar) + ['run', '--', 'true']
            errf = tempfile.TemporaryFile()
            t = time.perf_counter()
            p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errf)
            _, status, ru = os.wait4(p.pid, 0)
            dt = (time.perf_counter() - t) * 1000
            p.returncode = os.waitstatus_to_exitcode(status)
            errf.seek(0); err = errf.read().decode()
            assert p.returncode == 0, (k, err[-2000:])
            logs[k] = err
            if rnd >= WARM: times[k].append(dt); cpu[k].append((ru.ru_utime + ru.ru_stime) * 1000)
    l1 = os.getloadavg()
    print(f'no-op start (database current, app `true`), {"entrypoint" if ep_b and ep_a else "jar"} form, {RUNS} runs each after {WARM} warm-up rounds, alternating; load average {l1[0]:.1f}')
    print('| contender | wall median ms | wall p25-p75 | CPU (user+sys) median ms | CPU p25-p75 |'); print('|---|---:|---:|---:|---:|')
    for k, v in times.items():
        q = statistics.quantiles(v, n=4); c = cpu[k]; qc = statistics.quantiles(c, n=4)
        print(f'| {k} | {statistics.median(v):.0f} | {q[0]:.0f}-{q[2]:.0f} | {statistics.median(c):.0f} | {qc[0]:.0f}-{qc[2]:.0f} |')
    for k in [k for k in logs if 'config' in k and 'no config' not in k]:
        print(k, '::', [l for l in logs[k].splitlines() if 'prisma.config' in l][:1])
finally:
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(['psql', '-h', '127.0.0.1', '-U', 'postgres', '-qc', f'DROP DATABASE IF EXISTS {db} WITH (FORCE)'])
