package dev.prismalauncher.evidence;

/** The decision for one failed migration; only the first two act. */
public enum Decision {
    ROLLED_BACK("rolled-back", "nothing of it is in the database and running it again is safe (PostgreSQL: the trial succeeds): retry it"),
    APPLIED("applied", "every statement is proven present (by the catalog, or by its verify.sql): record it as applied"),
    CONFLICT("refuse: other shape", "a name the migration creates is there with another shape"),
    UNPROVABLE("refuse: cannot prove applied", "what the catalog shows is present, but some statements' effects cannot be shown"),
    TRIAL_FAILED("refuse: fails now", "its effects are absent, but running it again fails now"),
    MIXED("refuse: partly applied", "some effects are present and some absent (MySQL: statements before the failing one committed)"),
    INCONCLUSIVE("refuse: trial inconclusive", "the trial could not run to the end within its bounds"),
    CANNOT_TELL("refuse: cannot tell", "no statement gives evidence either way");

    private final String label;
    private final String meaning;

    Decision(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    public String label() {
        return label;
    }

    public String meaning() {
        return meaning;
    }

    public boolean acts() {
        return this == ROLLED_BACK || this == APPLIED;
    }
}
