package dev.prismalauncher.config;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.log.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A setting given directly ({@code X}, {@code --x}) or as the path of a file that holds it
 * ({@code X_FILE}, {@code --x-file}): the convention of the official database images and of Docker
 * and Kubernetes secrets mounted as files.
 *
 * <p>The file's content is the value, with one trailing line end removed ({@code \n}, or the
 * {@code \r\n} an editor on Windows writes): {@code echo URL > file} and {@code printf URL > file}
 * give the same value. Anything else in the file is kept as it is. Both twins set, at the same
 * level (two variables, or two flags), is an error: which one was meant cannot be told. A flag, in
 * either form, wins over the environment, as for every setting. Messages name the variable and the
 * path, never the content; the content is registered as a secret the moment it is read.
 */
final class SecretFiles {
    /** A URL, or a password, is a line; a file far larger is the wrong file (and must not fill memory). */
    static final int MAX_BYTES = 64 * 1024;

    /**
     * A setting's value and where it came from.
     *
     * @param value the text; null when neither twin is set
     * @param source the variable or flag, and for a file its path, for messages: {@code DATABASE_URL_FILE (/run/secrets/db)}
     * @param inEnvironment the process environment holds the value under the setting's own name (so a
     *     child process, Prisma, sees it there); false for a flag or a file
     */
    record Value(String value, String source, boolean inEnvironment) {
        boolean isSet() {
            return value != null && !value.isBlank();
        }
    }

    /** {@code setting} or its twin {@code file}: flags first, then the environment; a file is read now. */
    static Value resolve(Setting setting, Setting file, Map<Setting, String> flags, Map<String, String> env) {
        refuseBoth(flags.get(setting), flags.get(file), setting.flag(), file.flag());
        refuseBoth(env.get(setting.env()), env.get(file.env()), setting.env(), file.env());
        if (flags.containsKey(setting)) {
            return new Value(flags.get(setting), setting.flag(), false);
        }
        if (isSet(flags.get(file))) {
            return read(file.flag(), flags.get(file));
        }
        if (isSet(env.get(setting.env()))) {
            return new Value(env.get(setting.env()), setting.env(), true);
        }
        if (isSet(env.get(file.env()))) {
            return read(file.env(), env.get(file.env()));
        }
        return new Value(env.get(setting.env()), setting.env(), true);
    }

    private static void refuseBoth(String direct, String fromFile, String directName, String fileName) {
        if (isSet(direct) && isSet(fromFile)) {
            throw LauncherException.usage(directName + " and " + fileName + " are both set; set one of them (" + fileName
                    + " names a file that holds the value, e.g. a mounted secret)");
        }
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }

    /** The file's content as the value: one trailing line end dropped; missing, unreadable, empty or over-long is a usage error. */
    static Value read(String name, String pathText) {
        Path path;
        try {
            path = Path.of(pathText);
        } catch (InvalidPathException e) {
            throw LauncherException.usage(name + " is not a valid path; give the path of the file that holds the value");
        }
        String source = name + " (" + path + ")";
        if (!Files.exists(path)) {
            throw LauncherException.usage(source + " does not exist; mount the secret there or correct the path");
        }
        if (Files.isDirectory(path)) {
            throw LauncherException.usage(source + " is a directory; name the file inside it (a mounted Secret holds one file per key)");
        }
        if (!Files.isRegularFile(path)) {
            // a FIFO or a device would block or never end: every phase is bounded
            throw LauncherException.usage(source + " is not a regular file; give the path of the file that holds the value");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (AccessDeniedException e) {
            throw LauncherException.usage(source + " is not readable by this user; check the file's owner and mode"
                    + " (Kubernetes: the volume's defaultMode, the pod's fsGroup)");
        } catch (IOException e) {
            // the reason is the system's (errno) text, never the file's content
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw LauncherException.usage(source + " cannot be read" + (reason == null ? "" : " (" + reason + ")"));
        }
        if (bytes.length > MAX_BYTES) {
            throw LauncherException.usage(source + " is larger than " + MAX_BYTES / 1024 + " KiB; is it the right file?");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw LauncherException.usage(source + " is not UTF-8 text");
        }
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isBlank()) {
            throw LauncherException.usage(source + " is empty; it must hold the value");
        }
        Secrets.register(text);
        return new Value(text, source, false);
    }

    private SecretFiles() {}
}
