package dev.prismalauncher.evidence;

/**
 * One statement's row in the evidence table.
 *
 * @param why what the catalog showed (or why it shows nothing)
 * @param trial "ok", "failed", "bound hit", "not reached", or null when there was no trial
 * @param error the database's error for the statement the trial stopped at
 */
public record StatementEvidence(int index, String firstLine, Effect effect, String why, String trial, String error) {}
