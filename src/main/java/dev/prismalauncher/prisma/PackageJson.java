package dev.prismalauncher.prisma;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The top-level "name" and "version" of a package.json, and nothing else. Hand-written because
 * Jackson's parser costs 24-80 ms on its first use in a fresh JVM (createParser, measured on a
 * 6 KB package.json; Files.readAllBytes 1 ms), against a no-op start of about 150 ms; this reads
 * it in well under a millisecond. Nested values are skipped without recursion; anything that is not
 * a JSON object of this shape reads as null. PackageJsonTest checks it against Jackson on every
 * package.json of a real node_modules tree.
 *
 * @param name null when absent or not a string
 * @param version null when absent or not a string
 */
record PackageJson(String name, String version) {
    /** Prisma's package.json is 6 KB; a bigger one is not read (memory stays bounded). */
    static final long MAX_BYTES = 1 << 20;

    /** Null when the file is too big or is not a JSON object. */
    static PackageJson read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            return null;
        }
        return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    }

    static PackageJson parse(String json) {
        try {
            return new Reader(json).object();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        PackageJson object() {
            skipSpace();
            if (i < s.length() && s.charAt(i) == '\uFEFF') { // a byte-order mark, as node's require() accepts
                i++;
                skipSpace();
            }
            expect('{');
            String name = null;
            String version = null;
            skipSpace();
            if (peek() == '}') {
                i++;
            } else {
                while (true) {
                    skipSpace();
                    String key = string();
                    skipSpace();
                    expect(':');
                    skipSpace();
                    if (peek() == '"') {
                        String value = string();
                        if (key.equals("name")) {
                            name = value;
                        } else if (key.equals("version")) {
                            version = value;
                        }
                    } else {
                        if (key.equals("name")) {
                            name = null; // the last one wins, as in JSON.parse
                        } else if (key.equals("version")) {
                            version = null;
                        }
                        skipValue();
                    }
                    skipSpace();
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw new IllegalArgumentException("expected , or }");
                    }
                }
            }
            skipSpace();
            if (i != s.length()) {
                throw new IllegalArgumentException("text after the object");
            }
            return new PackageJson(name, version);
        }

        /** A number, literal, array or object, skipped: brackets counted, strings read over. */
        private void skipValue() {
            int depth = 0;
            do {
                char c = peek();
                if (c == '"') {
                    string();
                } else if (c == '{' || c == '[') {
                    depth++;
                    i++;
                } else if (c == '}' || c == ']') {
                    if (depth == 0) {
                        throw new IllegalArgumentException("unbalanced");
                    }
                    depth--;
                    i++;
                } else if (depth == 0 && (c == ',')) {
                    throw new IllegalArgumentException("missing value");
                } else {
                    int start = i;
                    while (i < s.length() && ",:}] \t\r\n\"{[".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                    if (i == start) {
                        i++; // ':' or ',' inside a container: structure only
                    } else if (depth == 0) {
                        literal(s.substring(start, i));
                    }
                }
                if (depth > 0) {
                    skipSpace();
                }
            } while (depth > 0);
        }

        private static void literal(String word) {
            if (!word.equals("true") && !word.equals("false") && !word.equals("null")
                    && !word.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                throw new IllegalArgumentException("not a JSON value: " + word);
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        String hex = s.substring(i, i + 4);
                        if (!hex.matches("[0-9A-Fa-f]{4}")) {
                            throw new IllegalArgumentException("bad \\u escape");
                        }
                        b.append((char) Integer.parseInt(hex, 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape");
                }
            }
        }

        private void skipSpace() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private char peek() {
            return s.charAt(i);
        }

        private char next() {
            return s.charAt(i++);
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c);
            }
        }
    }
}
