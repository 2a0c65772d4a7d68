package dev.prismalauncher.config;

/** The launcher's sub-commands. */
public enum Command {
    /** migrate, then execvp the app. */
    RUN,
    /** migrate only (Heroku release phase, Kubernetes Job). */
    MIGRATE,
    /** report; changes nothing. */
    STATUS,
    HELP,
    VERSION
}
