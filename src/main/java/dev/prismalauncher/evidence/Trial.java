package dev.prismalauncher.evidence;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.config.Values;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.database.Failure;
import dev.prismalauncher.database.Stop;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;

/**
 * The trial: PostgreSQL runs migration scripts, in order, in one transaction that is always
 * rolled back, to learn whether they would succeed now, and nothing else stays. What makes it that:
 *
 * <ul>
 *   <li><b>Where Prisma runs them</b>: {@code search_path} as Prisma's connector sets it for the
 *       URL's {@code ?schema=} (quaint: the schema alone, quoted; the server's default without it).
 *   <li><b>Its own connection</b>, closed at the end: session settings, session locks and prepared
 *       statements die with it.
 *   <li><b>One bound for the whole trial</b> ({@link Bounds#total}), which a script cannot lift:
 *       {@code statement_timeout} (the time left), {@code lock_timeout} and
 *       {@code idle_in_transaction_session_timeout} (the bound, at least GRACE) are applied on the server before the first
 *       statement, again at least every second and after any statement that may change settings;
 *       and from the client, a cancel request is sent when the bound passes and repeated while a
 *       statement still runs; if no reply comes {@link #GRACE} later, the launcher gives up on the
 *       socket (exit 3) after having sent the cancel. A stop signal (SIGTERM/SIGINT/SIGHUP) sends the
 *       cancel, then drops the connection. On PostgreSQL 14+ {@code client_connection_check_interval}
 *       makes the server notice a client that vanished even mid-statement.
 *   <li><b>Nothing a rollback cannot undo</b> is sent: every statement is screened first
 *       ({@link TrialScreen}); a data statement's target is checked on the server just before it
 *       runs (triggers, rules, a sequence an INSERT would advance); the database must read
 *       {@code '...'} strings as the lexer does (standard_conforming_strings on) and have no event
 *       triggers (they run code on DDL); and each statement reaches the server as one statement:
 *       the driver's own parse of it must give exactly one (else it would split it), and the
 *       extended protocol makes the server refuse a text holding several.
 *   <li><b>Memory bounded by a constant</b>: scripts are streamed, one statement held at a time
 *       (at most {@link SqlLexer#MAX_TEXT} characters; a longer one is not trialled); rows a
 *       statement returns are fetched in small batches and dropped.
 * </ul>
 *
 * Scripts are read twice (screened, then run), so a trial that cannot run anything never connects.
 * The deploy preflight runs all pending migrations through {@link #run(List)} in one trial.
 */
public final class Trial {
    /** After the bound, how long a cancelled statement has to end before the launcher gives up on the socket. */
    static final Duration GRACE = Duration.ofSeconds(5);
    /** Settings are applied again at least this often (the statement_timeout follows the time left). */
    private static final long REAPPLY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int FETCH_SIZE = 100;

    /**
     * @param lockTimeout the longest any one lock is waited for (lock_timeout)
     * @param total the whole trial's time, all statements of all scripts together
     */
    public record Bounds(Duration lockTimeout, Duration total) {}

    /** A script, read once to screen it and once to run it. */
    public record Script(String name, Source source) {
        @FunctionalInterface
        public interface Source {
            InputStream open() throws IOException;
        }

        public static Script of(String name, Path file) {
            return new Script(name, () -> Files.newInputStream(file));
        }

        public static Script of(String name, byte[] bytes) {
            return new Script(name, () -> new ByteArrayInputStream(bytes));
        }

        /** UTF-8, an invalid byte read as U+FFFD, as node reads migration.sql for Prisma. */
        Reader open() throws IOException {
            return new InputStreamReader(source.open(), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
        }
    }

    /** A statement: its script, its 1-based index among the script's statements (as {@link SqlLexer} counts), its first line. */
    public record At(String script, int statement, String firstLine) {
        @Override
        public String toString() {
            return "statement " + statement + " of " + script + " (" + firstLine + ")";
        }
    }

