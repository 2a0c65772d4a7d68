package dev.prismalauncher.migrations;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database's own words in a failed row's {@code logs}, as Prisma writes them. Two forms:
 *
 * <ul>
 *   <li>the native engine's P3018 text (user_facing_errors ApplyMigrationError): boilerplate, then
 *       {@code Migration name:}, {@code Database error code:} and a {@code Database error:} block
 *       (PostgreSQL: the message, DETAIL/HINT lines, a {@code Position:} block ending in the failing
 *       line, then the driver's DbError dump; MySQL: the message and "Please check the query number N");
 *   <li>the driver-adapter engine's text (Prisma's WebAssembly engine over a JS driver): {@code
 *       external connector error}, the error, then a span trace ({@code 0: ... with migration_name=...}).
 * </ul>
 *
 * Parsed leniently (neither form is a contract): anything unrecognised falls back to the first
 * line that is not Prisma's boilerplate.
 *
 * @param code the database's error code (SQLSTATE or MySQL number), or null
 * @param error the database's message, one or a few lines
 * @param statement where it failed, as Prisma recorded it (the failing line, or the query number), or null
 */
public record FailureLog(String code, String error, String statement) {
    private static final int MAX_ERROR = 1000;
    private static final int MAX_STATEMENT = 300;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final Pattern CODE = Pattern.compile("(?m)^Database error code: *(\\S+) *$");
    private static final Pattern SPAN = Pattern.compile("^\\s*\\d+: \\S");
    private static final Pattern NUMBERED = Pattern.compile("^\\s*(\\d+)(?: (.*))?$");
    private static final Pattern QUERY_NUMBER = Pattern.compile("Please check the query number (\\d+) from the migration file");
    private static final String BOILERPLATE = "A migration failed to apply.";

    /** Null for empty logs. */
    public static FailureLog parse(String logs) {
        if (logs == null || logs.isBlank()) {
            return null;
        }
        String text = ANSI.matcher(logs.replace("\r\n", "\n")).replaceAll("");
        List<String> lines = text.lines().toList();
        if (lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("").strip().equals("external connector error")) {
            return adapter(lines);
        }
        int block = lines.indexOf("Database error:");
        if (block >= 0) {
            return nativeEngine(text, lines, block);
        }
        String first = lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith(BOILERPLATE)).findFirst().orElse("");
        return new FailureLog(null, cut(first, MAX_ERROR), null);
    }

    private static FailureLog adapter(List<String> lines) {
        StringBuilder error = new StringBuilder();
        boolean started = false;
        for (String line : lines) {
            if (!started) {
                started = line.strip().equals("external connector error");
                continue;
            }
            if (SPAN.matcher(line).find()) {
                break; // the span trace: where in the engine, not what the database said
            }
            if (!line.isBlank()) {
                error.append(error.isEmpty() ? "" : "\n").append(line.strip());
            }
        }
        return new FailureLog(null, cut(error.toString(), MAX_ERROR), null);
    }

    private static FailureLog nativeEngine(String text, List<String> lines, int block) {
        Matcher code = CODE.matcher(text);
        String errorCode = code.find() && !code.group(1).equals("none") ? code.group(1) : null;
        StringBuilder error = new StringBuilder();
        String statement = null;
        int i = block + 1;
        for (; i < lines.size() && !lines.get(i).isBlank(); i++) { // the message, DETAIL and HINT: up to the first blank line
            error.append(error.isEmpty() ? "" : "\n").append(lines.get(i).strip());
        }
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().equals("Position:")) {
                // numbered lines; the last one is the line the database pointed at
                String last = null;
                for (i++; i < lines.size() && NUMBERED.matcher(lines.get(i)).matches(); i++) {
                    last = lines.get(i);
                }
                if (last != null) {
                    Matcher m = NUMBERED.matcher(last);
                    m.matches();
                    statement = "line " + m.group(1) + ": " + (m.group(2) == null ? "" : m.group(2).strip());
                }
                break;
            }
            Matcher q = QUERY_NUMBER.matcher(line);
            if (q.find()) {
                statement = "statement number " + q.group(1) + " of migration.sql";
                break;
            }
            if (line.startsWith("DbError {") || SPAN.matcher(line).find()) {
                break;
            }
        }
        return new FailureLog(errorCode, cut(error.toString(), MAX_ERROR), statement == null ? null : cut(statement, MAX_STATEMENT));
    }

    /** One line for messages: "database error 23502: ERROR: ... (at line 3: ALTER TABLE ...)". */
    public String describe() {
        String oneLine = error.replace('\n', ' ');
        return (code == null ? "" : "database error " + code + ": ") + oneLine + (statement == null ? "" : " (at " + statement + ")");
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
