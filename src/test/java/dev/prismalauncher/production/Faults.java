package dev.prismalauncher.production;

import dev.prismalauncher.testing.TestDatabase.Kind;

/** SQL for the fault scenarios. */
final class Faults {
    static String fixedNotNull(Kind kind) {
        return kind == Kind.POSTGRESQL ? "ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT 'unknown';\n"
                : "ALTER TABLE `User` ADD COLUMN `email` VARCHAR(191) NOT NULL DEFAULT 'unknown';\n";
    }

    /**
     * A migration that takes its time, so tests can act while it runs. Idempotent on purpose: a
     * killed client does not stop PostgreSQL from finishing (and committing) the script it was
     * running, so the failed row may describe a migration that in fact completed (see README,
     * "Faults tried").
     */
    static String slow(Kind kind, int seconds) {
        return kind == Kind.POSTGRESQL ? "SELECT pg_sleep(" + seconds + ");\nCREATE TABLE IF NOT EXISTS \"Slow\" (id INT);\n"
                : "SELECT SLEEP(" + seconds + ");\nCREATE TABLE IF NOT EXISTS `Slow` (id INT);\n";
    }

    private Faults() {}
}