    /** How a trial ended. Only {@link Passed} says the scripts would succeed now; nothing of any of them stays. */
    public sealed interface Outcome {
        /** Every statement ran (then the transaction was rolled back). */
        record Passed(int statements) implements Outcome {}

        /** The database refused a statement: running the scripts now would fail there. */
        record Failed(At at, String sqlState, String error) implements Outcome {}

        /** A bound passed (a lock waited for too long, the trial's time) or another session got in the way: it says nothing either way. */
        record Stopped(At at, String why, String sqlState, String error) implements Outcome {}

        /** Not trialled, said plainly: nothing of the scripts was run ({@code at} null when the reason is the database's, not a statement's). */
        record Refused(At at, String why) implements Outcome {}
    }

    @FunctionalInterface
    interface Connector {
        Connection open() throws SQLException;
    }

    private final DatabaseUrl url;
    private final Dialect dialect;
    private final Stop stop;
    private final Connector connector;
    private final Bounds bounds;
    private final String what;

    private Trial(DatabaseUrl url, Dialect dialect, Stop stop, Connector connector, Bounds bounds, String what) {
        this.url = url;
        this.dialect = dialect;
        this.stop = stop;
        this.connector = connector;
        this.bounds = bounds;
        this.what = what;
    }

    /**
     * A trial on the database of a session: the same URL and dialect, on a connection of its own
     * (the dialect's {@code connect}, as every session's is opened: a {@link Database#another()}
     * session keeps its connection to itself, and the trial needs the raw connection to cancel and
     * drop), heeding the session's stop handle.
     *
     * @param what what the trial is for, named when the database stops answering ("the auto trial", "the deploy preflight")
     */
    public static Trial of(Database db, Bounds bounds, String what) {
        if (bounds.lockTimeout().isZero() || bounds.lockTimeout().isNegative() || bounds.total().isZero() || bounds.total().isNegative()) {
            throw new IllegalArgumentException("a trial's bounds must be above zero: " + bounds);
        }
        return new Trial(db.url(), db.dialect(), db.stop(), () -> db.dialect().connect(db.url()), bounds, what);
    }

    public Bounds bounds() {
        return bounds;
    }

    /**
     * Runs the scripts in order in one transaction, always rolled back, within {@link #bounds()}.
     *
     * @throws LauncherException exit 3 when the database stops answering or the session is lost
     *     (naming this trial and the statement); a stop signal never returns (the launcher exits 128+N)
     */
    public Outcome run(List<Script> scripts) {
        if (dialect.provider() != Provider.POSTGRESQL) {
            return new Outcome.Refused(null, dialect.provider().prismaName() + " commits each DDL statement on its own, so no transaction can take a script back");
        }
        Outcome.Refused refused = screen(scripts);
        if (refused != null) {
            return refused;
        }
        Connection connection;
        try {
            connection = connector.open();
        } catch (SQLException e) {
            stop.sleep(0); // a stop signal's handler decides the exit
            throw new LauncherException(ExitCode.UNREACHABLE, "cannot open the connection for " + what + " on " + url + ": " + Database.describe(e));
        }
        Session session = new Session(connection);
        AutoCloseable onStop = session::stop;
        stop.closeOnStop(onStop);
        try {
            return session.run(scripts);
        } finally {
            stop.forget(onStop);
            session.close();
        }
    }

    /** What a migration's verify.sql said: it holds only when it returned one row whose one column is true. */
    public record Verification(boolean holds, String why) {}

