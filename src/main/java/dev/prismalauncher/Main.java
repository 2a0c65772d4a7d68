package dev.prismalauncher;

import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.CommandLine;
import dev.prismalauncher.log.LogSettings;
import dev.prismalauncher.log.Secrets;
import dev.prismalauncher.log.Utf8Output;
import dev.prismalauncher.process.Exec;
import dev.prismalauncher.process.StartFds;
import dev.prismalauncher.process.Termination;
import dev.prismalauncher.report.Help;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: logging, the command line, and the mapping of failures to exit codes. */
public final class Main {

    public static void main(String[] args) {
        StartFds.record(); // before anything opens a file: what the app must get
        Utf8Output.install(); // UTF-8 whatever the locale: Prisma's output is relayed intact
        Termination.install();
        CommandLine line = CommandLine.read(args, System.getenv()); // the one reading of the arguments
        if (line.command() == Command.RUN) {
            Exec.warmUp(); // links exec's native call meanwhile, from the start: the last step is then cheap
        }
        int code = run(line, System.out);
        Termination.exitUnlessStopping(code);
    }

    static int run(CommandLine line, PrintStream out) {
        // Flags win, even for the usage error reading the rest may give.
        LogSettings.configure(line.logFormat(), line.logLevel());
        Logger log = LoggerFactory.getLogger("prisma-launcher");
        Path terminationLog = line.terminationLog();
        try {
            if (line.command() == Command.HELP) {
                out.print(Help.text(version()));
                return Launcher.written(out);
            }
            if (line.command() == Command.VERSION) {
                out.println("prisma-launcher " + version());
                return Launcher.written(out);
            }
            return new Launcher(line.config(), out).run();
        } catch (LauncherException e) {
            Termination.parkIfStopping(); // a signal is ending this run: its exit code, not the failure it caused
            log.atError().addKeyValue("event", "failed").addKeyValue("exitCode", e.exitCode()).log("{}", e.getMessage());
            terminationMessage(terminationLog, e.getMessage());
            return e.exitCode();
        } catch (RuntimeException | Error e) {
            Termination.parkIfStopping();
            String message = "internal error: " + e.getClass().getName() + ": " + e.getMessage();
            log.atError().addKeyValue("event", "failed").addKeyValue("exitCode", ExitCode.INTERNAL).log("{}", message);
            terminationMessage(terminationLog, message);
            return ExitCode.INTERNAL;
        }
    }

    /** Kubernetes shows /dev/termination-log in `kubectl describe pod`: one line, no secrets, if it is there to write. */
    private static void terminationMessage(Path file, String message) {
        if (file == null || !Files.exists(file) || !Files.isWritable(file)) {
            return;
        }
        try {
            Files.writeString(file, "prisma-launcher: " + Secrets.redact(message).replaceAll("\\s*\\R\\s*", " ") + "\n", StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // best effort: the log already has the reason
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private Main() {}
}
