package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The tests that check our reimplementations of node's behaviour (UTF-8 decoding, localeCompare)
 * against node itself. A missing node is a failure, never a silent pass: scripts/test needs node
 * anyway (scripts/prisma-fixture installs Prisma with npm).
 */
final class NodeJs {
    /** Fails the test, naming what to install, when {@code node} does not run. */
    static void require() {
        String why;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
            why = "`node --version` failed: " + out;
        } catch (IOException e) {
            why = "node is not on PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        }
        fail(why + ". This test compares the launcher with node itself: install Node.js 20 or newer"
                + " (e.g. apt-get install nodejs npm), the same node scripts/prisma-fixture needs");
    }

    private NodeJs() {}
}
