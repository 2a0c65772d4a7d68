package dev.prismalauncher.evidence;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Catalog;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.evidence.Ddl.Name;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * MIGRATION_RESOLVE_STRATEGY=auto: which way did a failed migration go? Splits its migration.sql,
 * asks the catalog about each statement's effect, on PostgreSQL trials the script in a
 * transaction that is always rolled back, and decides; only conclusive evidence acts.
 */
public final class Evidence {

    /** The trial's bounds (AUTO_TRIAL_LOCK_TIMEOUT, AUTO_TRIAL_STATEMENT_TIMEOUT). */
    public record TrialBounds(Duration lockTimeout, Duration statementTimeout) {}

    /** Larger scripts (seed data) are not read whole: memory stays bounded by a constant. */
    static final long MAX_SCRIPT_BYTES = 8L << 20;

    /** Reads the folder's migration.sql and gathers; a missing or oversized script is "cannot tell". */
    public static MigrationEvidence gather(String migration, java.nio.file.Path script, Provider provider, Catalog catalog, TrialBounds bounds) {
        if (script == null) {
            return gather(migration, (byte[]) null, provider, catalog, bounds);
        }
        try {
            long size = java.nio.file.Files.size(script);
            if (size > MAX_SCRIPT_BYTES) {
                return new MigrationEvidence(migration, List.of(), Decision.CANNOT_TELL,
                        List.of("its migration.sql holds " + size + " bytes, more than auto reads (8 MiB)"));
            }
            return gather(migration, java.nio.file.Files.readAllBytes(script), provider, catalog, bounds);
        } catch (java.io.IOException e) {
            return new MigrationEvidence(migration, List.of(), Decision.CANNOT_TELL,
                    List.of("its migration.sql cannot be read: " + e.getMessage()));
        }
    }

    /**
     * @param script the local migration.sql, null when the folder is gone
     */
    public static MigrationEvidence gather(String migration, byte[] script, Provider provider, Catalog catalog, TrialBounds bounds) {
        if (script == null) {
            return new MigrationEvidence(migration, List.of(), Decision.CANNOT_TELL,
                    List.of("its migration.sql is not in the migrations folder, so there is nothing to compare the database with"));
        }
        List<SqlLexer.Piece> pieces = SqlLexer.statements(new String(script, StandardCharsets.UTF_8), provider);
        List<Effect> effects = new ArrayList<>();
        List<String> whys = new ArrayList<>();
        boolean transactionControl = false;
        for (SqlLexer.Piece piece : pieces) {
            List<Ddl> ddl = StatementParser.parse(piece.code(), provider);
            transactionControl |= ddl.stream().anyMatch(d -> d instanceof Ddl.TransactionControl);
            List<Effect> clause = new ArrayList<>();
            List<String> why = new ArrayList<>();
            for (Ddl d : ddl) {
                Found f = classify(d, catalog);
                clause.add(f.effect());
                why.add(f.why());
            }
            effects.add(combine(clause));
            whys.add(String.join("; ", why));
        }
        List<String> firstLines = pieces.stream().map(SqlLexer.Piece::firstLine).toList();
        Verdict verdict = decide(migration, provider, effects, firstLines, catalog.canTrial(), transactionControl, () -> {
            try {
                return catalog.trial(pieces.stream().map(SqlLexer.Piece::text).toList(), bounds.lockTimeout(), bounds.statementTimeout());
            } catch (SQLException e) {
                return new Catalog.Trial(1, e.getSQLState(), Database.describe(e), true);
            }
        });
        return new MigrationEvidence(migration, rows(firstLines, effects, whys, verdict.trial()), verdict.decision(), verdict.reasons());
    }

    /** The decision, its reasons, and the trial run on the way (null when none ran). */
    record Verdict(Decision decision, List<String> reasons, Catalog.Trial trial) {}

