package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.testing.Launch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The property test's generated starts, a handful launched for real against the local servers
 * (127.0.0.1, any password: PostgreSQL trusts it; MariaDB refuses it): each ends with exit 0, 2
 * or 3, prints no spelling of its password on stdout or stderr, and no exception class name.
 * Six starts that parse and two that do not; the thousand in-process ones are in
 * {@link SettingsPropertiesTest}.
 */
class HostileSettingsIT {
    @TempDir
    Path dir;

    @Test
    void generatedStartsEndWithExit0Or2Or3AndPrintNoSecret() throws IOException {
        Files.createDirectories(dir.resolve("prisma/migrations"));
        HostileSettings generator = new HostileSettings(SettingsPropertiesTest.SEED);
        List<HostileSettings.Case> parsing = new ArrayList<>();
        List<HostileSettings.Case> refused = new ArrayList<>();
        while (parsing.size() < 6 || refused.size() < 2) {
            HostileSettings.Case c = generator.next(() -> "127.0.0.1");
            try {
                CommandLine.parse(c.args().toArray(String[]::new), c.env());
                if (parsing.size() < 6) {
                    parsing.add(c);
                }
            } catch (LauncherException e) {
                if (refused.size() < 2) {
                    refused.add(c);
                }
            }
        }
        List<HostileSettings.Case> all = new ArrayList<>(parsing);
        all.addAll(refused);
        List<Integer> exits = new ArrayList<>();
        for (HostileSettings.Case c : all) {
            Launch launch = new Launch(dir).env("DB_WAIT_TIMEOUT", "0"); // a closed port or a refused login: exit 3 at once
            for (Map.Entry<String, String> e : c.env().entrySet()) {
                if (!e.getKey().equals("DB_WAIT_TIMEOUT")) {
                    launch.env(e.getKey(), e.getValue());
                }
            }
            Launch.Result r = launch.run(c.args().toArray(String[]::new));
            assertTrue(Set.of(0, 2, 3).contains(r.exit()), c + "\n" + r);
            for (String s : HostileSettings.spellings(c.password())) {
                assertFalse(r.stdout().contains(s) || r.stderr().contains(s), "'" + s + "' printed: " + c + "\n" + r);
            }
            assertFalse(HostileSettings.CLASS_NAME.matcher(r.stderr()).find(), c + "\n" + r);
            exits.add(r.exit());
        }
        System.out.println("HostileSettingsIT exits: " + exits);
    }
}
