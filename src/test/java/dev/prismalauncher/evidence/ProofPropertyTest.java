package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Catalog;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.deploy.PrismaLogs;
import dev.prismalauncher.report.EvidenceReport;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's property, on the real servers: auto never says applied or rolled-back when the state
 * does not prove it. A seeded generator makes migrations of the DDL forms auto compares (CREATE
 * TABLE, ADD COLUMN with types, NOT NULL and defaults, [UNIQUE] indexes, foreign keys with their
 * actions, checks, enums), with data statements and IF [NOT] EXISTS forms mixed in, and a state
 * made by hand beside each: none of it, a prefix of it, all of it, or all of it but one statement
 * made with another shape (another type, nullability, default, uniqueness, labels, action, check,
 * or a column short). Then:
 *
 * <ul>
 *   <li>applied only over the whole migration exactly (and never with a statement whose effect the
 *       catalog cannot show);
 *   <li>rolled-back only when none of it is there;
 *   <li>and, so that the property is not kept by refusing everything, the whole migration of
 *       compared forms is applied and nothing of it is rolled back, whenever the generator says so.
 * </ul>
 *
 * Bounded for CI: {@code -Dproof.cases} migrations (default 48, half per database) or
 * {@code -Dproof.seconds} (default 120), whichever comes first; the seed is printed and
 * {@code -Dproof.seed=N} replays it (each case prints its script and state when it fails).
 */
class ProofPropertyTest {
    private static final Trial.Bounds BOUNDS = new Trial.Bounds(Duration.ofSeconds(2), Duration.ofSeconds(10));

    enum State { NONE, PREFIX, FULL, CONFLICT }

    /** A statement: as migration.sql says it, and another shape of it (null: none), and whether the catalog can prove it. */
    record Stmt(String sql, String other, boolean provable) {}

    record Generated(List<Stmt> statements, State state, int prefix, int conflictAt, String logs) {
        String script() {
            StringBuilder b = new StringBuilder();
            for (Stmt s : statements) {
                b.append(s.sql()).append(";\n");
            }
            return b.toString();
        }

        boolean provable() {
            return statements.stream().allMatch(Stmt::provable);
        }
    }

    /** The generator: deterministic for a seed. */
    static final class Gen {
        private final Random r;
        private final boolean pg;
        private int n;

        Gen(long seed, boolean pg) {
            this.r = new Random(seed);
            this.pg = pg;
        }

        private String q(String name) {
            return pg ? "\"" + name + "\"" : "`" + name + "`";
        }

        private <T> T pick(List<T> options) {
            return options.get(r.nextInt(options.size()));
        }

        /** A column type, a default for it, and another default of the same type. */
        private String[] typed() {
            List<String[]> types = pg
                    ? List.of(new String[] {"INTEGER", "42", "4242"}, new String[] {"TEXT", "'abc'", "'ABC'"}, new String[] {"BOOLEAN", "true", "false"},
                            new String[] {"TIMESTAMP(3)", "CURRENT_TIMESTAMP", null}, new String[] {"VARCHAR(20)", "'x'", "'y'"},
                            new String[] {"DOUBLE PRECISION", "1.5", "2.5"})
                    : List.of(new String[] {"INT", "22", "2222"}, new String[] {"VARCHAR(191)", "'abc'", "'ABC'"}, new String[] {"BOOLEAN", "false", "true"},
                            new String[] {"DATETIME(3)", "CURRENT_TIMESTAMP(3)", null}, new String[] {"DOUBLE", "1.5", "2.5"});
            return pick(types);
        }

        private String otherType(String type) {
            return type.startsWith("INT") ? (pg ? "TEXT" : "VARCHAR(10)") : pg ? "INTEGER" : "INT";
        }

        /** One column definition and another shape of it. */
        private String[] column(String name) {
            String[] t = typed();
            boolean notNull = r.nextBoolean();
            boolean withDefault = notNull || r.nextBoolean();
            String def = withDefault ? " DEFAULT " + t[1] : "";
            String sql = q(name) + " " + t[0] + (notNull ? " NOT NULL" : "") + def;
            String other = switch (r.nextInt(3)) {
                case 0 -> q(name) + " " + otherType(t[0]) + (notNull ? " NOT NULL DEFAULT " + (t[0].startsWith("INT") ? "'7'" : "7") : "");
                case 1 -> q(name) + " " + t[0] + (notNull ? "" : " NOT NULL") + (withDefault || !notNull ? " DEFAULT " + t[1] : "");
                default -> t[2] != null && withDefault ? q(name) + " " + t[0] + (notNull ? " NOT NULL" : "") + " DEFAULT " + t[2]
                        : q(name) + " " + otherType(t[0]);
            };
            return new String[] {sql, other};
        }

