package dev.prismalauncher.migrations;

/** Where one migration stands, as reported by `status`. */
public enum MigrationState {
    APPLIED("applied"),
    PENDING("pending"),
    FAILED("failed"),
    MISSING_LOCALLY("missing-locally");

    private final String label;

    MigrationState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