    /**
     * The decision from each statement's effect alone (pure: the catalog was asked already); the
     * trial is run only when everything with evidence is absent and the database can trial it.
     *
     * @param firstLines each statement's first line, for the reasons
     */
    static Verdict decide(String migration, Provider provider, List<Effect> effects, List<String> firstLines, boolean canTrial,
            boolean transactionControl, Supplier<Catalog.Trial> runTrial) {
        List<Effect> bearing = effects.stream().filter(Effect::bearsEvidence).toList();
        List<String> reasons = new ArrayList<>();
        Catalog.Trial trial = null;
        Decision decision;
        if (bearing.isEmpty()) {
            decision = Decision.CANNOT_TELL;
            reasons.add("no statement of it leaves a trace the catalog can show (data changes, or forms not understood):"
                    + " cannot tell whether it ran; resolve it by hand");
        } else if (bearing.contains(Effect.PARTIAL) || bearing.contains(Effect.PRESENT) && bearing.contains(Effect.ABSENT)) {
            decision = Decision.MIXED;
            reasons.add("partly applied: " + count(effects, Effect.PRESENT) + " statement(s) present, " + count(effects, Effect.ABSENT)
                    + " absent" + (count(effects, Effect.PARTIAL) > 0 ? ", " + count(effects, Effect.PARTIAL) + " partial" : "")
                    + ". Either finish the absent statements by hand, then `prisma migrate resolve --applied " + migration
                    + "`; or revert the present ones by hand, then `prisma migrate resolve --rolled-back " + migration + "` (deploy re-runs it)");
        } else if (bearing.stream().allMatch(e -> e == Effect.PRESENT)) {
            decision = Decision.APPLIED;
            reasons.add("all " + bearing.size() + " statement(s) with evidence are present in the database");
        } else if (!canTrial) {
            decision = Decision.ROLLED_BACK;
            reasons.add("all " + bearing.size() + " statement(s) with evidence are absent from the database (no trial on " + provider.prismaName() + ")");
        } else if (transactionControl) {
            decision = Decision.INCONCLUSIVE;
            reasons.add("all statements with evidence are absent, but migration.sql controls transactions itself (BEGIN/COMMIT),"
                    + " so it cannot be trialled in a transaction that is rolled back; resolve it by hand");
        } else {
            trial = runTrial.get();
            if (trial.ok()) {
                decision = Decision.ROLLED_BACK;
                reasons.add("all " + bearing.size() + " statement(s) with evidence are absent, and a trial run (rolled back) succeeds now");
            } else {
                String where = "statement " + trial.failedAt() + " (" + firstLines.get(trial.failedAt() - 1) + ")";
                if (trial.boundHit()) {
                    decision = Decision.INCONCLUSIVE;
                    reasons.add("the effects are absent, but the trial of " + where + " stopped: " + trial.error()
                            + (trial.sqlState() != null ? " [" + trial.sqlState() + "]" : "")
                            + "; it hit AUTO_TRIAL_LOCK_TIMEOUT/AUTO_TRIAL_STATEMENT_TIMEOUT or cannot run in a transaction,"
                            + " which says nothing either way. Retry when the database is quieter, raise the bounds, or resolve it by hand");
                } else {
                    decision = Decision.TRIAL_FAILED;
                    reasons.add("the effects are absent, but running it again fails now at " + where + ": " + trial.error()
                            + (trial.sqlState() != null ? " [" + trial.sqlState() + "]" : "") + ". " + fix(trial.sqlState())
                            + " The next start with MIGRATION_RESOLVE_STRATEGY=auto looks again (no crash-loop attempt was used)");
                }
            }
        }
        return new Verdict(decision, reasons, trial);
    }

    /** The evidence table's rows: each statement's effect, and how far the trial got (null: no trial). */
    static List<StatementEvidence> rows(List<String> firstLines, List<Effect> effects, List<String> whys, Catalog.Trial trial) {
        List<StatementEvidence> rows = new ArrayList<>();
        for (int i = 0; i < firstLines.size(); i++) {
            String trialResult = null;
            String error = null;
            if (trial != null) {
                int n = i + 1;
                trialResult = trial.ok() || n < trial.failedAt() ? "ok" : n == trial.failedAt() ? (trial.boundHit() ? "bound hit" : "failed") : "not reached";
                error = n == trial.failedAt() ? trial.error() : null;
            }
            rows.add(new StatementEvidence(i + 1, firstLines.get(i), effects.get(i), whys.get(i), trialResult, error));
        }
        return rows;
    }

    private static String fix(String sqlState) {
        String state = sqlState == null ? "" : sqlState;
        return switch (state) {
            case "23502" -> "Fix: backfill the NULLs (UPDATE ... SET col = ...) or give the column a DEFAULT in migration.sql.";
            case "23505" -> "Fix: remove the duplicate rows, or correct the unique index in migration.sql.";
            case "23503" -> "Fix: delete or correct the rows the foreign key rejects.";
            case "23514" -> "Fix: correct the rows the check constraint rejects.";
            default -> "Fix the database or correct migration.sql.";
        };
    }

    private static long count(List<Effect> effects, Effect e) {
        return effects.stream().filter(x -> x == e).count();
    }

    /** One statement's effect from its clauses': the one effect they agree on, else partial. */
    static Effect combine(List<Effect> clauses) {
        List<Effect> bearing = clauses.stream().filter(Effect::bearsEvidence).distinct().toList();
        if (bearing.isEmpty()) {
            return Effect.NO_EVIDENCE;
        }
        return bearing.size() == 1 ? bearing.getFirst() : Effect.PARTIAL;
    }

    record Found(Effect effect, String why) {
        static Found of(boolean present, String what) {
            return new Found(present ? Effect.PRESENT : Effect.ABSENT, what + (present ? " exists" : " does not exist"));
        }

