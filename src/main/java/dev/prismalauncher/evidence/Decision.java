package dev.prismalauncher.evidence;

/** The decision for one failed migration; only the first two act. */
public enum Decision {
    ROLLED_BACK("rolled-back", "every statement with evidence is absent (and the trial succeeds): retry it"),
    APPLIED("applied", "every statement with evidence is present: record it as applied"),
    TRIAL_FAILED("refuse: fails now", "its effects are absent, but running it again fails now"),
    MIXED("refuse: partly applied", "some effects are present and some absent"),
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
