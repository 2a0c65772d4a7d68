package dev.prismalauncher.evidence;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Catalog;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.evidence.Ddl.Name;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * MIGRATION_RESOLVE_STRATEGY=auto: which way did a failed migration go? Splits its migration.sql,
 * asks the catalog about each statement's effect, on PostgreSQL trials the script in a
 * transaction that is always rolled back, and decides; only conclusive evidence acts.
 */
public final class Evidence {

    /** Reads the folder's migration.sql (streamed: memory bounded whatever its size) and gathers. */
    public static MigrationEvidence gather(String migration, java.nio.file.Path script, Provider provider, Catalog catalog, Trial trial) {
        return gather(migration, script == null ? null : Trial.Script.of(migration, script), provider, catalog, trial);
    }

    /**
     * @param script the local migration.sql, null when the folder is gone
     */
    public static MigrationEvidence gather(String migration, byte[] script, Provider provider, Catalog catalog, Trial trial) {
        return gather(migration, script == null ? null : Trial.Script.of(migration, script), provider, catalog, trial);
    }

    /**
     * @param trial the rolled-back trial (PostgreSQL); it throws exit 3 when the database stops answering
     */
    static MigrationEvidence gather(String migration, Trial.Script script, Provider provider, Catalog catalog, Trial trial) {
        if (script == null) {
            return new MigrationEvidence(migration, List.of(), Decision.CANNOT_TELL,
                    List.of("its migration.sql is not in the migrations folder, so there is nothing to compare the database with"));
        }
        List<String> firstLines = new ArrayList<>();
        List<Effect> effects = new ArrayList<>();
        List<String> whys = new ArrayList<>();
        boolean transactionControl = false;
        // streamed: each statement is classified from its first words (SqlLexer.HEAD), never held whole
        try (SqlLexer.Pieces pieces = SqlLexer.read(script.open(), provider, false)) {
            for (SqlLexer.Piece piece = pieces.next(); piece != null; piece = pieces.next()) {
                if (piece.index() == 0) {
                    continue;
                }
                firstLines.add(piece.firstLine());
                List<Ddl> ddl = piece.complete() ? StatementParser.parse(piece.code(), provider)
                        : List.of(new Ddl.Unknown("longer than " + SqlLexer.HEAD + " characters: only its first words are read, which prove nothing"));
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
        } catch (java.io.IOException e) {
            return new MigrationEvidence(migration, List.of(), Decision.CANNOT_TELL,
                    List.of("its migration.sql cannot be read: " + e.getMessage()));
        }
        Verdict verdict = decide(migration, provider, effects, catalog.canTrial(), transactionControl, () -> trial.run(List.of(script)));
        return new MigrationEvidence(migration, rows(firstLines, effects, whys, verdict.outcome()), verdict.decision(), verdict.reasons());
    }

    /** The decision, its reasons, and the trial's outcome (null when no trial ran). */
    record Verdict(Decision decision, List<String> reasons, Trial.Outcome outcome) {}

    /**
     * The decision from each statement's effect alone (pure: the catalog was asked already); the
     * trial is run only when everything with evidence is absent and the database can trial it.
     */
    static Verdict decide(String migration, Provider provider, List<Effect> effects, boolean canTrial, boolean transactionControl,
            Supplier<Trial.Outcome> runTrial) {
        List<Effect> bearing = effects.stream().filter(Effect::bearsEvidence).toList();
        List<String> reasons = new ArrayList<>();
        Trial.Outcome outcome = null;
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
            outcome = runTrial.get(); // a lost session: exit 3 naming the trial, from here
            switch (outcome) {
                case Trial.Outcome.Passed p -> {
                    decision = Decision.ROLLED_BACK;
                    reasons.add("all " + bearing.size() + " statement(s) with evidence are absent, and a trial run (rolled back) succeeds now");
                }
                case Trial.Outcome.Failed f -> {
                    decision = Decision.TRIAL_FAILED;
                    reasons.add("the effects are absent, but running it again fails now at " + where(f.at()) + ": " + f.error()
                            + (f.sqlState() != null ? " [" + f.sqlState() + "]" : "") + ". " + fix(f.sqlState())
                            + " The next start with MIGRATION_RESOLVE_STRATEGY=auto looks again (no crash-loop attempt was used)");
                }
                case Trial.Outcome.Stopped st -> {
                    decision = Decision.INCONCLUSIVE;
                    reasons.add("the effects are absent, but the trial of " + where(st.at()) + " stopped: " + st.why()
                            + " (" + st.error() + (st.sqlState() != null ? " [" + st.sqlState() + "]" : "") + ")"
                            + "; that says nothing either way (AUTO_TRIAL_LOCK_TIMEOUT, AUTO_TRIAL_STATEMENT_TIMEOUT)."
                            + " Retry when the database is quieter, raise the bounds, or resolve it by hand");
                }
                case Trial.Outcome.Refused r -> {
                    decision = Decision.INCONCLUSIVE;
                    reasons.add("the effects are absent, but it cannot be trialled: " + (index(r.at()) == 0 ? "" : where(r.at()) + " ")
                            + r.why() + ". Nothing of it was run; resolve it by hand");
                }
            }
        }
        return new Verdict(decision, reasons, outcome);
    }

    /** The evidence table's rows: each statement's effect, and how far the trial got (null: no trial). */
    static List<StatementEvidence> rows(List<String> firstLines, List<Effect> effects, List<String> whys, Trial.Outcome outcome) {
        List<StatementEvidence> rows = new ArrayList<>();
        for (int i = 0; i < firstLines.size(); i++) {
            int n = i + 1;
            rows.add(new StatementEvidence(n, firstLines.get(i), effects.get(i), whys.get(i), trialResult(outcome, n), trialError(outcome, n)));
        }
        return rows;
    }

    private static String where(Trial.At at) {
        return at == null ? "its set-up" : "statement " + at.statement() + " (" + at.firstLine() + ")";
    }

    private static int index(Trial.At at) {
        return at == null ? 0 : at.statement();
    }

    /** The trial column of statement n: ok, failed, bound hit, cannot trial, not reached, not run; null without a trial. */
    private static String trialResult(Trial.Outcome outcome, int n) {
        return switch (outcome) {
            case null -> null;
            case Trial.Outcome.Passed p -> "ok";
            case Trial.Outcome.Failed f -> n < index(f.at()) ? "ok" : n == index(f.at()) ? "failed" : "not reached";
            case Trial.Outcome.Stopped st -> n < index(st.at()) ? "ok" : n == index(st.at()) ? "bound hit" : "not reached";
            case Trial.Outcome.Refused r -> n == index(r.at()) ? "cannot trial" : "not run";
        };
    }

    private static String trialError(Trial.Outcome outcome, int n) {
        return switch (outcome) {
            case Trial.Outcome.Failed f when n == index(f.at()) -> f.error();
            case Trial.Outcome.Stopped st when n == index(st.at()) -> st.error();
            case Trial.Outcome.Refused r when n == index(r.at()) -> r.why();
            case null, default -> null;
        };
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
