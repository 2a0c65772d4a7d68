package dev.prismalauncher.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way BuildKit's parser reads it: parser directives, comments, line
 * continuations (with the escape directive's character), heredocs; every instruction checked
 * against the known ones. A malformed file fails the test that reads it, naming the file and line.
 *
 * <p>Not a linter (scripts/lint runs dockerfile-utils on every Dockerfile): this is what the tests
 * need to read a recipe's stages, ENTRYPOINT and CMD as Docker would.
 */
public record ParsedDockerfile(Path path, List<Instruction> instructions) {
    public static final Set<String> INSTRUCTIONS = Set.of("FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY",
            "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL");
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One logical instruction (continuations joined, heredoc bodies appended), with the line it starts on. */
    public record Instruction(int line, String keyword, String args) {
        @Override
        public String toString() {
            return "line " + line + ": " + keyword + " " + args;
        }
    }

    /** A build stage: FROM base [AS name] and its instructions. */
    public record Stage(String base, String name, int line, List<Instruction> instructions) {}

    public static ParsedDockerfile parse(Path path) {
        try {
            return parse(path, Files.readAllLines(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ParsedDockerfile parse(Path path, List<String> lines) {
        char escape = '\\';
        int i = 0;
        Pattern directive = Pattern.compile("^#\\s*([a-zA-Z]+)\\s*=\\s*(\\S+)\\s*$");
        for (; i < lines.size(); i++) {
            Matcher m = directive.matcher(lines.get(i));
            if (!m.matches()) {
                break;
            }
            if (m.group(1).equalsIgnoreCase("escape")) {
                assertTrue(m.group(2).equals("\\") || m.group(2).equals("`"), rel(path) + ": escape must be \\ or `");
                escape = m.group(2).charAt(0);
            }
        }
        Pattern heredoc = Pattern.compile("<<(-?)\\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?");
        List<Instruction> out = new ArrayList<>();
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                i++;
                continue;
            }
            int start = i + 1;
            StringBuilder logical = new StringBuilder();
            String current = line;
            while (true) {
                String trimmed = current.stripTrailing();
                if (!trimmed.isEmpty() && trimmed.charAt(trimmed.length() - 1) == escape) {
                    logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    i++;
                    // comment lines inside a continuation are dropped, as BuildKit does
                    while (i < lines.size() && lines.get(i).stripLeading().startsWith("#")) {
                        i++;
                    }
                    if (i >= lines.size()) {
                        fail(rel(path) + ":" + start + ": the instruction ends in a line continuation at the end of the file");
                    }
                    current = lines.get(i);
                } else {
                    logical.append(current);
                    i++;
                    break;
                }
            }
            String text = logical.toString().strip();
            String[] parts = text.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String args = parts.length > 1 ? parts[1].strip() : "";
            if (!INSTRUCTIONS.contains(keyword)) {
                fail(rel(path) + ":" + start + ": unknown instruction '" + parts[0] + "'");
            }
            if (keyword.equals("ONBUILD")) {
                String inner = args.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
                assertTrue(INSTRUCTIONS.contains(inner) && !Set.of("ONBUILD", "FROM", "MAINTAINER").contains(inner),
                        rel(path) + ":" + start + ": ONBUILD " + inner);
            }
            if (args.isEmpty()) {
                fail(rel(path) + ":" + start + ": " + keyword + " without arguments");
            }
            if (Set.of("RUN", "COPY", "ADD").contains(keyword)) {
                Matcher h = heredoc.matcher(args);
                StringBuilder body = new StringBuilder(args);
                while (h.find()) {
                    boolean strip = !h.group(1).isEmpty();
                    String end = h.group(2);
                    while (true) {
                        if (i >= lines.size()) {
                            fail(rel(path) + ":" + start + ": heredoc " + end + " is not closed");
                        }
                        String l = lines.get(i++);
                        if ((strip ? l.strip() : l).equals(end)) {
                            break;
                        }
                        body.append('\n').append(l);
                    }
                }
                args = body.toString();
            }
            out.add(new Instruction(start, keyword, args));
        }
        return new ParsedDockerfile(path, out);
    }

    public List<Stage> stages() {
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (Instruction in : instructions) {
            if (in.keyword().equals("FROM")) {
                List<String> words = new ArrayList<>(List.of(in.args().split("\\s+")));
                words.removeIf(w -> w.startsWith("--"));
                assertTrue(words.size() == 1 || (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")),
                        rel(path) + ":" + in.line() + ": FROM [--platform=...] IMAGE [AS NAME], got " + in.args());
                current = new ArrayList<>();
                stages.add(new Stage(words.getFirst(), words.size() == 3 ? words.get(2).toLowerCase(Locale.ROOT) : null, in.line(), current));
            } else if (current != null) {
                current.add(in);
            }
        }
        return stages;
    }

    /** The stage's last instruction of a kind, following FROM <earlier stage> to inherit it. */
    public Instruction last(Stage stage, String keyword) {
        for (Instruction in : stage.instructions().reversed()) {
            if (in.keyword().equals(keyword)) {
                return in;
            }
        }
        Stage parent = stage(stage.base());
        return parent == null ? null : last(parent, keyword);
    }

    public Stage stage(String name) {
        for (Stage s : stages()) {
            if (name.equalsIgnoreCase(s.name())) {
                return s;
            }
        }
        return null;
    }

    /** The image a stage is built on, following FROM <earlier stage>. */
    public String baseImage(Stage stage) {
        Stage parent = stage(stage.base());
        return parent == null ? stage.base() : baseImage(parent);
    }

    public Set<String> stageNames() {
        Set<String> names = new HashSet<>();
        stages().forEach(s -> names.add(s.name()));
        return names;
    }

    /** An exec-form ENTRYPOINT/CMD: a JSON array of strings (shell form would wrap it in /bin/sh -c). */
    public static List<String> json(Instruction in) {
        assertNotNull(in, "instruction missing");
        try {
            JsonNode node = JSON.readTree(in.args());
            assertTrue(node != null && node.isArray(), in + " must be a list, is " + node);
            List<String> out = new ArrayList<>();
            for (JsonNode n : node) {
                assertTrue(n.isTextual() && !n.asText().isBlank(), in + ": every item must be a non-empty string, is " + n);
                out.add(n.asText());
            }
            return out;
        } catch (IOException | AssertionError e) {
            throw new AssertionError(in + " must be exec form, a JSON array of strings (shell form would wrap it in /bin/sh -c)", e);
        }
    }

    private static Path rel(Path p) {
        return p.startsWith(ROOT) ? ROOT.relativize(p) : p;
    }
}