    /**
     * Runs a migration's verify.sql: one read-only query (SELECT or WITH, screened as the trial's
     * statements are), in a read-only transaction on a connection of its own, under the trial's
     * bounds (its statement and lock timeouts on PostgreSQL, and a client-side cancel on both), with
     * Prisma's search_path; always rolled back, the connection closed.
     *
     * @throws LauncherException exit 3 when the database stops answering
     */
    public Verification verify(String migration, String sql) {
        String text;
        try (SqlLexer.Pieces pieces = SqlLexer.read(new java.io.StringReader(sql), dialect.provider(), true)) {
            List<SqlLexer.Piece> code = new java.util.ArrayList<>();
            for (SqlLexer.Piece piece = pieces.next(); piece != null; piece = pieces.next()) {
                if (piece.index() > 0) {
                    code.add(piece);
                }
            }
            if (code.size() != 1 || code.getFirst().text() == null) {
                return new Verification(false, "verify.sql must hold exactly one query (it holds " + code.size() + " statements)");
            }
            text = code.getFirst().text();
            String verb = code.getFirst().code().strip().split("[\\s(]", 2)[0].toUpperCase(java.util.Locale.ROOT);
            if (!verb.equals("SELECT") && !verb.equals("WITH")) {
                return new Verification(false, "verify.sql must be a SELECT (or WITH ... SELECT), not " + verb);
            }
            if (dialect.provider() == Provider.POSTGRESQL && !TrialScreen.screen(text).allowed()) {
                return new Verification(false, "verify.sql is not run: it " + TrialScreen.screen(text).refusal());
            }
        } catch (IOException e) {
            return new Verification(false, "verify.sql cannot be read: " + e.getMessage());
        }
        Connection connection;
        try {
            connection = connector.open();
        } catch (SQLException e) {
            stop.sleep(0);
            throw new LauncherException(ExitCode.UNREACHABLE, "cannot open the connection for verify.sql of " + migration + " on " + url + ": "
                    + Database.describe(e));
        }
        AutoCloseable onStop = connection::close;
        stop.closeOnStop(onStop);
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true); // PostgreSQL: BEGIN READ ONLY; MySQL: SET SESSION TRANSACTION READ ONLY
            if (dialect.provider() == Provider.POSTGRESQL) {
                String schema = url.parameter("schema");
                boolean path = schema != null && !schema.isEmpty();
                try (PreparedStatement s = connection.prepareStatement("SELECT set_config('statement_timeout', ?, true),"
                        + " set_config('lock_timeout', ?, true)" + (path ? ", set_config('search_path', ?, true)" : ""))) {
                    s.setString(1, bounds.total().toMillis() + "ms");
                    s.setString(2, Math.min(bounds.lockTimeout().toMillis(), bounds.total().toMillis()) + "ms");
                    if (path) {
                        s.setString(3, "\"" + schema + "\"");
                    }
                    s.execute();
                }
            }
            try (Statement s = connection.createStatement()) {
                s.setEscapeProcessing(false);
                s.setQueryTimeout((int) Math.max(1, (bounds.total().toMillis() + 999) / 1000));
                s.setMaxRows(2);
                try (ResultSet r = s.executeQuery(text)) {
                    if (!r.next()) {
                        return new Verification(false, "verify.sql returned no row");
                    }
                    if (r.getMetaData().getColumnCount() != 1) {
                        return new Verification(false, "verify.sql returned " + r.getMetaData().getColumnCount() + " columns, not one");
                    }
                    String value = r.getString(1);
                    boolean holds = r.getBoolean(1) && value != null && (value.equalsIgnoreCase("t") || value.equalsIgnoreCase("true") || value.equals("1"));
                    if (r.next()) {
                        return new Verification(false, "verify.sql returned more than one row");
                    }
                    return new Verification(holds, holds ? "verify.sql returned true" : "verify.sql returned " + value);
                }
            }
        } catch (SQLException e) {
            stop.sleep(0);
            if (dialect.classify(e, Failure.Stage.SESSION).sessionLost()) {
                throw new LauncherException(ExitCode.UNREACHABLE, "database stopped answering during verify.sql of " + migration + " on " + url
                        + ": " + Database.describe(e) + " (nothing it read stays: it ran in a read-only transaction)");
            }
            return new Verification(false, "verify.sql failed: " + Database.describe(e));
        } finally {
            stop.forget(onStop);
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // closing ends the transaction anyway
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to keep
            }
        }
    }

    /** The first statement the trial will not run, or null; nothing is sent to the database. */
    private Outcome.Refused screen(List<Script> scripts) {
        for (Script script : scripts) {
            try (SqlLexer.Pieces pieces = SqlLexer.read(script.open(), Provider.POSTGRESQL, true)) {
                for (SqlLexer.Piece piece = pieces.next(); piece != null; piece = pieces.next()) {
                    if (piece.index() == 0) {
                        continue;
                    }
                    At at = new At(script.name(), piece.index(), piece.firstLine());
                    String why = refusal(piece);
                    if (why != null) {
                        return new Outcome.Refused(at, why);
                    }
                }
            } catch (IOException e) {
                return new Outcome.Refused(new At(script.name(), 0, ""), "its migration.sql cannot be read: " + e.getMessage());
            }
        }
        return null;
    }

    private static String refusal(SqlLexer.Piece piece) {
        if (piece.text() == null) {
            return "is " + piece.length() + " characters long, more than the trial holds in memory (" + SqlLexer.MAX_TEXT + ")";
        }
        String why = TrialScreen.screen(piece.text()).refusal();
        if (why != null) {
            return why;
        }
        // The driver splits a text at the ';' it sees outside quotes and sends each part on its own: it must see one statement.
        try {
            int parts = org.postgresql.core.Parser.parseJdbcSql(piece.text(), true, false, true, false, false).size();
            if (parts != 1) {
                return "is read by the PostgreSQL driver as " + parts + " statements, not one as PostgreSQL reads it";
            }
        } catch (SQLException | RuntimeException e) {
            return "cannot be read by the PostgreSQL driver: " + e.getMessage();
        }
        return null;
    }

    /** One trial on its connection: the transaction, the bound and the stop. */
    private final class Session {
        private final Connection connection;
        private final Watch watch;
        private int serverVersion;
        private long lastApplied;
        private boolean settingsChanged = true;
        private boolean searchPathReset = true;
        private At at;

        Session(Connection connection) {
            this.connection = connection;
            this.watch = new Watch(connection);
        }

        Outcome run(List<Script> scripts) {
            try {
                String why = prepare();
                if (why != null) {
                    return new Outcome.Refused(null, why);
                }
                connection.setAutoCommit(false);
                watch.start(System.nanoTime() + bounds.total().toNanos());
                int count = 0;
                for (Script script : scripts) {
                    try (SqlLexer.Pieces pieces = SqlLexer.read(script.open(), Provider.POSTGRESQL, true)) {
                        for (SqlLexer.Piece piece = pieces.next(); piece != null; piece = pieces.next()) {
                            if (piece.index() == 0) {
                                continue;
                            }
                            at = new At(script.name(), piece.index(), piece.firstLine());
                            Outcome stop = statement(piece);
                            if (stop != null) {
                                return stop;
                            }
                            count++;
                        }
                    } catch (IOException e) {
                        return new Outcome.Refused(at, "its migration.sql cannot be read any more: " + e.getMessage());
                    }
                }
                return new Outcome.Passed(count);
            } catch (SQLException e) {
                return failure(e);
            }
        }

        /** Reads what the trial depends on and sets the session up; the reason it cannot trial, or null. */
        private String prepare() throws SQLException {
            watch.startSetup(url, bounds);
            try (Statement s = connection.createStatement();
                    ResultSet r = s.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('standard_conforming_strings'),"
                            + " (SELECT string_agg(evtname, ', ' ORDER BY evtname) FROM pg_catalog.pg_event_trigger WHERE evtenabled <> 'D')")) {
                r.next();
                serverVersion = r.getInt(1);
                if (!"on".equals(r.getString(2))) {
                    return "the database has standard_conforming_strings off, so it reads '...' strings otherwise than the lexer does";
                }
                if (r.getString(3) != null) {
                    return "the database has event triggers (" + r.getString(3) + "), which run code on DDL that the trial cannot see into";
                }
            }
            try (PreparedStatement s = connection.prepareStatement("SELECT set_config('application_name', left(current_setting('application_name'), 48) || ' (trial)', false)")) {
                s.execute();
            }
            return null;
        }

        /** Runs one statement; an outcome if the trial ends here, else null. */
        private Outcome statement(SqlLexer.Piece piece) throws SQLException {
            if (watch.expired()) {
                return bound(null);
            }
            // Screened whole before anything ran; here, between statements, with the transaction open, a long
            // statement's first words give what is needed (its kind, target, SET), so the session is not left idle.
            TrialScreen.Screened screened = TrialScreen.screen(piece.complete() ? piece.text() : piece.code());
            if (!screened.allowed() && piece.complete()) {
                return new Outcome.Refused(at, screened.refusal()); // the file changed between the two readings
            }
            watch.running(true); // from here every wait on the server is under the bound's cancel
            try {
                if (settingsChanged || System.nanoTime() - lastApplied > REAPPLY_NANOS) {
                    apply();
                }
                for (TrialScreen.Target target : screened.targets()) {
                    // past its first words a DEFAULT may hide: a long statement counts as using its table's defaults
                    String why = target(piece.complete() ? target : new TrialScreen.Target(target.verb(), target.name(), true));
                    if (why != null) {
                        return new Outcome.Refused(at, why);
                    }
                }
                execute(piece.text());
            } finally {
                watch.running(false);
            }
            settingsChanged |= screened.changesSettings();
            searchPathReset |= screened.resetsSearchPath();
            return null;
        }

        /** One statement, as one statement (escape processing off, the extended protocol); its rows fetched in batches and dropped. */
        private void execute(String text) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.setEscapeProcessing(false);
                s.setFetchSize(FETCH_SIZE);
                boolean rows = s.execute(text);
                while (true) {
                    if (rows) {
                        try (ResultSet r = s.getResultSet()) {
                            while (r.next()) {
                                // a statement's rows say nothing here
                            }
                        }
                    } else if (s.getUpdateCount() == -1) {
                        break;
                    }
                    rows = s.getMoreResults();
                }
            }
        }

        /**
         * The bounds on the server, again: what a script's SET statement_timeout = 0 undid is set back
         * before the next statement, and statement_timeout follows the time left.
         */
        private void apply() throws SQLException {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(watch.left()));
            String search = searchPathReset ? searchPath() : null;
            StringBuilder sql = new StringBuilder("SELECT set_config('statement_timeout', ?, false), set_config('lock_timeout', ?, false),"
                    + " set_config('idle_in_transaction_session_timeout', ?, false)");
            if (serverVersion >= 140000) {
                sql.append(", set_config('client_connection_check_interval', '1000', false)");
            }
            if (search != null) {
                sql.append(", set_config('search_path', ?, false)");
            }
            try (PreparedStatement s = connection.prepareStatement(sql.toString())) {
                s.setString(1, (left + 1000) + "ms"); // the client cancels at the bound; the server follows a second later
                s.setString(2, Math.min(bounds.lockTimeout().toMillis(), left + 1000) + "ms");
                // a session left idle in its transaction (the launcher gone or cut off) is ended by the server
                s.setString(3, Math.max(GRACE.toMillis(), bounds.total().toMillis()) + "ms");
                if (search != null) {
                    s.setString(4, search);
                }
                s.execute();
            }
            lastApplied = System.nanoTime();
            settingsChanged = false;
            searchPathReset = false;
        }

        /**
         * Prisma's search_path (quaint, postgres connector): the URL's schema, quoted, when {@code ?schema=}
         * is given; otherwise the server's default, left as it is (null).
         */
        private String searchPath() {
            String schema = url.parameter("schema");
            return schema == null || schema.isEmpty() ? null : "\"" + schema + "\"";
        }

        /** A data statement's table, looked at inside the trial (so it sees what earlier statements made): why not to run it, or null. */
        private String target(TrialScreen.Target target) throws SQLException {
            try (PreparedStatement s = connection.prepareStatement("SELECT c.relkind::text,"
                    + " (SELECT string_agg(t.tgname, ', ' ORDER BY t.tgname) FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal),"
                    + " (SELECT string_agg(r.rulename, ', ' ORDER BY r.rulename) FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename <> '_RETURN'),"
                    + " (SELECT string_agg(q.relname, ', ' ORDER BY q.relname) FROM pg_catalog.pg_class q WHERE q.relkind = 'S'"
                    // a sequence this transaction made (a table the script created) goes with the rollback
                    + "   AND q.xmin::text <> (pg_catalog.txid_current() % 4294967296)::text"
                    + "   AND (q.oid IN (SELECT d.refobjid FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_depend d"
                    + "          ON d.classid = 'pg_catalog.pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass"
                    + "        WHERE ad.adrelid = c.oid)"
                    + "     OR q.oid IN (SELECT d.objid FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass"
                    + "          AND d.refobjid = c.oid AND d.deptype = 'i')))"
                    + " FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(?)")) {
                s.setString(1, target.name());
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return null; // no such table: the statement fails on its own, which is what the trial is for
                    }
                    String verb = target.verb().toUpperCase(java.util.Locale.ROOT);
                    if (!"r".equals(r.getString(1))) {
                        return "is " + verb + " on " + target.name() + ", which is not a plain table (a view, a partitioned or foreign"
                                + " table): its effects go where the trial cannot follow";
                    }
                    if (r.getString(2) != null) {
                        return "is " + verb + " on " + target.name() + ", which has triggers (" + r.getString(2) + ") that the trial cannot see into";
                    }
                    if (r.getString(3) != null) {
                        return "is " + verb + " on " + target.name() + ", which has rules (" + r.getString(3) + ") that the trial cannot see into";
                    }
                    boolean advances = target.usesDefaults() && !target.verb().equals("delete") && !target.verb().equals("truncate");
                    if (advances && r.getString(4) != null) {
                        return "is " + verb + " into " + target.name() + ", which would advance its sequence (" + r.getString(4)
                                + "), and a rollback does not undo that";
                    }
                    return null;
                }
            }
        }

        /** How an error ends the trial: a statement refused, a bound, or a lost session (exit 3). */
        private Outcome failure(SQLException e) {
            stop.sleep(0); // once a stop signal is being handled, its handler decides the exit: never returns
            String state = e.getSQLState();
            if (watch.abandoned()) {
                throw lost(e, "no reply came " + Values.text(GRACE) + " after the trial's bound of " + Values.text(bounds.total())
                        + " passed and a cancel request was sent");
            }
            if (dialect.classify(e, Failure.Stage.SESSION).sessionLost() || connectionClosed()) {
                throw lost(e, "the connection was lost");
            }
            String error = Database.describe(e);
            if ("57014".equals(state)) {
                return bound(e);
            }
            if ("55P03".equals(state)) {
                return new Outcome.Stopped(at, "it waited longer than " + Values.text(bounds.lockTimeout()) + " for a lock another session holds",
                        state, error);
            }
            if ("40P01".equals(state) || "40001".equals(state)) {
                return new Outcome.Stopped(at, "another session got in its way (" + (state.equals("40P01") ? "a deadlock" : "a serialization failure") + ")",
                        state, error);
            }
            if ("25001".equals(state) || "25P01".equals(state)) {
                return new Outcome.Refused(at, "cannot run inside a transaction: " + error);
            }
            if ("42601".equals(state) && error.contains("multiple commands")) {
                return new Outcome.Refused(at, "is read by PostgreSQL as several statements: " + error);
            }
            return new Outcome.Failed(at, state, error);
        }

        private Outcome bound(SQLException e) {
            return new Outcome.Stopped(at, "the trial's bound of " + Values.text(bounds.total()) + " passed (all its statements together)",
                    e == null ? null : e.getSQLState(), e == null ? "not started: the bound had passed" : Database.describe(e));
        }

        private boolean connectionClosed() {
            try {
                return connection.isClosed();
            } catch (SQLException e) {
                return true;
            }
        }

        private LauncherException lost(SQLException e, String how) {
            return new LauncherException(ExitCode.UNREACHABLE, "database stopped answering during " + what
                    + (at == null ? "" : " at " + at) + " on " + url + ": " + Database.describe(e) + " (" + how
                    + "; the server ends the statement itself within the trial's bound and drops the session within "
                    + Values.text(idle()) + " of idling, which ends the transaction: nothing of the trial stays)");
        }

        private Duration idle() {
            return GRACE.compareTo(bounds.total()) > 0 ? GRACE : bounds.total();
        }

        /** SIGTERM, SIGINT, SIGHUP: cancel what runs, then drop the connection, so that no statement outlives the launcher. */
        void stop() {
            watch.stop();
        }

        /** The end: the watchdog stopped, the transaction rolled back, the connection closed (its session settings and locks with it). */
        void close() {
            watch.finish();
            try {
                if (!connection.isClosed() && !connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException e) {
                // closing ends the transaction anyway
            }
            try {
                connection.close();
            } catch (SQLException e) {
                // a dropped connection: the server rolls back what it held
            }
        }
    }

    /**
     * The trial's bound from the client side: when it passes, a cancel request (a new connection
     * to the server, carrying the backend's key) while a statement runs, repeated; GRACE later, the
     * socket is dropped. A stop signal does the same at once.
     */
    private static final class Watch {
        private static final long REPEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
        private final Connection connection;
        private volatile long deadline;
        private volatile boolean running;
        private volatile boolean expired;
        private volatile boolean abandoned;
        private volatile boolean done;
        private volatile Thread watcher;
        private volatile Thread canceller;

        Watch(Connection connection) {
            this.connection = connection;
        }

        /** Before the clock starts: no reply awaited longer than the whole trial could take. */
        void startSetup(DatabaseUrl url, Bounds bounds) throws SQLException {
            connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, bounds.total().plus(GRACE).plusSeconds(5).toMillis()));
        }

        void start(long deadline) {
            this.deadline = deadline;
            watcher = Thread.ofPlatform().daemon().name("trial-bound").start(this::watch);
        }

        long left() {
            return deadline - System.nanoTime();
        }

        boolean expired() {
            return expired || done;
        }

        boolean abandoned() {
            return abandoned;
        }

        void running(boolean running) {
            this.running = running;
        }

        private void watch() {
            while (!done && left() > 0) {
                LockSupport.parkNanos(this, left());
            }
            if (done) {
                return;
            }
            expired = true;
            long giveUp = deadline + GRACE.toNanos();
            while (!done) {
                if (running) {
                    if (System.nanoTime() - giveUp >= 0) {
                        abandoned = true;
                        abort();
                        return;
                    }
                    cancel();
                }
                LockSupport.parkNanos(this, REPEAT_NANOS);
            }
        }

        /** One cancel request at a time, off this thread (it opens a connection, which a partition can hold up). */
        private void cancel() {
            Thread c = canceller;
            if (c != null && c.isAlive()) {
                return;
            }
            canceller = Thread.ofPlatform().daemon().name("trial-cancel").start(() -> {
                try {
                    connection.unwrap(PGConnection.class).cancelQuery();
                } catch (SQLException | RuntimeException e) {
                    // the next round tries again; GRACE later the socket is dropped anyway
                }
            });
        }

        private void abort() {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                // already closed
            }
        }

        /** A stop signal: cancel the running statement (waiting a little for the request to go), then drop the connection. */
        void stop() {
            done = true;
            if (running) {
                cancel();
                Thread c = canceller;
                if (c != null) {
                    try {
                        c.join(3000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            abort();
        }

        void finish() {
            done = true;
            Thread w = watcher;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }
}
