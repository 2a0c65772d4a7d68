package dev.prismalauncher.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.prismalauncher.evidence.MigrationEvidence;
import dev.prismalauncher.evidence.StatementEvidence;
import dev.prismalauncher.log.LogText;
import java.io.IOException;
import java.util.Collection;

/** The evidence as a table for people (dry run, refusals) and as JSON (status --json). */
public final class EvidenceReport {

    public static String table(MigrationEvidence e) {
        StringBuilder b = new StringBuilder();
        // every value escaped (LogText): names and messages from a migration.sql or the database stay on their row
        b.append("evidence for ").append(LogText.printable(e.migration())).append(":\n");
        int width = Math.max(9, e.statements().stream().mapToInt(s -> s.firstLine().length()).max().orElse(0));
        b.append(String.format("  %3s  %-" + width + "s  %-11s  %-11s  %s%n", "#", "statement", "effect", "trial", "why"));
        for (StatementEvidence s : e.statements()) {
            b.append(String.format("  %3d  %-" + width + "s  %-11s  %-11s  %s%n", s.index(), LogText.printable(s.firstLine()), s.effect().label(),
                    s.trial() == null ? "-" : s.trial(), LogText.printable(s.why() + (s.error() == null ? "" : "; trial error: " + s.error()))));
        }
        b.append("  decision: ").append(e.decision().label()).append(" (").append(e.decision().meaning()).append(")\n");
        for (String reason : e.reasons()) {
            b.append("  ").append(LogText.printable(reason)).append('\n');
        }
        return b.toString();
    }

    /** One table after another (dry run, `status`). */
    public static String tables(Collection<MigrationEvidence> all) {
        StringBuilder b = new StringBuilder();
        all.forEach(e -> b.append(table(e)));
        return b.toString();
    }

    public static void json(JsonGenerator g, MigrationEvidence e) throws IOException {
        g.writeObjectFieldStart("evidence");
        g.writeStringField("decision", e.decision().label());
        g.writeArrayFieldStart("reasons");
        for (String r : e.reasons()) {
            g.writeString(r);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("statements");
        for (StatementEvidence s : e.statements()) {
            g.writeStartObject();
            g.writeNumberField("index", s.index());
            g.writeStringField("firstLine", s.firstLine());
            g.writeStringField("effect", s.effect().label());
            g.writeStringField("why", s.why());
            g.writeStringField("trial", s.trial());
            g.writeStringField("error", s.error());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private EvidenceReport() {}
}
