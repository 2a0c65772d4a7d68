package dev.prismalauncher.evidence;

import java.util.List;

/** The evidence for one failed migration, its decision and the reasons, as shown and logged. */
public record MigrationEvidence(String migration, List<StatementEvidence> statements, Decision decision, List<String> reasons) {
    public MigrationEvidence {
        statements = List.copyOf(statements);
        reasons = List.copyOf(reasons);
    }
}
