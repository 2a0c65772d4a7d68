package dev.prismalauncher.prisma;

import dev.prismalauncher.migrations.MigrationRules;

/**
 * A Prisma CLI version as its package.json states it ({@code 7.10.1}, {@code 8.0.0-rc.19}), and what
 * the launcher makes of it.
 *
 * @param text the version exactly as written, for logs
 */
public record PrismaVersion(int major, int minor, int patch, String text) {

    /** The majors this launcher is built and tested against (their CLI bundles and engine source read). */
    static final int OLDEST_TESTED = 6;
    static final int NEWEST_KNOWN = 7;

    /** Null when the text is not MAJOR.MINOR.PATCH (with any pre-release or build suffix). */
    public static PrismaVersion parse(String text) {
        if (text == null) {
            return null;
        }
        String core = text.strip();
        int suffix = indexOfAny(core, "-+");
        String[] parts = (suffix < 0 ? core : core.substring(0, suffix)).split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        int[] numbers = new int[3];
        for (int i = 0; i < 3; i++) {
            if (!digits(parts[i])) {
                return null;
            }
            numbers[i] = Integer.parseInt(parts[i]);
        }
        return new PrismaVersion(numbers[0], numbers[1], numbers[2], core);
    }

    /**
     * Whether the launcher must refuse to run it: Prisma 8 keeps its migration state outside
     * `_prisma_migrations` (a marker table, `prisma_contract.marker`) and its CLI has no `migrate`
     * command at all (8.0.0-rc.19: "No command registered for `migrate`", exit 2).
     */
    public boolean unknownMajor() {
        return major > NEWEST_KNOWN;
    }

    /** Older than the versions the launcher is tested against (it still follows their engine's listing rules). */
    public boolean untested() {
        return major < OLDEST_TESTED;
    }

    /** How this version lists the migrations folder: the engine did it up to 6.5, the CLI from 6.6. */
    public MigrationRules rules() {
        return major < 6 || (major == 6 && minor < 6) ? MigrationRules.ENGINE_LISTED : MigrationRules.CLI_LISTED;
    }

    @Override
    public String toString() {
        return text;
    }

    /** One to six ASCII digits; by hand, as a regex or a stream costs a millisecond or more of a cold start. */
    private static boolean digits(String s) {
        if (s.isEmpty() || s.length() > 6) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
