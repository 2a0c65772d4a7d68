package dev.prismalauncher.deploy;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.ScriptError;

/**
 * A script that did not complete, as the launcher reports it and records it.
 *
 * @param code the database's error code (SQLSTATE, MySQL number), or null
 * @param error the database's own message, one or a few lines
 * @param statement which statement failed ("statement 3 (line 12): ALTER TABLE ..."), or null when unknown
 * @param logs what goes into the failed row's logs, in Prisma's shape ({@link PrismaLogs})
 */
record ScriptFailure(String code, String error, String statement, String logs, ScriptError.Kind kind) {

    /** What the database said, read for the row and the message. */
    static ScriptFailure of(MigrationScript script, ScriptError e, Provider provider) {
        String name = script.name();
        String text = script.text();
        ScriptError.Server server = e.server();
        return switch (e.kind()) {
            case LEFT_OPEN -> new ScriptFailure(null, e.message(), null, PrismaLogs.withoutServerError(name, e.message()), e.kind());
            case SESSION_LOST -> new ScriptFailure(e.code(), e.message(), Statements.failing(text, provider, e.completed(), null),
                    PrismaLogs.withoutServerError(name, e.message()), e.kind());
            case REFUSED, LOCK_TIMEOUT -> server != null
                    ? new ScriptFailure(e.code(), PrismaLogs.display(server), Statements.failing(text, provider, e.completed(), server.position()),
                            PrismaLogs.postgres(name, server, text), e.kind())
                    : new ScriptFailure(e.code(), e.message(), Statements.failing(text, provider, e.completed(), null),
                            PrismaLogs.mysql(name, Integer.parseInt(e.code()), e.message(), e.completed() + 1), e.kind());
        };
    }

    /** "database error 23502: ERROR: ... at statement 2 (line 5): ALTER TABLE ...", one line. */
    String describe() {
        return (code == null ? "" : "database error " + code + ": ") + error.replace('\n', ' ')
                + (statement == null ? "" : ", at " + statement);
    }
}
