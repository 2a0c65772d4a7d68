package dev.prismalauncher.deploy;

import dev.prismalauncher.database.ScriptError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code logs} of a failed row, written as Prisma 7.10.1's native schema engine writes them:
 * {@code err.to_string()} of the ConnectorError that {@code apply_migration_script} returns
 * (apply_migrations.rs → record_failed_step), i.e. the P3018 message of user_facing_errors'
 * {@code ApplyMigrationError}:
 *
 * <pre>
 * A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more ...
 *
 * Migration name: NAME
 *
 * Database error code: CODE
 *
 * Database error:
 * DATABASE_ERROR
 * </pre>
 *
 * where DATABASE_ERROR is, on PostgreSQL (flavour/postgres/connection.rs), tokio-postgres's
 * {@code DbError} as Display ({@code SEVERITY: message}, {@code DETAIL:}, {@code HINT:}), then the
 * {@code Position:} block (the failing line and up to five before it, ANSI-bold numbers, as Prisma
 * prints them) when the server gave a position, then a blank line and the DbError's Debug dump; on
 * MySQL (flavour/mysql/connection.rs) the server's message, a blank line and "Please check the
 * query number N from the migration file.". ConnectorError's Display then adds a newline and the
 * engine's span trace (its Rust source locations): that trace is the one part not written here.
 */
public final class PrismaLogs {
    static final String P3018 = "A migration failed to apply. New migrations cannot be applied before the error is recovered from."
            + " Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve";

    /** tokio-postgres's Display of a DbError: "SEVERITY: message", then DETAIL and HINT lines. */
    public static String display(ScriptError.Server e) {
        return e.severity() + ": " + e.message() + (e.detail() == null ? "" : "\nDETAIL: " + e.detail())
                + (e.hint() == null ? "" : "\nHINT: " + e.hint());
    }

    /** The derived Debug of tokio-postgres's DbError, field by field. */
    static String debug(ScriptError.Server e) {
        String parsed = switch (e.severity() == null ? "" : e.severity()) {
            case "PANIC" -> "Some(Panic)";
            case "FATAL" -> "Some(Fatal)";
            case "ERROR" -> "Some(Error)";
            case "WARNING" -> "Some(Warning)";
            case "NOTICE" -> "Some(Notice)";
            case "DEBUG" -> "Some(Debug)";
            case "INFO" -> "Some(Info)";
            case "LOG" -> "Some(Log)";
            default -> "None"; // a localised severity: Prisma parses the unlocalised V field, which the JDBC driver does not expose
        };
        String pos = e.position() != null ? "Some(Original(" + e.position() + "))"
                : e.internalPosition() != null ? "Some(Internal { position: " + e.internalPosition() + ", query: " + rust(e.internalQuery()) + " })"
                : "None";
        return "DbError { severity: " + rust(e.severity()) + ", parsed_severity: " + parsed + ", code: SqlState(E" + e.code() + ")"
                + ", message: " + rust(e.message()) + ", detail: " + option(e.detail()) + ", hint: " + option(e.hint()) + ", position: " + pos
                + ", where_: " + option(e.where()) + ", schema: " + option(e.schema()) + ", table: " + option(e.table())
                + ", column: " + option(e.column()) + ", datatype: " + option(e.datatype()) + ", constraint: " + option(e.constraint())
                + ", file: " + option(e.file()) + ", line: " + (e.line() == null ? "None" : "Some(" + e.line() + ")")
                + ", routine: " + option(e.routine()) + " }";
    }

    /** PostgreSQL: the logs of a script that failed with this server error. */
    public static String postgres(String migration, ScriptError.Server e, String script) {
        String databaseError = display(e) + (e.position() == null ? "" : position(script, e.position())) + "\n\n" + debug(e);
        return message(migration, e.code(), databaseError);
    }

    /** MySQL: the logs of a script whose query number {@code queryNumber} (1-based) failed. */
    public static String mysql(String migration, int code, String serverMessage, int queryNumber) {
        return message(migration, String.valueOf(code), serverMessage + "\n\nPlease check the query number " + queryNumber
                + " from the migration file.");
    }

    /** A failure without a server error (the connection broke): Prisma writes the driver's text and code "none". */
    public static String withoutServerError(String migration, String error) {
        return message(migration, "none", error);
    }

    private static String message(String migration, String code, String databaseError) {
        // the P3018 format string ends with a newline; ConnectorError's Display adds one before its span trace
        return P3018 + "\n\nMigration name: " + migration + "\n\nDatabase error code: " + code + "\n\nDatabase error:\n"
                + databaseError + "\n\n";
    }

    /**
     * Prisma's Position block, computed as its loop does: Rust's {@code str::lines} (split at LF, one
     * trailing CR dropped), a running count of each line's UTF-8 length plus one, compared with the
     * server's position (which PostgreSQL counts in characters: Prisma compares the two as they are).
     */
    static String position(String script, int position) {
        String[] previous = {"", "", "", "", ""};
        long byteIndex = 0;
        List<String> lines = rustLines(script);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNumber = i + 1;
            byteIndex += line.getBytes(StandardCharsets.UTF_8).length + 1;
            if (position <= byteIndex) {
                List<String> numbered = new ArrayList<>();
                for (int idx = 0; idx < previous.length; idx++) {
                    int n = lineNumber - (previous.length - idx);
                    if (n >= 0) {
                        String p = previous[idx];
                        numbered.add("\u001B[1m" + pad(n) + "\u001B[0m" + (p.isEmpty() ? "" : " ") + p);
                    }
                }
                return "\n\nPosition:\n" + String.join("\n", numbered) + "\n\u001B[1m" + pad(lineNumber) + "\u001B[1;31m " + line + "\u001B[0m";
            }
            previous = new String[] {previous[1], previous[2], previous[3], previous[4], line};
        }
        return "";
    }

    /** Rust's str::lines: pieces split at '\n', each without one trailing '\r'; no empty piece after a final '\n'. */
    static List<String> rustLines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < s.length()) {
            int end = s.indexOf('\n', start);
            String line = end < 0 ? s.substring(start) : s.substring(start, end);
            out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        return out;
    }

    /** {@code {:>3}}: right-aligned in three columns. */
    private static String pad(int n) {
        String s = String.valueOf(n);
        return s.length() >= 3 ? s : " ".repeat(3 - s.length()) + s;
    }

    private static String option(String s) {
        return s == null ? "None" : "Some(" + rust(s) + ")";
    }

    /** Rust's Debug of a str: quoted, with \t \r \n \\ \" \0 escaped and other control characters as \\u{hex}. */
    static String rust(String s) {
        if (s == null) {
            return "None";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\0' -> b.append("\\0");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append("\\u{").append(Integer.toHexString(c)).append('}');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private PrismaLogs() {}
}
