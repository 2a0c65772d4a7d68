package dev.prismalauncher.migrations;

import dev.prismalauncher.database.MigrationRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local migrations folder and the database's rows taken together, by Prisma's rules: a row is
 * failed when neither finished nor rolled back; a local migration is pending when no row of its
 * name is un-rolled-back.
 *
 * @param databaseExists false when the database is not there yet: everything is pending
 * @param tableExists whether {@code _prisma_migrations} is there: `prisma migrate deploy` creates it
 *     even when nothing is pending
 */
public record Inspection(boolean databaseExists, boolean tableExists, List<MigrationRow> rows, List<MigrationStatus> migrations) {
    private static final int SHOWN = 5;

    public Inspection {
        rows = List.copyOf(rows);
        migrations = List.copyOf(migrations);
    }

    /**
     * Folder and rows without comparing checksums: what a start needs, since `prisma migrate
     * deploy` ignores migrations edited after they were applied.
     */
    public static Inspection of(LocalMigrations local, boolean databaseExists, List<MigrationRow> rows) {
        return of(local, databaseExists, databaseExists, rows, false);
    }

    /** A database without {@code _prisma_migrations} (and, Baseline made sure, without other tables): all pending. */
    public static Inspection withoutTable(LocalMigrations local) {
        return of(local, true, false, List.of(), false);
    }

    /** Also compares each applied or failed migration's migration.sql with its checksum (`status`). */
    public static Inspection withChecksums(LocalMigrations local, boolean databaseExists, List<MigrationRow> rows) {
        return of(local, databaseExists, databaseExists, rows, true);
    }

    private static Inspection of(LocalMigrations local, boolean databaseExists, boolean tableExists, List<MigrationRow> rows,
            boolean checksums) {
        Map<String, List<MigrationRow>> byName = new LinkedHashMap<>();
        for (MigrationRow row : rows) {
            byName.computeIfAbsent(row.migrationName(), k -> new ArrayList<>()).add(row);
        }
        List<MigrationStatus> out = new ArrayList<>();
        for (String name : local.names()) {
            out.add(status(name, local.get(name), byName.getOrDefault(name, List.of()), checksums));
        }
        for (Map.Entry<String, List<MigrationRow>> e : byName.entrySet()) {
            if (local.get(e.getKey()) == null) {
                MigrationStatus s = status(e.getKey(), null, e.getValue(), false);
                if (s != null) {
                    out.add(s);
                }
            }
        }
        return new Inspection(databaseExists, tableExists, rows, out);
    }

    /** The standing of one name; null for a name known only from rolled-back rows and not on disk. */
    private static MigrationStatus status(String name, LocalMigration local, List<MigrationRow> rows, boolean checksums) {
        // failed attempts that were rolled back: what the crash-loop guard counts
        // one plain loop, the last row of each kind wins: a start runs this for every migration
        int rolledBack = 0;
        MigrationRow failed = null;
        MigrationRow applied = null;
        for (MigrationRow r : rows) {
            if (r.isRolledBack() && r.finishedAt() == null) {
                rolledBack++;
            }
            if (r.isFailed()) {
                failed = r;
            } else if (r.isApplied()) {
                applied = r;
            }
        }
        MigrationRow counted = failed != null ? failed : applied;
        if (counted == null) {
            return local == null ? null : new MigrationStatus(name, MigrationState.PENDING, null, null, null, rolledBack);
        }
        MigrationState state = failed != null ? MigrationState.FAILED
                : local == null ? MigrationState.MISSING_LOCALLY : MigrationState.APPLIED;
        Boolean matches = local == null || !checksums || !local.hasScript() ? null : local.matches(counted.checksum());
        return new MigrationStatus(name, state, matches, counted.startedAt(), counted.finishedAt(), rolledBack);
    }

    public List<MigrationStatus> in(MigrationState state) {
        return migrations.stream().filter(m -> m.state() == state).toList();
    }

    public List<String> namesIn(MigrationState state) {
        return in(state).stream().map(MigrationStatus::name).toList();
    }

    public int count(MigrationState state) {
        int n = 0;
        for (MigrationStatus m : migrations) {
            if (m.state() == state) {
                n++;
            }
        }
        return n;
    }

    /** Nothing failed and nothing pending: `prisma migrate deploy` would have nothing to do. */
    public boolean upToDate() {
        return count(MigrationState.FAILED) == 0 && count(MigrationState.PENDING) == 0;
    }

    /**
     * `prisma migrate deploy` would change nothing: nothing failed or pending, and {@code
     * _prisma_migrations} there (Prisma creates it, and a database left without it meets P3005 once
     * the app creates a table of its own).
     */
    public boolean nothingToDeploy() {
        return upToDate() && tableExists;
    }

    /** Applied migrations whose migration.sql changed since (Prisma warns about these). */
    public List<String> modifiedAfterApply() {
        return migrations.stream()
                .filter(m -> m.state() == MigrationState.APPLIED && Boolean.FALSE.equals(m.checksumMatches()))
                .map(MigrationStatus::name)
                .toList();
    }

    /** The one-line summary the log shows: "3 applied, 1 failed: NAME, 2 pending". */
    public String summary() {
        StringBuilder b = new StringBuilder();
        if (!databaseExists) {
            b.append("database does not exist yet; ");
        }
        b.append(count(MigrationState.APPLIED)).append(" applied");
        append(b, MigrationState.FAILED);
        append(b, MigrationState.PENDING);
        append(b, MigrationState.MISSING_LOCALLY);
        List<String> modified = modifiedAfterApply();
        if (!modified.isEmpty()) {
            b.append(", ").append(modified.size()).append(" modified after apply: ").append(shortList(modified));
        }
        return b.toString();
    }

    private void append(StringBuilder b, MigrationState state) {
        List<String> names = namesIn(state);
        if (names.isEmpty()) {
            return;
        }
        b.append(", ").append(names.size()).append(' ').append(state.label());
        if (state != MigrationState.PENDING || names.size() <= 3) {
            b.append(": ").append(shortList(names));
        }
    }

    /** Text logs name at most five (81 missing names made one 5 KB line); the JSON inspect event has them all. */
    static String shortList(List<String> names) {
        return names.size() <= SHOWN ? String.join(", ", names)
                : String.join(", ", names.subList(0, SHOWN)) + " and " + (names.size() - SHOWN) + " more";
    }
}
