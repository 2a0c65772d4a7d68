package dev.prismalauncher.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prismalauncher.evidence.Decision;
import dev.prismalauncher.evidence.Effect;
import dev.prismalauncher.evidence.MigrationEvidence;
import dev.prismalauncher.evidence.StatementEvidence;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evidence as people read it (dry run, refusals) and as `status --json` carries it. */
class EvidenceReportTest {
    private static final MigrationEvidence TRIALLED = new MigrationEvidence("20250101000000_add_email", List.of(
            new StatementEvidence(1, "ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL", Effect.ABSENT, "column User.email does not exist",
                    "failed", "ERROR: column \"email\" contains null values"),
            new StatementEvidence(2, "CREATE INDEX \"e\"", Effect.NO_EVIDENCE, "x", "not reached", null)),
            Decision.TRIAL_FAILED, List.of("reason one", "reason two"));

    @Test
    void tableForPeople() {
        assertEquals("""
                evidence for 20250101000000_add_email:
                    #  statement                                            effect       trial        why
                    1  ALTER TABLE "User" ADD COLUMN "email" TEXT NOT NULL  absent       failed       column User.email does not exist; trial error: ERROR: column "email" contains null values
                    2  CREATE INDEX "e"                                     no evidence  not reached  x
                  decision: refuse: fails now (its effects are absent, but running it again fails now)
                  reason one
                  reason two
                """, EvidenceReport.table(TRIALLED));
    }

    @Test
    void tableWithoutATrialOrStatements() {
        MigrationEvidence mysql = new MigrationEvidence("m", List.of(new StatementEvidence(1, "DROP", Effect.PRESENT, "gone", null, null)),
                Decision.APPLIED, List.of());
        assertEquals("""
                evidence for m:
                    #  statement  effect       trial        why
                    1  DROP       present      -            gone
                  decision: applied (every statement is proven present (by the catalog, or by its verify.sql): record it as applied)
                """, EvidenceReport.table(mysql));
        assertEquals("""
                evidence for m:
                    #  statement  effect       trial        why
                  decision: refuse: cannot tell (no statement gives evidence either way)
                  nothing
                """, EvidenceReport.table(new MigrationEvidence("m", List.of(), Decision.CANNOT_TELL, List.of("nothing"))));
    }

    @Test
    void jsonForMachines() throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            EvidenceReport.json(g, TRIALLED);
            g.writeStringField("after", "x"); // the evidence object is closed: this lands beside it
            g.writeEndObject();
        }
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree("""
                {"evidence": {"decision": "refuse: fails now", "reasons": ["reason one", "reason two"], "statements": [
                  {"index": 1, "firstLine": "ALTER TABLE \\"User\\" ADD COLUMN \\"email\\" TEXT NOT NULL", "effect": "absent",
                   "why": "column User.email does not exist", "trial": "failed", "error": "ERROR: column \\"email\\" contains null values"},
                  {"index": 2, "firstLine": "CREATE INDEX \\"e\\"", "effect": "no evidence", "why": "x", "trial": "not reached", "error": null}]},
                 "after": "x"}
                """), json.readTree(out.toString()));
    }
}
