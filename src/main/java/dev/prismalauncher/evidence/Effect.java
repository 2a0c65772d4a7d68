package dev.prismalauncher.evidence;

/** What the live database says about one statement. */
public enum Effect {
    PRESENT("present"),
    ABSENT("absent"),
    /** Clauses of one statement disagree: some there, some not. */
    PARTIAL("partial"),
    /** The name is there, with another shape than the statement would have made. */
    CONFLICT("conflict"),
    NO_EVIDENCE("no evidence");

    private final String label;

    Effect(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    boolean bearsEvidence() {
        return this != NO_EVIDENCE;
    }
}
