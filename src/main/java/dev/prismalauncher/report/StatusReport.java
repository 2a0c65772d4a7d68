package dev.prismalauncher.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.evidence.MigrationEvidence;
import dev.prismalauncher.log.Secrets;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.MigrationState;
import dev.prismalauncher.migrations.MigrationStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/** `status` output: human text by default, one JSON document with --json. Never a password. */
public final class StatusReport {

    public static String json(DatabaseUrl url, Inspection inspection) {
        return json(url, inspection, Map.of());
    }

    /** With auto's evidence for each failed migration (an {@code evidence} object on it). */
    public static String json(DatabaseUrl url, Inspection inspection, Map<String, MigrationEvidence> evidence) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("database");
            g.writeStringField("provider", url.provider().prismaName());
            g.writeStringField("host", url.host());
            g.writeNumberField("port", url.port());
            g.writeStringField("database", url.database());
            if (url.provider() == Provider.POSTGRESQL) {
                g.writeStringField("schema", url.schema());
            }
            g.writeStringField("user", url.user());
            g.writeBooleanField("exists", inspection.databaseExists());
            g.writeEndObject();
            g.writeArrayFieldStart("migrations");
            for (MigrationStatus m : inspection.migrations()) {
                g.writeStartObject();
                g.writeStringField("name", m.name());
                g.writeStringField("state", m.state().label());
                if (m.checksumMatches() == null) {
                    g.writeNullField("checksumMatches");
                } else {
                    g.writeBooleanField("checksumMatches", m.checksumMatches());
                }
                writeInstant(g, "startedAt", m.startedAt());
                writeInstant(g, "finishedAt", m.finishedAt());
                g.writeNumberField("earlierRollbacks", m.earlierRollbacks());
                if (evidence.containsKey(m.name())) {
                    EvidenceReport.json(g, evidence.get(m.name()));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("summary");
            for (MigrationState s : MigrationState.values()) {
                g.writeNumberField(camel(s.label()), inspection.count(s));
            }
            g.writeNumberField("modifiedAfterApply", inspection.modifiedAfterApply().size());
            g.writeEndObject();
            g.writeBooleanField("upToDate", inspection.upToDate());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Secrets.redactJson(out.toString(), true) + "\n"; // redact the values, not the encoded text
    }

    public static String text(DatabaseUrl url, Inspection inspection) {
        StringBuilder b = new StringBuilder();
        b.append("Database: ").append(url).append(inspection.databaseExists() ? "" : " (does not exist yet)").append('\n');
        int width = inspection.migrations().stream().mapToInt(m -> m.name().length()).max().orElse(0);
        for (MigrationStatus m : inspection.migrations()) {
            b.append(String.format("  %-15s %s", m.state().label(), m.name()));
            boolean noted = Boolean.FALSE.equals(m.checksumMatches()) || m.earlierRollbacks() > 0;
            if (noted) {
                b.append(" ".repeat(width - m.name().length()));
            }
            if (Boolean.FALSE.equals(m.checksumMatches())) {
                b.append("  (migration.sql changed since it was recorded)");
            }
            if (m.earlierRollbacks() > 0) {
                b.append("  (").append(m.earlierRollbacks()).append(" earlier rolled back)");
            }
            b.append('\n');
        }
        b.append(inspection.summary()).append('\n');
        b.append(inspection.upToDate() ? "Database is up to date.\n"
                : inspection.count(MigrationState.FAILED) > 0 ? "Failed migrations must be resolved before deploy can run.\n"
                : "Pending migrations: prisma migrate deploy would apply them.\n");
        return Secrets.redact(b.toString());
    }

    private static void writeInstant(JsonGenerator g, String field, Instant instant) throws IOException {
        if (instant == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, instant.toString());
        }
    }

    private static String camel(String label) {
        int dash = label.indexOf('-');
        return dash < 0 ? label : label.substring(0, dash) + Character.toUpperCase(label.charAt(dash + 1)) + label.substring(dash + 2);
    }

    private StatusReport() {}
}
