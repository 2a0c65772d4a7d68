package dev.prismalauncher.evidence;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Catalog;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.evidence.Ddl.Name;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * MIGRATION_RESOLVE_STRATEGY=auto: which way did a failed migration go? Splits its migration.sql,
 * compares each statement's expected effect with what the catalog renders, on PostgreSQL trials
 * the script in a transaction that is always rolled back, and decides; only proof acts:
 *
 * <ul>
 *   <li><b>applied</b>: every statement proven present (the catalog holds exactly what it would
 *       have made), or, for what the catalog cannot show, the migration's verify.sql returns true;
 *   <li><b>rolled-back</b>: nothing proven present, something proven absent, and running it again
 *       is safe: on PostgreSQL a trial succeeds (Prisma runs a script as one transaction); on MySQL,
 *       where each statement commits, nothing before the failing statement (Prisma's failed row
 *       names it) changed anything a re-run would change again.
 * </ul>
 *
 * A name with another shape is a conflict, shown as expected vs found; anything else is refused
 * with the reason and the way out.
 */
public final class Evidence {

    /** What a migration folder adds to its migration.sql: verify.sql, and the failed row's logs (MySQL: which statement failed). */
    public record Extras(String verifySql, String logs) {
        public static final Extras NONE = new Extras(null, null);
        /** verify.sql is one query: more than this is refused unread (memory stays bounded). */
        static final int MAX_VERIFY = 64 * 1024;

