#!/usr/bin/env bash
# Builds the launcher's shipped layout, exactly as the Dockerfile does (the Dockerfile runs this
# script), so CI checks the same thing a user's image contains:
#
#   <out>/entrypoint                 starts the launcher (POSIX sh)
#   <out>/bin/prisma-launcher        the same, for PATH
#   <out>/lib/prisma-launcher.jar    the executable jar
#   <out>/lib/prisma-launcher.aot    start-up cache (Java 25 AOT cache) from a training run
#   <out>/lib/jvm.args               the JVM flags (java @lib/jvm.args), from src/main/dist/jvm.args
#   <out>/lib/tini                   tini, static build (Debian's tini package), for INIT=1
#   <out>/runtime/                   jlinked Java runtime: only the modules the launcher needs
#
#   usage: scripts/build-runtime.sh [OUT]      (default OUT: target/prisma-launcher)
# Environment:
#   TRAINING_DATABASE_URL   a PostgreSQL URL the training run may use: it creates and drops a schema
#                           there (default: the local server, postgresql://postgres@127.0.0.1:5432/postgres);
#                           without psql or a reachable database the cache covers less but still builds.
#   SKIP_JAR_BUILD=1        use target/prisma-launcher.jar as it is (the Dockerfile builds it first)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/target/prisma-launcher}"
JAVA_HOME="${JAVA_HOME:-}"
JAVA_HOME="$("$root/scripts/java-home")"
export JAVA_HOME

if [ "${SKIP_JAR_BUILD:-0}" != "1" ]; then
  "$root/scripts/build-jar"
fi
jar="$root/target/prisma-launcher.jar"

# Modules, measured with jdeps and trimmed by hand where a dependency is only reachable from code
# we never run (java.desktop: PostgreSQL's PGpoint(java.awt.Point)):
#   jdeps --ignore-missing-deps --print-module-deps --multi-release 25 target/prisma-launcher.jar
#   -> java.base,java.desktop,java.management,java.naming,java.security.jgss,java.security.sasl,java.sql,jdk.unsupported
# java.naming: Connector/J's TLS host-name check; java.security.jgss: PostgreSQL's GSS code in PGStream;
# java.security.sasl: Connector/J instantiates all its authentication plugins (LDAP SASL among them) at
# connect; java.management: PostgreSQL reads the heap size when parsing connection properties;
# jdk.unsupported: sun.misc.Signal. No default CDS archive
# (--generate-cds-archive, 26 MB): the AOT cache below holds the JDK classes the launcher uses.
modules="java.base,java.sql,java.naming,java.security.jgss,java.security.sasl,java.management,jdk.unsupported"

rm -rf "$out"
mkdir -p "$out/lib" "$out/bin"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --strip-native-debug-symbols=exclude-debuginfo-files --output "$out/runtime"
# jlink keeps the native libraries' symbol tables (libjvm.so: 30 MiB -> 25 MiB without); the dynamic
# symbols the JVM needs stay. Where binutils is missing the runtime is only larger.
if command -v strip >/dev/null 2>&1; then
  find "$out/runtime" -name '*.so' -exec strip --strip-unneeded {} +
else
  echo "build-runtime: no strip (binutils): native libraries keep their symbol tables" >&2
fi
cp "$jar" "$out/lib/prisma-launcher.jar"
cp "$root/src/main/dist/jvm.args" "$out/lib/jvm.args"
# INIT=1 execs the app under tini: the static build, so it runs in any image (distroless too).
# Debian and Ubuntu ship it in the tini package; scripts/ensure-tini installs it when missing (CI
# and the Dockerfile's build stage run as root).
tini_static="$("$root/scripts/ensure-tini")"
cp "$tini_static" "$out/lib/tini"
chmod 755 "$out/lib/tini"
cp "$root/entrypoint" "$out/entrypoint"
cat > "$out/bin/prisma-launcher" <<'SH'
#!/bin/sh
# prisma-launcher on PATH: the entrypoint one folder up.
exec "$(dirname -- "$(readlink -f -- "$0")")/../entrypoint" "$@"
SH
chmod 755 "$out/entrypoint" "$out/bin/prisma-launcher"

# Training run for the AOT cache (JEP 483/514): the launcher's real start-up path, through the same
# runtime, jar path and flags the entrypoint uses: `run` against a database whose _prisma_migrations
# says the fixture's migrations are applied (read rows, inspect, exec). The table lives in a
# throwaway schema, laid out with psql as Prisma lays it out. The app is a path that does not
# exist: the whole exec path runs, execvp fails (exit 127), and the JVM lives on to write the
# cache at exit, which a successful exec would never let it do.
training_url="${TRAINING_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
schema="prisma_launcher_training_$$"
training_dir="$(mktemp -d)"
cleanup() {
  rm -rf "$training_dir"
  if command -v psql >/dev/null 2>&1; then psql "$training_url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
cp -r "$root/src/test/fixtures/prisma-pg/prisma" "$training_dir/"
# the config too: the training covers the reading of prisma.config.ts (ConfigScript) that every start does
cp "$root/src/test/fixtures/prisma-pg/prisma.config.ts" "$training_dir/"
if command -v psql >/dev/null 2>&1 && psql "$training_url" -qc "SELECT 1" >/dev/null 2>&1; then
  {
    echo "CREATE SCHEMA $schema;"
    echo "CREATE TABLE $schema._prisma_migrations (id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL,"
    echo "  finished_at TIMESTAMPTZ, migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ,"
    echo "  started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0);"
    for m in "$training_dir"/prisma/migrations/*/; do
      name=$(basename "$m")
      sum=$(sha256sum "$m/migration.sql" | cut -d' ' -f1)
      echo "INSERT INTO $schema._prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count)"
      echo "  VALUES (gen_random_uuid()::text, '$sum', now(), '$name', 1);"
    done
  } | psql "$training_url" -v ON_ERROR_STOP=1 -q >/dev/null
else
  echo "build-runtime: no psql or no database at $training_url: the training run covers less of the start-up" >&2
fi
case "$training_url" in *\?*) url="$training_url&schema=$schema" ;; *) url="$training_url?schema=$schema" ;; esac
set +e
(cd "$training_dir" && DATABASE_URL="$url" DB_WAIT_TIMEOUT=0 \
  PRISMA_LAUNCHER_JAVA_OPTS="-XX:AOTCacheOutput=$out/lib/prisma-launcher.aot -Xlog:aot=error" \
  "$out/entrypoint" run -- /nonexistent/prisma-launcher-training-app >/dev/null 2>"$training_dir/training.log")
rc=$?
set -e
if [ "$rc" != 127 ]; then
  echo "build-runtime: the training run exited $rc:" >&2
  cat "$training_dir/training.log" >&2
fi
if [ ! -s "$out/lib/prisma-launcher.aot" ]; then
  cat "$training_dir/training.log" >&2
  echo "build-runtime: no AOT cache was written" >&2
  exit 1
fi
echo "build-runtime: $out ($(du -sh "$out/runtime" | cut -f1) runtime, $(du -sh "$out/lib/prisma-launcher.aot" | cut -f1) cache, modules $modules)" >&2