        static Found none(String why) {
            return new Found(Effect.NO_EVIDENCE, why);
        }
    }

    /** One DDL clause against the catalog. */
    static Found classify(Ddl ddl, Catalog c) {
        try {
            return switch (ddl) {
                case Ddl.CreateTable d -> Found.of(c.tableExists(schema(c, d.table()), d.table().name()), "table " + d.table());
                case Ddl.DropTable d -> inverse(Found.of(c.tableExists(schema(c, d.table()), d.table().name()), "table " + d.table()));
                case Ddl.RenameTable d -> renamed(c.tableExists(schema(c, d.from()), d.from().name()),
                        c.tableExists(schema(c, d.from()), d.to()), "table " + d.from() + " / " + d.to());
                case Ddl.AddColumn d -> addColumn(c, d);
                case Ddl.DropColumn d -> {
                    if (!c.tableExists(schema(c, d.table()), d.table().name())) {
                        yield Found.none("table " + d.table() + " does not exist");
                    }
                    yield inverse(Found.of(c.column(schema(c, d.table()), d.table().name(), d.column()) != null, "column " + d.column()));
                }
                case Ddl.AlterColumn d -> alterColumn(c, d);
                case Ddl.RenameColumn d -> renamed(c.column(schema(c, d.table()), d.table().name(), d.from()) != null,
                        c.column(schema(c, d.table()), d.table().name(), d.to()) != null, "column " + d.from() + " / " + d.to());
                case Ddl.AddConstraint d -> Found.of(c.constraintExists(schema(c, d.table()), d.table().name(), d.name()),
                        d.name() == null ? "primary key of " + d.table() : "constraint " + d.name());
                case Ddl.DropConstraint d -> {
                    if (!c.tableExists(schema(c, d.table()), d.table().name())) {
                        yield Found.none("table " + d.table() + " does not exist");
                    }
                    yield inverse(Found.of(c.constraintExists(schema(c, d.table()), d.table().name(), d.name()),
                            d.name() == null ? "primary key of " + d.table() : "constraint " + d.name()));
                }
                case Ddl.CreateIndex d -> Found.of(c.indexExists(schema(c, d.table()), d.table().name(), d.name()), "index " + d.name());
                case Ddl.DropIndex d -> {
                    String schema = d.table() != null ? schema(c, d.table()) : schema(c, d.name());
                    if (d.table() != null && !c.tableExists(schema, d.table().name())) {
                        yield Found.none("table " + d.table() + " does not exist");
                    }
                    yield inverse(Found.of(c.indexExists(schema, d.table() == null ? null : d.table().name(), d.name().name()), "index " + d.name()));
                }
                case Ddl.RenameIndex d -> {
                    String schema = d.table() != null ? schema(c, d.table()) : schema(c, d.from());
                    String table = d.table() == null ? null : d.table().name();
                    yield renamed(c.indexExists(schema, table, d.from().name()), c.indexExists(schema, table, d.to()), "index " + d.from() + " / " + d.to());
                }
                case Ddl.CreateEnum d -> Found.of(c.enumExists(schema(c, d.type()), d.type().name()), "enum " + d.type());
                case Ddl.AddEnumValue d -> {
                    if (!c.enumExists(schema(c, d.type()), d.type().name())) {
                        yield Found.none("enum " + d.type() + " does not exist");
                    }
                    yield Found.of(c.enumValueExists(schema(c, d.type()), d.type().name(), d.value()), "value '" + d.value() + "' of " + d.type());
                }
                case Ddl.CreateExtension d -> Found.of(c.extensionExists(d.name()), "extension " + d.name());
                case Ddl.CreateSchema d -> Found.of(c.schemaExists(d.name()), "schema " + d.name());
                case Ddl.ModifyColumn d -> modify(c, d.table(), d.column(), d.type(), d.notNull());
                case Ddl.ChangeColumn d -> {
                    String s = schema(c, d.table());
                    boolean from = c.column(s, d.table().name(), d.from()) != null;
                    yield changed(d, from, c.column(s, d.table().name(), d.to()));
                }
                case Ddl.Data d -> Found.none(d.verb() + ": a data statement leaves no trace in the catalog");
                case Ddl.TransactionControl d -> Found.none(d.verb() + ": transaction control");
                case Ddl.Unknown d -> Found.none(d.why());
            };
        } catch (SQLException e) {
            return Found.none("the catalog query failed: " + Database.describe(e));
        } catch (RuntimeException e) {
            return Found.none("not understood here: " + e.getMessage());
        }
    }

    private static String schema(Catalog c, Name name) throws SQLException {
        return name.schema() != null ? name.schema() : c.defaultSchema();
    }