        /**
         * The folder's verify.sql (Prisma 7.10.1 reads only migration.sql from a migration folder and
         * checksums only it, so verify.sql changes nothing for Prisma) and the failed row's logs.
         */
        public static Extras of(java.nio.file.Path directory, String logs) {
            java.nio.file.Path verify = directory == null ? null : directory.resolve("verify.sql");
            if (verify == null || !java.nio.file.Files.isRegularFile(verify)) {
                return new Extras(null, logs);
            }
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(verify)) {
                byte[] bytes = in.readNBytes(MAX_VERIFY + 1);
                if (bytes.length > MAX_VERIFY) {
                    return new Extras("-- verify.sql is larger than " + MAX_VERIFY + " bytes", logs);
                }
                return new Extras(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), logs);
            } catch (java.io.IOException e) {
                return new Extras("-- verify.sql cannot be read: " + e.getMessage(), logs);
            }
        }
    }

    /** Reads the folder's migration.sql (streamed: memory bounded whatever its size) and gathers. */
    public static MigrationEvidence gather(String migration, java.nio.file.Path script, Provider provider, Catalog catalog, Trial trial) {
        return gather(migration, script, Extras.NONE, provider, catalog, trial);
    }

    public static MigrationEvidence gather(String migration, java.nio.file.Path script, Extras extras, Provider provider, Catalog catalog,
            Trial trial) {
        return gather(migration, script == null ? null : Trial.Script.of(migration, script), extras, provider, catalog, trial);
    }

    /**
     * @param script the local migration.sql, null when the folder is gone
     */
    public static MigrationEvidence gather(String migration, byte[] script, Provider provider, Catalog catalog, Trial trial) {
        return gather(migration, script, Extras.NONE, provider, catalog, trial);
    }

    public static MigrationEvidence gather(String migration, byte[] script, Extras extras, Provider provider, Catalog catalog, Trial trial) {
        return gather(migration, script == null ? null : Trial.Script.of(migration, script), extras, provider, catalog, trial);
    }

    /** One statement of the script: where, its first line, its clauses. */
    record Parsed(int index, String firstLine, List<Ddl> ddl) {}

    /**
     * @param trial the rolled-back trial (PostgreSQL) and verify.sql's read-only run; it throws exit 3 when the database stops answering
     */
    static MigrationEvidence gather(String migration, Trial.Script script, Extras extras, Provider provider, Catalog catalog, Trial trial) {
        if (script == null) {
            return new MigrationEvidence(migration, List.of(), Decision.CANNOT_TELL,
                    List.of("its migration.sql is not in the migrations folder, so there is nothing to compare the database with"));
        }
        List<Parsed> parsed = new ArrayList<>();
        boolean transactionControl = false;
        // streamed: each statement is classified from its first words (SqlLexer.HEAD), never held whole
        try (SqlLexer.Pieces pieces = SqlLexer.read(script.open(), provider, false)) {
            for (SqlLexer.Piece piece = pieces.next(); piece != null; piece = pieces.next()) {
                if (piece.index() == 0) {
                    continue;
                }
                List<Ddl> ddl = piece.complete() ? StatementParser.parse(piece.code(), provider)
                        : List.of(new Ddl.Unknown("longer than " + SqlLexer.HEAD + " characters: only its first words are read, which prove nothing"));
                transactionControl |= ddl.stream().anyMatch(d -> d instanceof Ddl.TransactionControl);
                parsed.add(new Parsed(piece.index(), piece.firstLine(), ddl));
            }
        } catch (java.io.IOException e) {
            return new MigrationEvidence(migration, List.of(), Decision.CANNOT_TELL,
                    List.of("its migration.sql cannot be read: " + e.getMessage()));
        }
        boolean pg = provider == Provider.POSTGRESQL;
        List<String> firstLines = new ArrayList<>();
        List<Effect> effects = new ArrayList<>();
        List<String> whys = new ArrayList<>();
        List<Boolean> inert = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            Later later = Later.after(parsed, i);
            List<Effect> clause = new ArrayList<>();
            List<String> why = new ArrayList<>();
            for (Ddl d : parsed.get(i).ddl()) {
                Found f = classify(d, catalog, pg, later);
                clause.add(f.effect());
                why.add(f.why());
            }
            firstLines.add(parsed.get(i).firstLine());
            effects.add(combine(clause));
            whys.add(String.join("; ", why));
            inert.add(parsed.get(i).ddl().stream().allMatch(d -> d instanceof Ddl.Session));
        }
        Facts facts = new Facts(firstLines, effects, inert, queryNumber(extras.logs()), extras.verifySql() == null ? null
                : () -> trial.verify(migration, extras.verifySql()));
        Verdict verdict = decide(migration, provider, facts, catalog.canTrial(), transactionControl, () -> trial.run(List.of(script)));
        return new MigrationEvidence(migration, rows(firstLines, effects, whys, verdict.outcome()), verdict.decision(), verdict.reasons());
    }

    private static final java.util.regex.Pattern QUERY_NUMBER = java.util.regex.Pattern.compile("Please check the query number (\\d+) from the migration file");

    /**
     * MySQL: the statement that failed, as Prisma's native engine numbers it in the failed row's
     * logs (statements the server completed, plus one: the lexer's numbering of pieces with code);
     * null when the logs do not say (the WebAssembly engine's "external connector error" form).
     */
    static Integer queryNumber(String logs) {
        if (logs == null) {
            return null;
        }
        java.util.regex.Matcher m = QUERY_NUMBER.matcher(logs);
        if (!m.find()) {
            return null;
        }
        try {
            return Integer.valueOf(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The decision, its reasons, and the trial's outcome (null when no trial ran). */
    record Verdict(Decision decision, List<String> reasons, Trial.Outcome outcome) {}

    /**
     * What the decision is made from.
     *
     * @param inert per statement: changes nothing a re-run would change again (a session SET)
     * @param failedAt MySQL: the statement Prisma's failed row names, null if unknown
     * @param verify runs verify.sql (null: the folder has none)
     */
    record Facts(List<String> firstLines, List<Effect> effects, List<Boolean> inert, Integer failedAt, Supplier<Trial.Verification> verify) {
        static Facts of(List<Effect> effects) {
            List<String> lines = new ArrayList<>();
            for (int i = 1; i <= effects.size(); i++) {
                lines.add("STATEMENT " + i);
            }
            return new Facts(lines, effects, java.util.Collections.nCopies(effects.size(), false), null, null);
        }
    }

    static Verdict decide(String migration, Provider provider, List<Effect> effects, boolean canTrial, boolean transactionControl,
            Supplier<Trial.Outcome> runTrial) {
        return decide(migration, provider, Facts.of(effects), canTrial, transactionControl, runTrial);
    }

    /**
     * The decision from each statement's effect (pure: the catalog was asked already); verify.sql
     * runs only when it could decide, and the trial only when everything with evidence is absent
     * and the database can trial it.
     */
    static Verdict decide(String migration, Provider provider, Facts facts, boolean canTrial, boolean transactionControl,
            Supplier<Trial.Outcome> runTrial) {
        List<Effect> effects = facts.effects();
        List<Effect> bearing = effects.stream().filter(Effect::bearsEvidence).toList();
        List<String> reasons = new ArrayList<>();
        Trial.Outcome outcome = null;
        Decision decision;
        String applied = "`prisma migrate resolve --applied " + migration + "`";
        String rolledBack = "`prisma migrate resolve --rolled-back " + migration + "`";
        if (bearing.contains(Effect.CONFLICT)) {
            decision = Decision.CONFLICT;
            reasons.add("other shape: " + statements(facts, Effect.CONFLICT) + " find(s) its name taken by something else than migration.sql"
                    + " makes (expected vs found in the table), so neither applied nor rolled-back can be proven. Make the database match"
                    + " migration.sql by hand, then " + applied + "; or remove what is there by hand, then " + rolledBack + " (deploy re-runs it)");
        } else if (bearing.contains(Effect.PARTIAL) || bearing.contains(Effect.PRESENT) && bearing.contains(Effect.ABSENT)) {
            decision = Decision.MIXED;
            reasons.add("partly applied: " + count(effects, Effect.PRESENT) + " statement(s) present, " + count(effects, Effect.ABSENT)
                    + " absent" + (count(effects, Effect.PARTIAL) > 0 ? ", " + count(effects, Effect.PARTIAL) + " partial" : "")
                    + ". Either finish the absent statements by hand, then " + applied
                    + "; or revert the present ones by hand, then " + rolledBack + " (deploy re-runs it)");
        } else if (!bearing.contains(Effect.ABSENT) && (!bearing.isEmpty() || facts.verify() != null)) {
            List<Integer> unshown = indexes(effects, Effect.NO_EVIDENCE);
            Trial.Verification verified = facts.verify() == null ? null : facts.verify().get();
            if (verified != null && !verified.holds()) {
                decision = Decision.UNPROVABLE;
                reasons.add("verify.sql does not confirm it: " + verified.why() + ". Finish it by hand until verify.sql returns true, then "
                        + applied + "; or revert it by hand, then " + rolledBack);
            } else if (unshown.isEmpty() || verified != null) {
                decision = Decision.APPLIED;
                reasons.add(unshown.isEmpty() ? "all " + bearing.size() + " statement(s) are proven present in the database"
                        : bearing.size() + " statement(s) proven present by the catalog, and verify.sql returns true for the "
                                + unshown.size() + " whose effect the catalog cannot show (" + list(facts, unshown) + ")");
            } else {
                decision = Decision.UNPROVABLE;
                reasons.add("cannot prove it applied: " + bearing.size() + " statement(s) are present, but the catalog cannot show the effect of "
                        + list(facts, unshown) + " (data changes, IF [NOT] EXISTS forms whose target may predate the migration, forms not"
                        + " compared). Check them by hand, then " + applied + "; or add a verify.sql to the migration's folder (a read-only"
                        + " query returning true when its effects are in place) and start again");
            }
        } else if (bearing.isEmpty()) {
            decision = Decision.CANNOT_TELL;
            reasons.add("no statement of it leaves a trace the catalog can show (data changes, or forms not understood):"
                    + " cannot tell whether it ran; resolve it by hand (or add a verify.sql to prove it applied)");
        } else if (!canTrial) {
            Verdict v = committedBeforeFailure(migration, provider, facts, bearing.size());
            decision = v.decision();
            reasons.addAll(v.reasons());
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

    /**
     * MySQL, nothing present and something absent: each statement before the failing one committed
     * (MySQL commits DDL on its own, and Prisma runs the rest in autocommit), so a re-run is safe
     * only if none of them changed anything a re-run would change again: each is a session setting,
     * or its effect is proven absent (undone since). The failing statement is the one Prisma's failed
     * row names; without that (the WebAssembly engine's logs), it is known only when the first
     * statement's effect is absent, for then nothing ran before it.
     */
    private static Verdict committedBeforeFailure(String migration, Provider provider, Facts facts, int bearing) {
        List<Effect> effects = facts.effects();
        Integer failedAt = facts.failedAt();
        int first = 0;
        while (first < effects.size() && facts.inert().get(first)) {
            first++;
        }
        String by;
        if (failedAt != null && failedAt >= 1 && failedAt <= effects.size()) {
            by = "Prisma's failed row names statement " + failedAt + " (" + facts.firstLines().get(failedAt - 1) + ") as the one that failed";
        } else if (first < effects.size() && effects.get(first) == Effect.ABSENT) {
            failedAt = first + 1;
            by = "statement " + failedAt + " (" + facts.firstLines().get(first) + ") is the first to change anything, and its effect is absent,"
                    + " so it is where it failed";
        } else {
            return new Verdict(Decision.CANNOT_TELL, List.of("all " + bearing + " statement(s) with evidence are absent, but " + provider.prismaName()
                    + " commits each statement on its own and neither Prisma's failed row nor the catalog shows which statement failed, so"
                    + " what ran before it cannot be known (" + list(facts, indexes(effects, Effect.NO_EVIDENCE)) + " leave no trace)."
                    + " Check by hand, then `prisma migrate resolve --rolled-back " + migration + "` or --applied"), null);
        }
        List<Integer> committed = new ArrayList<>();
        for (int i = 0; i < failedAt - 1; i++) {
            if (!facts.inert().get(i) && effects.get(i) != Effect.ABSENT) {
                committed.add(i + 1);
            }
        }
        if (!committed.isEmpty()) {
            return new Verdict(Decision.MIXED, List.of("partly applied: " + by + ", and " + provider.prismaName() + " committed what ran before it: "
                    + list(facts, committed) + " ran and a re-run would run again, and the catalog cannot show it undone."
                    + " Either run the rest of migration.sql from statement " + failedAt + " by hand, then `prisma migrate resolve --applied "
                    + migration + "`; or undo " + list(facts, committed) + " by hand, then `prisma migrate resolve --rolled-back " + migration
                    + "` (deploy re-runs it)"), null);
        }
        return new Verdict(Decision.ROLLED_BACK, List.of("all " + bearing + " statement(s) with evidence are absent (no trial on "
                + provider.prismaName() + "): " + by + ", and nothing before it changed anything a re-run would change again"), null);
    }

    private static List<Integer> indexes(List<Effect> effects, Effect e) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < effects.size(); i++) {
            if (effects.get(i) == e) {
                out.add(i + 1);
            }
        }
        return out;
    }

    private static String statements(Facts facts, Effect e) {
        return list(facts, indexes(facts.effects(), e));
    }

    /** "statement 2 (INSERT INTO ...), statement 3 (...)": at most five named. */
    private static String list(Facts facts, List<Integer> numbers) {
        List<String> named = new ArrayList<>();
        for (int n : numbers.subList(0, Math.min(5, numbers.size()))) {
            named.add("statement " + n + " (" + facts.firstLines().get(n - 1) + ")");
        }
        return String.join(", ", named) + (numbers.size() > 5 ? " and " + (numbers.size() - 5) + " more" : "");
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

        static Found conflict(String what, List<String> differences) {
            return new Found(Effect.CONFLICT, what + " exists with another shape: " + String.join(", ", differences));
        }

        /** Present if nothing differs and everything was compared; a conflict if something differs; else no evidence. */
        static Found shape(String what, List<String> differences, List<String> uncompared) {
            if (!differences.isEmpty()) {
                return conflict(what, differences);
            }
            if (!uncompared.isEmpty()) {
                return none(what + " exists, but its " + String.join(", ", uncompared) + " cannot be compared, so it does not prove the statement ran");
            }
            return new Found(Effect.PRESENT, what + " exists as migration.sql makes it");
        }
    }

    /**
     * What the statements after this one change, so that this one's shape is compared only where
     * no later statement of the same migration changes it (ADD COLUMN, then SET NOT NULL).
     * Keys: a table's name ("columns": its set of columns changes), "table.column" (its aspects:
     * type, nullability, default, all), "constraint:table.name", "enum:name".
     */
    record Later(java.util.Map<String, java.util.Set<String>> touched) {
        static final Later NONE = new Later(java.util.Map.of());

        static Later after(List<Parsed> parsed, int i) {
            java.util.Map<String, java.util.Set<String>> t = new java.util.HashMap<>();
            for (Parsed p : parsed.subList(i + 1, parsed.size())) {
                for (Ddl d : p.ddl()) {
                    note(t, d instanceof Ddl.Conditional c ? c.inner() : d);
                }
            }
            return new Later(t);
        }

        private static void note(java.util.Map<String, java.util.Set<String>> t, Ddl d) {
            switch (d) {
                case Ddl.AddColumn a -> add(t, a.table().name(), "columns");
                case Ddl.DropColumn a -> {
                    add(t, a.table().name(), "columns");
                    add(t, a.table().name() + "." + a.column(), "all");
                }
                case Ddl.RenameColumn a -> {
                    add(t, a.table().name(), "columns");
                    add(t, a.table().name() + "." + a.from(), "all");
                }
                case Ddl.ChangeColumn a -> {
                    add(t, a.table().name(), "columns");
                    add(t, a.table().name() + "." + a.from(), "all");
                }
                case Ddl.ModifyColumn a -> add(t, a.table().name() + "." + a.column(), "all");
                case Ddl.AlterColumn a -> add(t, a.table().name() + "." + a.column(), switch (a.change()) {
                    case SET_NOT_NULL, DROP_NOT_NULL -> "nullability";
                    case SET_DEFAULT, DROP_DEFAULT -> "default";
                    case TYPE -> "all"; // a new type may rewrite the default too
                });
                case Ddl.AddConstraint a -> {
                    if (a.spec() != null && a.kind().equals("PRIMARY KEY") && a.spec().columns() != null) {
                        for (String column : a.spec().columns()) {
                            add(t, a.table().name() + "." + column, "nullability"); // a primary key makes its columns NOT NULL
                        }
                    }
                    add(t, "constraint:" + a.table().name() + "." + a.name(), "all");
                }
                case Ddl.DropConstraint a -> add(t, "constraint:" + a.table().name() + "." + a.name(), "all");
                case Ddl.DropIndex a -> add(t, "index:" + a.name().name(), "all");
                case Ddl.RenameIndex a -> add(t, "index:" + a.from().name(), "all");
                case Ddl.AddEnumValue a -> add(t, "enum:" + a.type().name(), "labels");
                case Ddl.RenameTable a -> add(t, a.from().name(), "all");
                case Ddl.DropTable a -> add(t, a.table().name(), "all");
                default -> {
                    // no change to a shape compared here
                }
            }
        }

        private static void add(java.util.Map<String, java.util.Set<String>> t, String key, String aspect) {
            t.computeIfAbsent(key, k -> new java.util.HashSet<>()).add(aspect);
        }

        boolean changes(String key, String aspect) {
            java.util.Set<String> aspects = touched.getOrDefault(key, java.util.Set.of());
            return aspects.contains(aspect) || aspects.contains("all");
        }
    }

    /** One DDL clause against the catalog, with nothing after it in the migration. */
    static Found classify(Ddl ddl, Catalog c) {
        return classify(ddl, c, c == null || c.canTrial(), Later.NONE);
    }

    /**
     * One DDL clause against the catalog.
     *
     * @throws LauncherException exit 3 (naming the phase) when the session is lost during the catalog's queries:
     *     a lost session is not "no evidence"
     */
    static Found classify(Ddl ddl, Catalog c, boolean pg, Later later) {
        try {
            return switch (ddl) {
                case Ddl.Conditional d -> conditional(d, classify(d.inner(), c, pg, later));
                case Ddl.CreateTable d -> createTable(c, d, pg, later);
                case Ddl.DropTable d -> inverse(Found.of(c.tableExists(schema(c, d.table()), d.table().name()), "table " + d.table()));
                case Ddl.RenameTable d -> renamed(c.tableExists(schema(c, d.from()), d.from().name()),
                        c.tableExists(schema(c, d.from()), d.to()), "table " + d.from() + " / " + d.to());
                case Ddl.AddColumn d -> addColumn(c, d, pg, later);
                case Ddl.DropColumn d -> {
                    if (!c.tableExists(schema(c, d.table()), d.table().name())) {
                        yield Found.none("table " + d.table() + " does not exist");
                    }
                    yield inverse(Found.of(c.column(schema(c, d.table()), d.table().name(), d.column()) != null, "column " + d.column()));
                }
                case Ddl.AlterColumn d -> alterColumn(c, d);
                case Ddl.RenameColumn d -> renamed(c.column(schema(c, d.table()), d.table().name(), d.from()) != null,
                        c.column(schema(c, d.table()), d.table().name(), d.to()) != null, "column " + d.from() + " / " + d.to());
                case Ddl.AddConstraint d -> addConstraint(c, d, pg, later);
                case Ddl.DropConstraint d -> {
                    if (!c.tableExists(schema(c, d.table()), d.table().name())) {
                        yield Found.none("table " + d.table() + " does not exist");
                    }
                    yield inverse(Found.of(c.constraintExists(schema(c, d.table()), d.table().name(), d.name()),
                            d.name() == null ? "primary key of " + d.table() : "constraint " + d.name()));
                }
                case Ddl.CreateIndex d -> createIndex(c, d, pg, later);
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
                case Ddl.CreateEnum d -> enumFound(d, c.enumLabels(schema(c, d.type()), d.type().name()), later);
                case Ddl.AddEnumValue d -> {
                    if (!c.enumExists(schema(c, d.type()), d.type().name())) {
                        yield Found.none("enum " + d.type() + " does not exist");
                    }
                    yield Found.of(c.enumValueExists(schema(c, d.type()), d.type().name(), d.value()), "value '" + d.value() + "' of " + d.type());
                }
                case Ddl.CreateExtension d -> Found.of(c.extensionExists(d.name()), "extension " + d.name());
                case Ddl.CreateSchema d -> Found.of(c.schemaExists(d.name()), "schema " + d.name());
                case Ddl.ModifyColumn d -> modify(c, d.table(), d.column(), d.type(), d.notNull(), d.spec());
                case Ddl.ChangeColumn d -> {
                    String s = schema(c, d.table());
                    boolean from = c.column(s, d.table().name(), d.from()) != null;
                    yield changed(d, from, c.column(s, d.table().name(), d.to()));
                }
                case Ddl.Data d -> Found.none(d.verb() + ": a data statement leaves no trace in the catalog");
                case Ddl.TransactionControl d -> Found.none(d.verb() + ": transaction control");
                case Ddl.Session d -> Found.none(d.verb() + ": a session setting leaves no trace in the catalog");
                case Ddl.Unknown d -> Found.none(d.why());
            };
        } catch (SQLException e) {
            c.lost(e); // a lost session: exit 3 naming the phase, never "no evidence"
            return Found.none("the catalog query failed: " + Database.describe(e));
        } catch (LauncherException e) {
            throw e;
        } catch (RuntimeException e) {
            return Found.none("not understood here: " + e.getMessage());
        }
    }

    private static String schema(Catalog c, Name name) throws SQLException {
        return name.schema() != null ? name.schema() : c.defaultSchema();
    }

    /** IF [NOT] EXISTS: the state it leaves may predate the migration, so it proves only absence. */
    static Found conditional(Ddl.Conditional d, Found inner) {
        if (inner.effect() == Effect.PRESENT) {
            return Found.none("IF [NOT] EXISTS: " + inner.why() + ", but that may predate the migration, so it proves nothing");
        }
        return inner;
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
            return modified(d.table(), d.to(), d.type(), d.notNull(), d.spec(), to);
        }
        return renamed(fromExists, to != null, "column " + d.from() + " / " + d.to());
    }

    private static Found createTable(Catalog c, Ddl.CreateTable d, boolean pg, Later later) throws SQLException {
        String s = schema(c, d.table());
        if (!c.tableExists(s, d.table().name())) {
            return new Found(Effect.ABSENT, "table " + d.table() + " does not exist");
        }
        if (d.spec() == null) {
            return Found.none("table " + d.table() + " exists; its columns were not read");
        }
        String table = d.table().name();
        List<String> differences = new ArrayList<>();
        List<String> uncompared = new ArrayList<>(d.spec().uncompared());
        List<String> found = c.columns(s, table);
        List<String> expected = d.spec().columns().stream().map(Ddl.ColumnSpec::name).toList();
        if (!later.changes(table, "columns") && !found.equals(expected)) {
            differences.add("columns expected (" + String.join(", ", expected) + "), found (" + String.join(", ", found) + ")");
        }
        for (Ddl.ColumnSpec column : d.spec().columns()) {
            if (later.changes(table + "." + column.name(), "all")) {
                continue;
            }
            Catalog.Column col = c.column(s, table, column.name());
            if (col == null) {
                if (later.changes(table, "columns")) {
                    differences.add("column " + column.name() + " missing");
                }
                continue;
            }
            for (String diff : columnDifferences(column, col, pg, later.touched().getOrDefault(table + "." + column.name(), java.util.Set.of()))) {
                differences.add("column " + column.name() + " " + diff);
            }
            column.uncompared().forEach(u -> uncompared.add("column " + column.name() + "'s " + u));
        }
        for (Ddl part : d.spec().parts()) {
            Found f = classify(part, c, pg, later);
            switch (f.effect()) {
                case PRESENT -> {
                    // as migration.sql makes it
                }
                case ABSENT -> differences.add(f.why());
                case CONFLICT -> differences.add(f.why());
                default -> uncompared.add(f.why());
            }
        }
        return Found.shape("table " + d.table(), differences, uncompared);
    }

    /** A column's shape against what the catalog shows: "type expected X, found Y", ...; aspects a later statement changes are skipped. */
    static List<String> columnDifferences(Ddl.ColumnSpec spec, Catalog.Column col, boolean pg, java.util.Set<String> changedLater) {
        List<String> out = new ArrayList<>();
        String written = spec.type() == null ? "" : spec.type().strip().toLowerCase(Locale.ROOT);
        String serial = pg ? switch (written) {
            case "serial", "serial4" -> "integer";
            case "bigserial", "serial8" -> "bigint";
            case "smallserial", "serial2" -> "smallint";
            default -> null;
        } : null;
        boolean compareAll = !changedLater.contains("all");
        if (compareAll) {
            String expected = serial != null ? serial : pg ? TypeNames.postgres(spec.type()) : TypeNames.mysql(spec.type());
            String found = pg ? TypeNames.postgres(col.type()) : TypeNames.mysql(col.type());
            if (expected == null) {
                out.add("type " + spec.type() + " cannot be compared (found " + col.type() + ")");
            } else if (!expected.equals(found)) {
                out.add("type expected " + spec.type() + ", found " + col.type());
            }
        }
        if (compareAll && !changedLater.contains("nullability")) {
            boolean notNull = spec.notNull() || serial != null;
            if (notNull == col.nullable()) {
                out.add((notNull ? "expected NOT NULL, found NULL" : "expected NULL, found NOT NULL"));
            }
        }
        // beside GENERATED, COLLATE, ON UPDATE and the like, the stored default and extra say other things: not compared
        boolean plain = spec.uncompared().isEmpty();
        if (compareAll && plain && !changedLater.contains("default")) {
            String stored = col.defaultValue();
            boolean same;
            if (serial != null) {
                same = stored != null && stored.startsWith("nextval(");
            } else if (pg) {
                same = spec.defaultValue() == null ? stored == null : TypeNames.sameDefault(stored, spec.defaultValue());
            } else {
                same = TypeNames.sameMySqlDefault(stored, spec.defaultValue());
            }
            if (!same) {
                out.add("default expected " + (serial != null ? "nextval(...) (" + spec.type() + ")" : spec.defaultValue() == null ? "none" : spec.defaultValue())
                        + ", found " + (stored == null ? "none" : stored));
            }
        }
        if (compareAll && plain) {
            String extra = col.extra() == null ? "" : col.extra().replace("default_generated", "").strip();
            boolean autoIncrement = extra.contains("auto_increment");
            if (!pg && autoIncrement != spec.autoIncrement()) {
                out.add(spec.autoIncrement() ? "expected AUTO_INCREMENT, found none" : "found AUTO_INCREMENT, not in migration.sql");
            }
            String other = extra.replace("auto_increment", "").strip();
            if (!other.isEmpty()) {
                out.add("found " + other + ", not in migration.sql");
            }
        }
        return out;
    }

    private static Found addColumn(Catalog c, Ddl.AddColumn d, boolean pg, Later later) throws SQLException {
        Catalog.Column col = c.column(schema(c, d.table()), d.table().name(), d.column());
        return addedColumn(d, col, pg, later);
    }

    /** ADD COLUMN against the column found (null: none): present only with the statement's type, nullability, default and identity. */
    static Found addedColumn(Ddl.AddColumn d, Catalog.Column col, boolean pg, Later later) {
        if (col == null) {
            return new Found(Effect.ABSENT, "column " + d.table() + "." + d.column() + " does not exist");
        }
        if (d.spec() == null) {
            return Found.none("column " + d.column() + " exists; its shape was not read");
        }
        java.util.Set<String> changed = later.touched().getOrDefault(d.table().name() + "." + d.column(), java.util.Set.of());
        return Found.shape("column " + d.column(), columnDifferences(d.spec(), col, pg, changed), d.spec().uncompared());
    }

    private static Found addConstraint(Catalog c, Ddl.AddConstraint d, boolean pg, Later later) throws SQLException {
        return constraintFound(d, c.constraint(schema(c, d.table()), d.table().name(), d.name()), pg,
                later.changes("constraint:" + d.table().name() + "." + d.name(), "all"));
    }

    /** A constraint against what the catalog shows (null: none): kind, columns, references and actions, check, validated. */
    static Found constraintFound(Ddl.AddConstraint d, Catalog.Constraint k, boolean pg, boolean changedLater) {
        String what = d.name() == null ? "primary key of " + d.table() : "constraint " + d.name();
        if (k == null) {
            return new Found(Effect.ABSENT, what + " does not exist");
        }
        if (d.spec() == null || changedLater) {
            return Found.none(what + " exists; its definition is not compared");
        }
        Ddl.ConstraintSpec spec = d.spec();
        List<String> differences = new ArrayList<>();
        if (!d.kind().equals(k.kind())) {
            differences.add("expected " + d.kind() + ", found " + k.definition());
        } else {
            if (spec.columns() != null && !keyColumns(spec.columns(), pg).equals(k.columns())) {
                differences.add("columns expected (" + String.join(", ", spec.columns()) + "), found (" + String.join(", ", k.columns()) + ")");
            }
            if (d.kind().equals("FOREIGN KEY")) {
                if (spec.references() == null || !spec.references().name().equals(k.referencedTable())
                        || spec.references().schema() != null && !spec.references().schema().equals(k.referencedSchema())) {
                    differences.add("references expected " + spec.references() + ", found " + k.referencedSchema() + "." + k.referencedTable());
                }
                if (spec.referencedColumns() != null && !spec.referencedColumns().equals(k.referencedColumns())) {
                    differences.add("referenced columns expected (" + String.join(", ", spec.referencedColumns()) + "), found ("
                            + String.join(", ", k.referencedColumns()) + ")");
                }
                if (!sameAction(spec.onDelete(), k.onDelete(), pg)) {
                    differences.add("ON DELETE expected " + action(spec.onDelete()) + ", found " + k.onDelete());
                }
                if (!sameAction(spec.onUpdate(), k.onUpdate(), pg)) {
                    differences.add("ON UPDATE expected " + action(spec.onUpdate()) + ", found " + k.onUpdate());
                }
            }
            if (d.kind().equals("CHECK") && (k.check() == null || !TypeNames.sameExpression(k.check(), spec.check(), pg))) {
                differences.add("check expected (" + spec.check() + "), found (" + (k.check() == null ? k.definition() : k.check()) + ")");
            }
            if (!k.validated() && !spec.notValid()) {
                differences.add("found NOT VALID (its rows were never checked)");
            }
            if (k.deferrable() && !spec.uncompared().contains("DEFERRABLE")) {
                differences.add("found DEFERRABLE");
            }
        }
        if (!differences.isEmpty()) {
            differences.add(0, "found " + k.definition());
        }
        return Found.shape(what, differences, spec.uncompared());
    }

    /** MySQL's key columns may carry a prefix length, which a constraint's columns do not show. */
    private static List<String> keyColumns(List<String> columns, boolean pg) {
        return pg ? columns : columns.stream().map(k -> k.replaceFirst("\\(\\d+\\)$", "")).toList();
    }

    private static String action(String written) {
        return written == null ? "NO ACTION" : written;
    }

    /** Unsaid is NO ACTION; on MySQL RESTRICT and NO ACTION are one (InnoDB checks at once either way). */
    private static boolean sameAction(String written, String found, boolean pg) {
        String a = action(written);
        String b = found == null ? "NO ACTION" : found.toUpperCase(Locale.ROOT);
        if (!pg) {
            a = a.equals("RESTRICT") ? "NO ACTION" : a;
            b = b.equals("RESTRICT") ? "NO ACTION" : b;
        }
        return a.equals(b);
    }

    private static Found createIndex(Catalog c, Ddl.CreateIndex d, boolean pg, Later later) throws SQLException {
        String schema = schema(c, d.table());
        return indexFound(d, c.index(schema, d.table().name(), d.name()), pg, later.changes("index:" + d.name(), "all"));
    }

    /** An index against what the catalog shows (null: none): its table, uniqueness, method, keys in order, predicate, validity. */
    static Found indexFound(Ddl.CreateIndex d, Catalog.Index ix, boolean pg, boolean changedLater) {
        String what = "index " + d.name();
        if (ix == null) {
            return new Found(Effect.ABSENT, what + " does not exist");
        }
        if (d.spec() == null || changedLater) {
            return Found.none(what + " exists; its definition is not compared");
        }
        Ddl.IndexSpec spec = d.spec();
        List<String> differences = new ArrayList<>();
        if (!d.table().name().equals(ix.table())) {
            differences.add("on table " + ix.table() + ", not " + d.table().name());
        }
        if (d.unique() != ix.unique()) {
            differences.add(d.unique() ? "expected UNIQUE, found not unique" : "expected not unique, found UNIQUE");
        }
        String method = spec.method() != null ? spec.method() : pg ? "btree" : "BTREE";
        if (!method.equalsIgnoreCase(ix.method())) {
            differences.add("method expected " + method + ", found " + ix.method());
        }
        if (spec.keys() != null && !spec.keys().equals(ix.keys())) {
            differences.add("keys expected (" + String.join(", ", spec.keys()) + "), found ("
                    + String.join(", ", ix.keys().stream().map(k -> k == null ? "(expression)" : k).toList()) + ")");
        }
        if (spec.predicate() == null ? ix.predicate() != null : ix.predicate() == null || !TypeNames.sameExpression(ix.predicate(), spec.predicate(), pg)) {
            differences.add("predicate expected " + (spec.predicate() == null ? "none" : "WHERE " + spec.predicate()) + ", found "
                    + (ix.predicate() == null ? "none" : "WHERE " + ix.predicate()));
        }
        if (!ix.valid()) {
            differences.add("found INVALID (left by a CREATE INDEX CONCURRENTLY that failed; it is not used and not kept up to date)");
        }
        if (!differences.isEmpty()) {
            differences.add(0, "found " + ix.definition());
        }
        return Found.shape(what, differences, spec.uncompared());
    }

    /** An enum's labels in order against the catalog's (null: no such enum); labels a later ADD VALUE adds may be there too. */
    static Found enumFound(Ddl.CreateEnum d, List<String> found, Later later) {
        String what = "enum " + d.type();
        if (found == null) {
            return new Found(Effect.ABSENT, what + " does not exist");
        }
        if (d.labels() == null) {
            return Found.none(what + " exists; its labels were not read");
        }
        boolean same = later.changes("enum:" + d.type().name(), "labels") ? found.stream().filter(d.labels()::contains).toList().equals(d.labels())
                && found.containsAll(d.labels()) : found.equals(d.labels());
        return same ? new Found(Effect.PRESENT, what + " exists with labels " + d.labels())
                : Found.conflict(what, List.of("labels expected " + d.labels() + ", found " + found));
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
                    : Found.none(what + " has another default: " + col.defaultValue() + " (expected " + d.value() + ")");
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

    private static Found modify(Catalog c, Name table, String column, String type, boolean notNull, Ddl.ColumnSpec spec) throws SQLException {
        return modified(table, column, type, notNull, spec, c.column(schema(c, table), table.name(), column));
    }

    static Found modified(Name table, String column, String type, boolean notNull, Catalog.Column col) {
        return modified(table, column, type, notNull, null, col);
    }

    /**
     * MySQL MODIFY/CHANGE against the column found (null: none): present only with the statement's
     * whole definition (type, nullability, default, AUTO_INCREMENT: MODIFY replaces them all);
     * another definition is the column as it was before, absent.
     */
    static Found modified(Name table, String column, String type, boolean notNull, Ddl.ColumnSpec spec, Catalog.Column col) {
        if (col == null) {
            return Found.none("column " + table + "." + column + " does not exist");
        }
        String expected = TypeNames.mysql(type);
        if (expected == null) {
            return Found.none("type " + type + " is not one the evidence can compare");
        }
        String shown = "column " + column + " is " + col.type() + (col.nullable() ? " NULL" : " NOT NULL")
                + (col.defaultValue() == null ? "" : " DEFAULT " + col.defaultValue());
        if (spec == null) {
            boolean same = expected.equals(TypeNames.mysql(col.type())) && col.nullable() != notNull;
            return new Found(same ? Effect.PRESENT : Effect.ABSENT, shown);
        }
        List<String> differences = columnDifferences(spec, col, false, java.util.Set.of());
        if (!differences.isEmpty()) {
            return new Found(Effect.ABSENT, shown + " (" + String.join(", ", differences) + ")");
        }
        if (!spec.uncompared().isEmpty()) {
            return Found.none(shown + ", but its " + String.join(", ", spec.uncompared()) + " cannot be compared");
        }
        return new Found(Effect.PRESENT, shown);
    }

    private Evidence() {}
}
