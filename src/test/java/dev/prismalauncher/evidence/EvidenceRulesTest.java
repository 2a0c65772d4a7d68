package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Catalog;
import dev.prismalauncher.evidence.Ddl.ColumnChange;
import dev.prismalauncher.evidence.Ddl.Name;
import dev.prismalauncher.evidence.Evidence.Found;
import dev.prismalauncher.evidence.Evidence.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * auto's rules as pure functions, on both dialects: the decision from the statements' effects (and
 * the trial, where PostgreSQL runs one), the table rows, and each catalog comparison given what the
 * catalog returned. {@code EvidenceTest} checks the same rules against the real servers' catalogs.
 */
class EvidenceRulesTest {
    private static final Effect P = Effect.PRESENT;
    private static final Effect A = Effect.ABSENT;
    private static final Effect X = Effect.PARTIAL;
    private static final Effect N = Effect.NO_EVIDENCE;
    private static final Name USER = new Name(null, "User");

    /** A trial that must not run: the decision is made without it. */
    private static final Supplier<Trial.Outcome> NO_TRIAL = () -> {
        throw new AssertionError("the trial ran, but the effects alone decide");
    };

    private static List<String> lines(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("STATEMENT " + i);
        }
        return out;
    }

    private static Verdict decide(Provider provider, List<Effect> effects, boolean transactionControl, Supplier<Trial.Outcome> trial) {
        return Evidence.decide("20250101000000_m", provider, effects, provider == Provider.POSTGRESQL, transactionControl, trial);
    }

    /** Where the trial stopped: statement n of the script. */
    private static Trial.At at(int n) {
        return new Trial.At("20250101000000_m", n, "STATEMENT " + n);
    }

    private static Supplier<Trial.Outcome> trial(Trial.Outcome t, int[] runs) {
        return () -> {
            runs[0]++;
            return t;
        };
    }

    // --- the decision ---

    @Test
    void nothingWithEvidenceCannotTellOnEitherDatabase() {
        for (Provider p : Provider.values()) {
            for (List<Effect> effects : List.of(List.<Effect>of(), List.of(N), List.of(N, N))) {
                Verdict v = decide(p, effects, false, NO_TRIAL);
                assertEquals(Decision.CANNOT_TELL, v.decision(), p + " " + effects);
                assertNull(v.outcome());
                assertFalse(v.decision().acts());
            }
        }
    }

    @Test
    void presentAndAbsentTogetherArePartlyAppliedOnEitherDatabase() {
        for (Provider p : Provider.values()) {
            for (List<Effect> effects : List.of(List.of(P, A), List.of(A, P), List.of(X), List.of(P, X), List.of(A, X), List.of(N, P, N, A),
                    List.of(P, P, X))) {
                Verdict v = decide(p, effects, false, NO_TRIAL);
                assertEquals(Decision.MIXED, v.decision(), p + " " + effects);
                assertFalse(v.decision().acts());
                assertNull(v.outcome());
            }
        }
        Verdict v = decide(Provider.MYSQL, List.of(P, N, A, A, X), false, NO_TRIAL);
        assertEquals(List.of("partly applied: 1 statement(s) present, 2 absent, 1 partial. Either finish the absent statements by hand, then"
                + " `prisma migrate resolve --applied 20250101000000_m`; or revert the present ones by hand, then"
                + " `prisma migrate resolve --rolled-back 20250101000000_m` (deploy re-runs it)"), v.reasons());
        assertTrue(decide(Provider.MYSQL, List.of(P, A), false, NO_TRIAL).reasons().getFirst()
                .startsWith("partly applied: 1 statement(s) present, 1 absent. Either"));
    }

    @Test
    void everythingPresentIsAppliedWithoutATrialOnEitherDatabase() {
        for (Provider p : Provider.values()) {
            for (boolean tx : new boolean[] {false, true}) {
                Verdict v = decide(p, List.of(P, P), tx, NO_TRIAL);
                assertEquals(Decision.APPLIED, v.decision());
                assertTrue(v.decision().acts());
                assertNull(v.outcome());
                assertEquals(List.of("all 2 statement(s) are proven present in the database"), v.reasons());
            }
        }
    }

    /** Issue 18: a statement whose effect cannot be shown (an INSERT, IF NOT EXISTS) makes "applied" unprovable. */
    @Test
    void presentBesideNoEvidenceCannotBeProvenAppliedOnEitherDatabase() {
        for (Provider p : Provider.values()) {
            Verdict v = decide(p, List.of(P, N, P), false, NO_TRIAL);
            assertEquals(Decision.UNPROVABLE, v.decision(), p.toString());
            assertFalse(v.decision().acts());
            assertTrue(v.reasons().getFirst().contains("cannot show the effect of statement 2 (STATEMENT 2)"), v.reasons().getFirst());
            assertTrue(v.reasons().getFirst().contains("verify.sql"), v.reasons().getFirst());
        }
    }

    @Test
    void verifySqlProvesWhatTheCatalogCannotAndItsNoRefuses() {
        Evidence.Facts base = Evidence.Facts.of(List.of(P, N));
        int[] runs = {0};
        Evidence.Facts yes = new Evidence.Facts(base.firstLines(), base.effects(), base.inert(), null, () -> {
            runs[0]++;
            return new Trial.Verification(true, "verify.sql returned true");
        });
        Verdict v = Evidence.decide("m", Provider.POSTGRESQL, yes, true, false, NO_TRIAL);
        assertEquals(Decision.APPLIED, v.decision());
        assertEquals(1, runs[0]);
        assertTrue(v.reasons().getFirst().contains("verify.sql returns true for the 1 whose effect the catalog cannot show (statement 2"), v.reasons().toString());
        Evidence.Facts no = new Evidence.Facts(base.firstLines(), List.of(P, P), base.inert(), null, () -> new Trial.Verification(false, "verify.sql returned f"));
        Verdict refused = Evidence.decide("m", Provider.MYSQL, no, false, false, NO_TRIAL);
        assertEquals(Decision.UNPROVABLE, refused.decision(), "verify.sql saying no outweighs the catalog");
        assertTrue(refused.reasons().getFirst().startsWith("verify.sql does not confirm it: verify.sql returned f"), refused.reasons().toString());
        Evidence.Facts onlyData = new Evidence.Facts(List.of("INSERT"), List.of(N), List.of(false), null, () -> new Trial.Verification(true, "t"));
        assertEquals(Decision.APPLIED, Evidence.decide("m", Provider.POSTGRESQL, onlyData, true, false, NO_TRIAL).decision(),
                "a data-only migration is proven applied by verify.sql alone");
        Evidence.Facts absent = new Evidence.Facts(List.of("A", "B"), List.of(A, N), List.of(false, false), null, () -> {
            throw new AssertionError("verify.sql is not asked when the catalog shows a statement absent");
        });
        assertEquals(Decision.ROLLED_BACK, Evidence.decide("m", Provider.POSTGRESQL, absent, true, false, () -> new Trial.Outcome.Passed(2)).decision());
    }

    @Test
    void aConflictRefusesWhateverElseIsThereOnEitherDatabase() {
        Effect c = Effect.CONFLICT;
        for (Provider p : Provider.values()) {
            for (List<Effect> effects : List.of(List.of(c), List.of(P, c), List.of(A, c), List.of(c, N), List.of(X, c))) {
                Verdict v = decide(p, effects, false, NO_TRIAL);
                assertEquals(Decision.CONFLICT, v.decision(), p + " " + effects);
                assertFalse(v.decision().acts());
                assertTrue(v.reasons().getFirst().startsWith("other shape: statement " + (effects.indexOf(c) + 1)), v.reasons().getFirst());
            }
        }
    }

    @Test
    void mysqlEverythingAbsentIsRolledBackWithoutATrial() {
        Verdict v = decide(Provider.MYSQL, List.of(A, N, A), true, NO_TRIAL);
        assertEquals(Decision.ROLLED_BACK, v.decision());
        assertTrue(v.decision().acts());
        assertNull(v.outcome());
        assertEquals(List.of("all 2 statement(s) with evidence are absent (no trial on mysql): statement 1 (STATEMENT 1) is the first to change"
                + " anything, and its effect is absent, so it is where it failed, and nothing before it changed anything a re-run would change again"),
                v.reasons());
    }

    /** Issue 18: MySQL commits statement by statement; what ran before the failing one decides. */
    @Test
    void mysqlWhatCommittedBeforeTheFailingStatementDecides() {
        // a committed INSERT, then a failed ALTER: Prisma's row names statement 2; the INSERT would run again
        Evidence.Facts insertThenAlter = new Evidence.Facts(List.of("INSERT", "ALTER"), List.of(N, A), List.of(false, false), 2, null);
        Verdict v = Evidence.decide("m", Provider.MYSQL, insertThenAlter, false, false, NO_TRIAL);
        assertEquals(Decision.MIXED, v.decision());
        assertTrue(v.reasons().getFirst().contains("statement 1 (INSERT) ran and a re-run would run again"), v.reasons().getFirst());
        assertTrue(v.reasons().getFirst().contains("run the rest of migration.sql from statement 2 by hand"), v.reasons().getFirst());
        // the same without the row naming it (the WebAssembly engine's logs): the first statement leaves no trace, so where it failed is unknown
        Evidence.Facts unnamed = new Evidence.Facts(List.of("INSERT", "ALTER"), List.of(N, A), List.of(false, false), null, null);
        assertEquals(Decision.CANNOT_TELL, Evidence.decide("m", Provider.MYSQL, unnamed, false, false, NO_TRIAL).decision());
        // a session SET before the failing statement changes nothing a re-run would change again
        Evidence.Facts set = new Evidence.Facts(List.of("SET", "ALTER", "INSERT"), List.of(N, A, N), List.of(true, false, false), null, null);
        assertEquals(Decision.ROLLED_BACK, Evidence.decide("m", Provider.MYSQL, set, false, false, NO_TRIAL).decision());
        Evidence.Facts named = new Evidence.Facts(List.of("SET", "ALTER", "INSERT"), List.of(N, A, N), List.of(true, false, false), 2, null);
        assertEquals(Decision.ROLLED_BACK, Evidence.decide("m", Provider.MYSQL, named, false, false, NO_TRIAL).decision());
        // the row names statement 3: statement 2 (absent) was undone since; fine. A data statement before it: not
        Evidence.Facts undone = new Evidence.Facts(List.of("A1", "A2", "INSERT"), List.of(A, A, N), List.of(false, false, false), 3, null);
        assertEquals(Decision.ROLLED_BACK, Evidence.decide("m", Provider.MYSQL, undone, false, false, NO_TRIAL).decision());
        Evidence.Facts data = new Evidence.Facts(List.of("A1", "UPDATE", "A3"), List.of(A, N, A), List.of(false, false, false), 3, null);
        assertEquals(Decision.MIXED, Evidence.decide("m", Provider.MYSQL, data, false, false, NO_TRIAL).decision());
    }

    @Test
    void theFailingStatementIsReadFromTheNativeEnginesLogsOnly() {
        assertEquals(2, Evidence.queryNumber("A migration failed to apply.\n\nDatabase error code: 1062\n\nDatabase error:\nDuplicate entry\n\n"
                + "Please check the query number 2 from the migration file.\n"));
        assertNull(Evidence.queryNumber("external connector error\nNull constraint failed: (email)\n   0: sql_schema_connector::apply_migration"));
        assertNull(Evidence.queryNumber(null));
        assertNull(Evidence.queryNumber("Please check the query number 99999999999 from the migration file"));
    }

    @Test
    void postgresEverythingAbsentIsRolledBackOnlyWhenTheTrialSucceeds() {
        int[] runs = {0};
        Trial.Outcome ok = new Trial.Outcome.Passed(3);
        Verdict v = decide(Provider.POSTGRESQL, List.of(A, N, A), false, trial(ok, runs));
        assertEquals(1, runs[0]);
        assertEquals(Decision.ROLLED_BACK, v.decision());
        assertSame(ok, v.outcome());
        assertEquals(List.of("all 2 statement(s) with evidence are absent, and a trial run (rolled back) succeeds now"), v.reasons());
    }

    @Test
    void postgresTransactionControlIsInconclusiveWithoutATrial() {
        Verdict v = decide(Provider.POSTGRESQL, List.of(A, N), true, NO_TRIAL);
        assertEquals(Decision.INCONCLUSIVE, v.decision());
        assertFalse(v.decision().acts());
        assertNull(v.outcome());
        assertTrue(v.reasons().getFirst().contains("controls transactions itself (BEGIN/COMMIT)"), v.reasons().toString());
    }

    @Test
    void postgresTrialThatFailsRefusesNamingTheStatementAndTheFix() {
        int[] runs = {0};
        Verdict v = decide(Provider.POSTGRESQL, List.of(A, A, A), false,
                trial(new Trial.Outcome.Failed(at(2), "23502", "ERROR: column \"email\" contains null values"), runs));
        assertEquals(1, runs[0]);
        assertEquals(Decision.TRIAL_FAILED, v.decision());
        assertFalse(v.decision().acts());
        assertEquals(List.of("the effects are absent, but running it again fails now at statement 2 (STATEMENT 2):"
                + " ERROR: column \"email\" contains null values [23502]. Fix: backfill the NULLs (UPDATE ... SET col = ...) or give the"
                + " column a DEFAULT in migration.sql. The next start with MIGRATION_RESOLVE_STRATEGY=auto looks again"
                + " (no crash-loop attempt was used)"), v.reasons());
        List<String> fixes = new ArrayList<>();
        for (String state : new String[] {"23505", "23503", "23514", "42P07", null}) {
            String reason = decide(Provider.POSTGRESQL, List.of(A), false, () -> new Trial.Outcome.Failed(at(1), state, "e")).reasons().getFirst();
            assertEquals(state != null, reason.contains(" [" + state + "]"), reason);
            fixes.add(reason.substring(reason.indexOf(". ") + 2, reason.indexOf(" The next start")));
        }
        assertEquals(List.of("Fix: remove the duplicate rows, or correct the unique index in migration.sql.",
                "Fix: delete or correct the rows the foreign key rejects.", "Fix: correct the rows the check constraint rejects.",
                "Fix the database or correct migration.sql.", "Fix the database or correct migration.sql."), fixes);
    }

    @Test
    void postgresTrialThatHitsItsBoundIsInconclusive() {
        Verdict v = decide(Provider.POSTGRESQL, List.of(N, A), false, () -> new Trial.Outcome.Stopped(at(1), "lock_timeout", "55P03", "lock timeout"));
        assertEquals(Decision.INCONCLUSIVE, v.decision());
        assertFalse(v.decision().acts());
        assertTrue(v.reasons().getFirst().startsWith("the effects are absent, but the trial of statement 1 (STATEMENT 1) stopped: lock_timeout"
                + " (lock timeout [55P03]); that says nothing either way"), v.reasons().getFirst());
        assertFalse(decide(Provider.POSTGRESQL, List.of(A), false, () -> new Trial.Outcome.Stopped(at(1), "cancelled", null, "cancelled"))
                .reasons().getFirst().contains("["));
        assertTrue(decide(Provider.POSTGRESQL, List.of(A), false, () -> new Trial.Outcome.Stopped(null, "set-up", null, "x"))
                .reasons().getFirst().contains("the trial of its set-up stopped"));
    }

    @Test
    void postgresScriptThatCannotBeTrialledIsInconclusive() {
        Verdict v = decide(Provider.POSTGRESQL, List.of(A, A), false, () -> new Trial.Outcome.Refused(at(2), "cannot run in a transaction"));
        assertEquals(Decision.INCONCLUSIVE, v.decision());
        assertEquals(List.of("the effects are absent, but it cannot be trialled: statement 2 (STATEMENT 2) cannot run in a transaction."
                + " Nothing of it was run; resolve it by hand"), v.reasons());
        assertEquals(List.of("the effects are absent, but it cannot be trialled: too large. Nothing of it was run; resolve it by hand"),
                decide(Provider.POSTGRESQL, List.of(A), false, () -> new Trial.Outcome.Refused(null, "too large")).reasons());
    }

    @Test
    void onlyRolledBackAndAppliedAct() {
        for (Decision d : Decision.values()) {
            assertEquals(d == Decision.ROLLED_BACK || d == Decision.APPLIED, d.acts(), d.name());
        }
    }

    // --- the table's rows ---

    @Test
    void rowsShowHowFarTheTrialGot() {
        List<String> first = lines(4);
        List<Effect> effects = List.of(A, N, A, A);
        List<String> whys = List.of("w1", "w2", "w3", "w4");
        List<StatementEvidence> none = Evidence.rows(first, effects, whys, null);
        assertEquals(List.of(new StatementEvidence(1, "STATEMENT 1", A, "w1", null, null), new StatementEvidence(2, "STATEMENT 2", N, "w2", null, null),
                new StatementEvidence(3, "STATEMENT 3", A, "w3", null, null), new StatementEvidence(4, "STATEMENT 4", A, "w4", null, null)), none);
        List<StatementEvidence> failed = Evidence.rows(first, effects, whys, new Trial.Outcome.Failed(at(3), "23502", "boom"));
        assertEquals(List.of("ok", "ok", "failed", "not reached"), failed.stream().map(StatementEvidence::trial).toList());
        assertEquals(java.util.Arrays.asList(null, null, "boom", null), failed.stream().map(StatementEvidence::error).toList());
        assertEquals(List.of("ok", "bound hit", "not reached", "not reached"),
                Evidence.rows(first, effects, whys, new Trial.Outcome.Stopped(at(2), "statement_timeout", null, "slow")).stream()
                        .map(StatementEvidence::trial).toList());
        List<StatementEvidence> refused = Evidence.rows(first, effects, whys, new Trial.Outcome.Refused(at(2), "no"));
        assertEquals(List.of("not run", "cannot trial", "not run", "not run"), refused.stream().map(StatementEvidence::trial).toList());
        assertEquals(java.util.Arrays.asList(null, "no", null, null), refused.stream().map(StatementEvidence::error).toList());
        assertEquals(List.of("not run", "not run", "not run", "not run"),
                Evidence.rows(first, effects, whys, new Trial.Outcome.Refused(null, "no")).stream().map(StatementEvidence::trial).toList());
        List<StatementEvidence> ok = Evidence.rows(first, effects, whys, new Trial.Outcome.Passed(4));
        assertEquals(List.of("ok", "ok", "ok", "ok"), ok.stream().map(StatementEvidence::trial).toList());
        assertTrue(ok.stream().allMatch(s -> s.error() == null));
    }

    // --- each statement's effect ---

    @Test
    void clausesOfOneStatementCombine() {
        assertEquals(N, Evidence.combine(List.of()));
        assertEquals(N, Evidence.combine(List.of(N, N)));
        assertEquals(P, Evidence.combine(List.of(P)));
        assertEquals(P, Evidence.combine(List.of(N, P, P)));
        assertEquals(A, Evidence.combine(List.of(A, N, A)));
        assertEquals(X, Evidence.combine(List.of(P, N, A)));
        assertEquals(X, Evidence.combine(List.of(A, P)));
    }

    @Test
    void aDropIsPresentWhenTheThingIsGone() {
        assertEquals(new Found(A, "table T exists"), Evidence.inverse(Found.of(true, "table T")));
        assertEquals(new Found(P, "table T does not exist"), Evidence.inverse(Found.of(false, "table T")));
    }

    @Test
    void aRenameIsDecidedOnlyWhenExactlyOneNameExists() {
        assertEquals(new Found(P, "t: only the new name exists"), Evidence.renamed(false, true, "t"));
        assertEquals(new Found(A, "t: only the old name exists"), Evidence.renamed(true, false, "t"));
        assertEquals(new Found(N, "t: both names exist"), Evidence.renamed(true, true, "t"));
        assertEquals(new Found(N, "t: neither name exists"), Evidence.renamed(false, false, "t"));
    }

    /** Issue 18: a column of that name is proof only with the statement's type, nullability, default and identity. */
    @Test
    void anAddedColumnIsPresentOnlyWithItsWholeShape() {
        Ddl.AddColumn sshPort = (Ddl.AddColumn) StatementParser.parse("ALTER TABLE `Server` ADD COLUMN `sshPort` INT NOT NULL DEFAULT 22", Provider.MYSQL).getFirst();
        Evidence.Later none = Evidence.Later.NONE;
        assertEquals(A, Evidence.addedColumn(sshPort, null, false, none).effect());
        assertEquals(P, Evidence.addedColumn(sshPort, new Catalog.Column(false, "int(11)", "22"), false, none).effect());
        assertEquals(P, Evidence.addedColumn(sshPort, new Catalog.Column(false, "int", "22", ""), false, none).effect(), "MySQL 8 prints int");
        assertEquals(new Found(Effect.CONFLICT, "column sshPort exists with another shape: type expected INT, found varchar(10),"
                + " default expected 22, found 'x'"), Evidence.addedColumn(sshPort, new Catalog.Column(false, "varchar(10)", "'x'"), false, none));
        assertEquals(new Found(Effect.CONFLICT, "column sshPort exists with another shape: expected NOT NULL, found NULL, default expected 22,"
                + " found none"), Evidence.addedColumn(sshPort, new Catalog.Column(true, "int(11)", null), false, none));
        assertEquals(Effect.CONFLICT, Evidence.addedColumn(sshPort, new Catalog.Column(false, "int(11)", "2222"), false, none).effect());
        assertEquals(Effect.CONFLICT, Evidence.addedColumn(sshPort, new Catalog.Column(false, "int(11)", "22", "auto_increment"), false, none).effect());
        Ddl.AddColumn email = (Ddl.AddColumn) StatementParser.parse("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT 'abc'",
                Provider.POSTGRESQL).getFirst();
        assertEquals(P, Evidence.addedColumn(email, new Catalog.Column(false, "text", "'abc'::text"), true, none).effect());
        assertEquals(Effect.CONFLICT, Evidence.addedColumn(email, new Catalog.Column(false, "text", "'ABC'::text"), true, none).effect(),
                "a default is compared with regard to case");
        assertEquals(Effect.CONFLICT, Evidence.addedColumn(email, new Catalog.Column(false, "text", "'abc'::text", "identity always"), true, none).effect());
        Ddl.AddColumn generated = (Ddl.AddColumn) StatementParser.parse("ALTER TABLE \"User\" ADD COLUMN \"g\" INT GENERATED ALWAYS AS (1) STORED",
                Provider.POSTGRESQL).getFirst();
        assertEquals(N, Evidence.addedColumn(generated, new Catalog.Column(true, "integer", "1", "generated"), true, none).effect(),
                "what is not compared proves nothing");
    }

    @Test
    void postgresAlterColumnComparesWhatTheCatalogShows() {
        Catalog.Column nullable = new Catalog.Column(true, "character varying(191)", null);
        Catalog.Column notNull = new Catalog.Column(false, "text", "'x'::text");
        assertEquals(N, alter(ColumnChange.SET_NOT_NULL, null, null).effect());
        assertEquals(A, alter(ColumnChange.SET_NOT_NULL, null, nullable).effect());
        assertEquals(P, alter(ColumnChange.SET_NOT_NULL, null, notNull).effect());
        assertEquals(P, alter(ColumnChange.DROP_NOT_NULL, null, nullable).effect());
        assertEquals(A, alter(ColumnChange.DROP_NOT_NULL, null, notNull).effect());
        assertEquals(P, alter(ColumnChange.DROP_DEFAULT, null, nullable).effect());
        assertEquals(A, alter(ColumnChange.DROP_DEFAULT, null, notNull).effect());
        assertEquals(A, alter(ColumnChange.SET_DEFAULT, "'x'", nullable).effect());
        assertEquals(P, alter(ColumnChange.SET_DEFAULT, "'x'", notNull).effect());
        assertEquals(N, alter(ColumnChange.SET_DEFAULT, "'y'", notNull).effect(), "another default: cannot tell");
        assertEquals(P, alter(ColumnChange.TYPE, "VARCHAR(191)", nullable).effect());
        assertEquals(A, alter(ColumnChange.TYPE, "VARCHAR(100)", nullable).effect());
        assertEquals(A, alter(ColumnChange.TYPE, "TEXT", nullable).effect());
        assertEquals(N, alter(ColumnChange.TYPE, "Weird Type!", nullable).effect(), "a type it cannot compare");
        assertEquals("column c is nullable", alter(ColumnChange.SET_NOT_NULL, null, nullable).why());
        assertEquals("column c is NOT NULL", alter(ColumnChange.DROP_NOT_NULL, null, notNull).why());
        assertEquals("column c has default 'x'::text", alter(ColumnChange.DROP_DEFAULT, null, notNull).why());
        assertEquals("column c has no default", alter(ColumnChange.DROP_DEFAULT, null, nullable).why());
        assertEquals("column c is character varying(191)", alter(ColumnChange.TYPE, "VARCHAR(191)", nullable).why());
    }

    private static Found alter(ColumnChange change, String value, Catalog.Column col) {
        return Evidence.alteredColumn(new Ddl.AlterColumn(USER, "c", change, value), col);
    }

    @Test
    void mysqlModifyIsPresentOnlyWithTheSameTypeAndNullability() {
        Catalog.Column nullableVarchar = new Catalog.Column(true, "varchar(20)", null);
        Catalog.Column notNullVarchar = new Catalog.Column(false, "varchar(20)", null);
        assertEquals(new Found(P, "column m is varchar(20) NOT NULL"), Evidence.modified(USER, "m", "VARCHAR(20)", true, notNullVarchar));
        assertEquals(new Found(P, "column m is varchar(20) NULL"), Evidence.modified(USER, "m", "VARCHAR(20)", false, nullableVarchar));
        assertEquals(new Found(A, "column m is varchar(20) NULL"), Evidence.modified(USER, "m", "VARCHAR(20)", true, nullableVarchar));
        assertEquals(new Found(A, "column m is varchar(20) NOT NULL"), Evidence.modified(USER, "m", "VARCHAR(20)", false, notNullVarchar));
        assertEquals(A, Evidence.modified(USER, "m", "VARCHAR(10)", true, notNullVarchar).effect());
        assertEquals(P, Evidence.modified(USER, "n", "INTEGER", false, new Catalog.Column(true, "int(11)", null)).effect());
        assertEquals(new Found(N, "column User.m does not exist"), Evidence.modified(USER, "m", "VARCHAR(20)", true, null));
        assertEquals(new Found(N, "type   is not one the evidence can compare"), Evidence.modified(USER, "m", " ", true, notNullVarchar));
    }

    @Test
    void mysqlChangeWithOnlyTheNewNameMustAlsoHaveTheNewType() {
        Ddl.ChangeColumn change = new Ddl.ChangeColumn(USER, "r1", "r2", "INTEGER", false);
        Catalog.Column integer = new Catalog.Column(true, "int(11)", null);
        Catalog.Column text = new Catalog.Column(true, "text", null);
        assertEquals(new Found(P, "column r2 is int(11) NULL"), Evidence.changed(change, false, integer));
        assertEquals(new Found(A, "column r2 is text NULL"), Evidence.changed(change, false, text), "renamed by something else, not this CHANGE");
        assertEquals(new Found(A, "column r1 / r2: only the old name exists"), Evidence.changed(change, true, null));
        assertEquals(new Found(N, "column r1 / r2: both names exist"), Evidence.changed(change, true, integer));
        assertEquals(new Found(N, "column r1 / r2: neither name exists"), Evidence.changed(change, false, null));
    }

    @Test
    void aStatementTheCatalogCannotBeAskedAboutIsNoEvidence() {
        Found f = Evidence.classify(new Ddl.CreateTable(null), null); // fails before any catalog question
        assertEquals(N, f.effect());
        assertTrue(f.why().startsWith("not understood here: "), f.why());
        assertEquals(new Found(N, "INSERT: a data statement leaves no trace in the catalog"), Evidence.classify(new Ddl.Data("INSERT"), null));
        assertEquals(new Found(N, "COMMIT: transaction control"), Evidence.classify(new Ddl.TransactionControl("COMMIT"), null));
        assertEquals(new Found(N, "why"), Evidence.classify(new Ddl.Unknown("why"), null));
    }

    // --- scripts that give nothing to look at (no catalog is asked) ---

    @TempDir
    Path dir;

    @Test
    void aMissingOrUnreadableScriptCannotTell() throws IOException {
        MigrationEvidence gone = Evidence.gather("m", (Path) null, Provider.POSTGRESQL, null, null);
        assertEquals(Decision.CANNOT_TELL, gone.decision());
        assertEquals(List.of(), gone.statements());
        assertTrue(gone.reasons().getFirst().contains("not in the migrations folder"), gone.reasons().toString());
        Path folder = Files.createDirectory(dir.resolve("migration.sql")); // a folder where the script should be
        MigrationEvidence unreadable = Evidence.gather("m", folder, Provider.MYSQL, null, null);
        assertEquals(Decision.CANNOT_TELL, unreadable.decision());
        assertTrue(unreadable.reasons().getFirst().startsWith("its migration.sql cannot be read: "), unreadable.reasons().toString());
    }
}
