package dev.prismalauncher.production;

import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase.Kind;

/** SQL for the fault scenarios. */
final class Faults {
    static String fixedNotNull(Kind kind) {
        Sql sql = Sql.of(kind);
        return "ALTER TABLE " + sql.quote("User") + " ADD COLUMN " + sql.quote("email") + " " + sql.stringType() + " NOT NULL DEFAULT 'unknown';\n";
    }

    /**
     * A migration that takes its time, so tests can act while it runs. Idempotent on purpose: a
     * killed client does not stop PostgreSQL from finishing (and committing) the script it was
     * running, so the failed row may describe a migration that in fact completed (see README,
     * "Faults tried").
     */
    static String slow(Kind kind, int seconds) {
        Sql sql = Sql.of(kind);
        return sql.sleep(seconds) + ";\nCREATE TABLE IF NOT EXISTS " + sql.quote("Slow") + " (id INT);\n";
    }

    private Faults() {}
}