    static Found inverse(Found f) {
        return new Found(f.effect() == Effect.PRESENT ? Effect.ABSENT : Effect.PRESENT, f.why());
    }

    static Found renamed(boolean fromExists, boolean toExists, String what) {
        if (toExists && !fromExists) {
            return new Found(Effect.PRESENT, what + ": only the new name exists");
        }
        if (fromExists && !toExists) {
            return new Found(Effect.ABSENT, what + ": only the old name exists");
        }
        return Found.none(what + ": " + (fromExists ? "both names exist" : "neither name exists"));
    }

    /**
     * MySQL CHANGE old new: with only the new name there, its type and nullability must be the
     * statement's too (a CHANGE renames and retypes at once); else it is a rename's evidence.
     */
    static Found changed(Ddl.ChangeColumn d, boolean fromExists, Catalog.Column to) {
        if (to != null && !fromExists) {
            return modified(d.table(), d.to(), d.type(), d.notNull(), to);
        }
        return renamed(fromExists, to != null, "column " + d.from() + " / " + d.to());
    }

    private static Found addColumn(Catalog c, Ddl.AddColumn d) throws SQLException {
        String s = schema(c, d.table());
        Catalog.Column col = c.column(s, d.table().name(), d.column());
        return addedColumn(d, col, col != null && d.notNull() && c.holdsNull(s, d.table().name(), d.column()));
    }

    /** ADD COLUMN against the column found (null: none) and whether its rows hold NULL (asked only for NOT NULL). */
    static Found addedColumn(Ddl.AddColumn d, Catalog.Column col, boolean holdsNull) {
        if (col == null) {
            return new Found(Effect.ABSENT, "column " + d.table() + "." + d.column() + " does not exist");
        }
        if (d.notNull() && holdsNull) {
            return Found.none("column " + d.column() + " exists but rows hold NULL in it, which a NOT NULL column cannot");
        }
        return new Found(Effect.PRESENT, "column " + d.column() + " exists" + (d.notNull() ? " and no row holds NULL" : ""));
    }

    private static Found alterColumn(Catalog c, Ddl.AlterColumn d) throws SQLException {
        return alteredColumn(d, c.column(schema(c, d.table()), d.table().name(), d.column()));
    }

    /** PostgreSQL ALTER COLUMN against the column found (null: none). */
    static Found alteredColumn(Ddl.AlterColumn d, Catalog.Column col) {
        if (col == null) {
            return Found.none("column " + d.table() + "." + d.column() + " does not exist");
        }
        String what = "column " + d.column();
        return switch (d.change()) {
            case SET_NOT_NULL -> new Found(col.nullable() ? Effect.ABSENT : Effect.PRESENT, what + (col.nullable() ? " is nullable" : " is NOT NULL"));
            case DROP_NOT_NULL -> new Found(col.nullable() ? Effect.PRESENT : Effect.ABSENT, what + (col.nullable() ? " is nullable" : " is NOT NULL"));
            case DROP_DEFAULT -> new Found(col.defaultValue() == null ? Effect.PRESENT : Effect.ABSENT,
                    what + (col.defaultValue() == null ? " has no default" : " has default " + col.defaultValue()));
            case SET_DEFAULT -> col.defaultValue() == null ? new Found(Effect.ABSENT, what + " has no default")
                    : TypeNames.sameDefault(col.defaultValue(), d.value()) ? new Found(Effect.PRESENT, what + " has default " + col.defaultValue())
                    : Found.none(what + " has another default: " + col.defaultValue());
            case TYPE -> {
                String expected = TypeNames.postgres(d.value());
                if (expected == null) {
                    yield Found.none("type " + d.value() + " is not one the evidence can compare");
                }
                boolean same = expected.equals(TypeNames.postgres(col.type()));
                yield new Found(same ? Effect.PRESENT : Effect.ABSENT, what + " is " + col.type());
            }
        };
    }

    private static Found modify(Catalog c, Name table, String column, String type, boolean notNull) throws SQLException {
        return modified(table, column, type, notNull, c.column(schema(c, table), table.name(), column));
    }

    /** MySQL MODIFY/CHANGE against the column found (null: none): present only with the same type and nullability. */
    static Found modified(Name table, String column, String type, boolean notNull, Catalog.Column col) {
        if (col == null) {
            return Found.none("column " + table + "." + column + " does not exist");
        }
        String expected = TypeNames.mysql(type);
        if (expected == null) {
            return Found.none("type " + type + " is not one the evidence can compare");
        }
        boolean same = expected.equals(TypeNames.mysql(col.type())) && col.nullable() != notNull;
        return new Found(same ? Effect.PRESENT : Effect.ABSENT, "column " + column + " is " + col.type() + (col.nullable() ? " NULL" : " NOT NULL"));
    }

    private Evidence() {}
}
