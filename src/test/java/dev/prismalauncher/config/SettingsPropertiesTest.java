package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.log.Secrets;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, "Also": a thousand generated settings and URLs, parsed in-process as a start parses them
 * (CommandLine, DatabaseUrl, the dialect's parameter checks). Each is accepted or refused with exit
 * 2; no message carries the password in any spelling, nor an exception class name.
 * {@code HostileSettingsIT} launches a handful for real. {@code -Dsettings.seed=N} replays a run.
 */
class SettingsPropertiesTest {
    static final long SEED = Long.getLong("settings.seed", 20261202L);
    private static final int TRIES = 1000;

    @Test
    void acceptedOrRefusedWithExit2AndNoSecret() {
        HostileSettings generator = new HostileSettings(SEED);
        int accepted = 0;
        for (int i = 0; i < TRIES; i++) {
            HostileSettings.Case start = generator.next(generator::host);
            String message;
            try {
                Config config = CommandLine.parse(start.args().toArray(String[]::new), start.env());
                if (config.databaseUrl() != null) {
                    Dialect.of(config.databaseUrl()); // the URL's parameters, validated before anything is touched
                }
                message = String.valueOf(config.databaseUrl()); // what the logs print of it
                accepted++;
            } catch (LauncherException e) {
                assertEquals(ExitCode.USAGE, e.exitCode(), "seed " + SEED + " #" + i + " " + start + ": " + e.getMessage());
                message = e.getMessage();
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + " #" + i + " " + start + ": an internal error (exit 1)", e);
            }
            for (String s : HostileSettings.spellings(start.password())) {
                assertFalse(message.contains(s), "seed " + SEED + " #" + i + " " + start + ": '" + s + "' in: " + message);
                assertFalse(Secrets.redact(message).contains(s), "seed " + SEED + " #" + i + ": '" + s + "' in: " + message);
            }
            assertFalse(HostileSettings.CLASS_NAME.matcher(message).find(), message);
        }
        // the generator must not degenerate into refusing everything at the first hostile field
        assertTrue(accepted >= TRIES / 10, accepted + " of " + TRIES + " accepted");
    }
}