        Generated next() {
            List<Stmt> out = new ArrayList<>();
            int count = 1 + r.nextInt(4);
            List<String> tables = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int id = ++n;
                int form = r.nextInt(pg ? 9 : 7);
                switch (form) {
                    case 0, 1 -> { // CREATE TABLE
                        String t = "T" + id;
                        String[] c = column("c" + id);
                        String pk = pg ? q("id") + " SERIAL NOT NULL" : q("id") + " INT NOT NULL AUTO_INCREMENT";
                        String key = pg ? ", CONSTRAINT " + q(t + "_pkey") + " PRIMARY KEY (" + q("id") + ")" : ", PRIMARY KEY (" + q("id") + ")";
                        String other = r.nextBoolean() ? "CREATE TABLE " + q(t) + " (" + pk + key + ")" // a column short
                                : "CREATE TABLE " + q(t) + " (" + pk + ", " + c[1] + key + ")";
                        out.add(new Stmt("CREATE TABLE " + q(t) + " (" + pk + ", " + c[0] + key + ")", other, true));
                        tables.add(t);
                    }
                    case 2 -> { // ADD COLUMN
                        String[] c = column("a" + id);
                        out.add(new Stmt("ALTER TABLE " + q("Base") + " ADD COLUMN " + c[0], "ALTER TABLE " + q("Base") + " ADD COLUMN " + c[1], true));
                    }
                    case 3 -> { // [UNIQUE] INDEX
                        boolean unique = r.nextBoolean();
                        String column = pick(List.of("n", "name"));
                        String sql = "INDEX " + q("ix" + id) + " ON " + q("Base") + "(" + q(column) + ")";
                        out.add(new Stmt("CREATE " + (unique ? "UNIQUE " : "") + sql, "CREATE " + (unique ? "" : "UNIQUE ") + sql, true));
                    }
                    case 4 -> { // FOREIGN KEY with its actions
                        String action = pick(List.of("RESTRICT", "CASCADE", "SET NULL"));
                        String other = action.equals("CASCADE") ? "SET NULL" : "CASCADE";
                        String sql = "ALTER TABLE " + q("Base") + " ADD CONSTRAINT " + q("fk" + id) + " FOREIGN KEY (" + q("n") + ") REFERENCES "
                                + q("Base") + "(" + q("id") + ") ON DELETE %s ON UPDATE CASCADE";
                        out.add(new Stmt(sql.formatted(action), sql.formatted(other), true));
                    }
                    case 5 -> { // a data statement: its effect cannot be shown
                        out.add(pick(List.of(new Stmt("INSERT INTO " + q("Base") + " (" + q("id") + ", " + q("name") + ", " + q("n") + ") VALUES ("
                                + (100 + id) + ", 'x" + id + "', " + (100 + id) + ")", null, false),
                                new Stmt("UPDATE " + q("Base") + " SET " + q("name") + " = 'u" + id + "' WHERE " + q("id") + " = 1", null, false))));
                    }
                    case 6 -> { // CHECK
                        // on id: MariaDB refuses a CHECK on a column a foreign key's action may change (n)
                        String sql = "ALTER TABLE " + q("Base") + " ADD CONSTRAINT " + q("ck" + id) + " CHECK (" + q("id") + " >= %s)";
                        out.add(new Stmt(sql.formatted("0"), sql.formatted("-1"), true));
                    }
                    case 7 -> { // PostgreSQL: an enum
                        List<String> labels = new ArrayList<>(List.of("A" + id, "B" + id, "C" + id));
                        String sql = "CREATE TYPE " + q("E" + id) + " AS ENUM ('" + String.join("', '", labels) + "')";
                        java.util.Collections.reverse(labels);
                        out.add(new Stmt(sql, "CREATE TYPE " + q("E" + id) + " AS ENUM ('" + String.join("', '", labels) + "')", true));
                    }
                    default -> { // PostgreSQL: IF NOT EXISTS, which proves only absence
                        out.add(new Stmt("CREATE INDEX IF NOT EXISTS " + q("ixe" + id) + " ON " + q("Base") + "(" + q("name") + ")",
                                null, false));
                    }
                }
            }
            State state = pick(List.of(State.values()));
            if (state == State.PREFIX && out.size() < 2) {
                state = State.NONE;
            }
            List<Integer> shaped = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).other() != null) {
                    shaped.add(i);
                }
            }
            if (state == State.CONFLICT && shaped.isEmpty()) {
                state = State.FULL;
            }
            int prefix = state == State.PREFIX ? 1 + r.nextInt(out.size() - 1) : 0;
            int conflictAt = state == State.CONFLICT ? pick(shaped) : -1;
            // the failed row's logs, as each engine writes them: the native engine names the query (MySQL), the WebAssembly one does not
            int failed = state == State.PREFIX ? prefix + 1 : 1;
            String logs = pg ? null : switch (r.nextInt(3)) {
                case 0 -> PrismaLogs.mysql("m", 1064, "error", failed);
                case 1 -> "external connector error\nerror\n   0: sql_schema_connector::apply_migration::apply_script\n";
                default -> null;
            };
            return new Generated(out, state, prefix, conflictAt, logs);
        }
    }

    @Test
    void autoNeverSaysAppliedOrRolledBackWithoutProof() throws Exception {
        long seed = Long.getLong("proof.seed", System.nanoTime() ^ System.currentTimeMillis());
        int cases = Integer.getInteger("proof.cases", 48);
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.getLong("proof.seconds", 120)).toNanos();
        System.out.println("ProofPropertyTest seed " + seed + " (replay: -Dproof.seed=" + seed + "), up to " + cases + " cases");
        Map<Kind, Gen> gens = new EnumMap<>(Kind.class);
        gens.put(Kind.POSTGRESQL, new Gen(seed, true));
        gens.put(Kind.MYSQL, new Gen(seed + 1, false));
        Map<String, Integer> seen = new java.util.TreeMap<>();
        int ran = 0;
        for (int i = 0; i < cases && System.nanoTime() < deadline; i++) {
            Kind kind = i % 2 == 0 ? Kind.POSTGRESQL : Kind.MYSQL;
            Generated g = gens.get(kind).next();
            Decision d = run(kind, g, seed, i);
            ran++;
            seen.merge(kind + " " + g.state() + (g.provable() ? "" : " (unprovable)") + " -> " + d.label(), 1, Integer::sum);
        }
        System.out.println("ProofPropertyTest seed " + seed + ": " + ran + " cases");
        seen.forEach((k, v) -> System.out.println("  " + v + "  " + k));
        assertTrue(ran >= Math.min(cases, 8), "too few cases ran within the time bound: " + ran);
    }

    private static Decision run(Kind kind, Generated g, long seed, int index) throws Exception {
        String what = "seed " + seed + ", case " + index + " (" + kind + ", state " + g.state() + ", prefix " + g.prefix() + ", conflict at "
                + g.conflictAt() + ", logs " + (g.logs() == null ? "none" : g.logs().lines().findFirst().orElse("")) + "):\n" + g.script();
        try (TestDatabase db = TestDatabase.create(kind)) {
            String q = kind == Kind.POSTGRESQL ? "\"" : "`";
            String text = kind == Kind.POSTGRESQL ? "TEXT" : "VARCHAR(191)";
            db.execute("CREATE TABLE " + q + "Base" + q + " (" + q + "id" + q + " INTEGER NOT NULL PRIMARY KEY, " + q + "name" + q + " " + text + ", "
                    + q + "n" + q + " INTEGER)", "INSERT INTO " + q + "Base" + q + " VALUES (1, 'a', 1), (2, 'b', 2)");
            List<String> made = new ArrayList<>();
            for (int i = 0; i < g.statements().size(); i++) {
                Stmt s = g.statements().get(i);
                String sql = switch (g.state()) {
                    case NONE -> null;
                    case PREFIX -> i < g.prefix() ? s.sql() : null;
                    case FULL -> s.sql();
                    case CONFLICT -> i == g.conflictAt() ? s.other() : s.sql();
                };
                if (sql != null) {
                    db.execute(sql);
                    made.add(sql);
                }
            }
            Dialect dialect = Dialect.of(DatabaseUrl.parse("DATABASE_URL", db.url()));
            MigrationEvidence e;
            try (Connection c = dialect.connect(DatabaseUrl.parse("DATABASE_URL", db.url()))) {
                Catalog catalog = dialect.catalog(c, Duration.ofSeconds(10));
                Trial trial = kind == Kind.POSTGRESQL ? EvidenceTest.trial(db, BOUNDS) : null;
                e = Evidence.gather("m", g.script().getBytes(StandardCharsets.UTF_8), new Evidence.Extras(null, g.logs()),
                        kind == Kind.POSTGRESQL ? Provider.POSTGRESQL : Provider.MYSQL, catalog, trial);
            }
            Decision d = e.decision();
            String shown = what + "\n" + EvidenceReport.table(e);
            if (d == Decision.APPLIED && (g.state() != State.FULL || !g.provable())) {
                fail("applied without proof: " + shown);
            }
            // PostgreSQL runs a script as one transaction: a part of it there was made by hand, and what the catalog cannot
            // show of it (a data statement) the rule cannot see either; every statement it can show must be absent
            boolean shownPartApplied = g.state() == State.PREFIX && (kind == Kind.MYSQL
                    || g.statements().subList(0, g.prefix()).stream().anyMatch(Stmt::provable));
            if (d == Decision.ROLLED_BACK && g.state() != State.NONE && (g.state() != State.PREFIX || shownPartApplied)) {
                fail("rolled-back while some of it is there: " + shown);
            }
            if (g.state() == State.FULL && g.provable() && d != Decision.APPLIED) {
                fail("the whole migration, every statement compared, is there, yet not applied: " + shown);
            }
            if (g.state() == State.CONFLICT && d != Decision.CONFLICT && g.statements().get(g.conflictAt()).provable()
                    && !(g.statements().stream().anyMatch(s -> s.sql().startsWith("CREATE TABLE")) && d == Decision.MIXED)) {
                // another shape of one statement is shown as such (a table short of a column may also read as partly applied)
                fail("another shape not shown as a conflict: " + shown);
            }
            return d;
        }
    }
}
