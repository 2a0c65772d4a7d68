package dev.prismalauncher.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** node's path.posix: join, resolve, normalize, dirname, basename, as Node computes them (strings, not files). */
final class NodePath {

    static String join(List<String> parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (!p.isEmpty()) {
                if (!b.isEmpty()) {
                    b.append('/');
                }
                b.append(p);
            }
        }
        return b.isEmpty() ? "." : normalize(b.toString());
    }

    /** path.resolve(cwd-relative): right to left until a path is absolute; the result has no trailing slash. */
    static String resolve(String cwd, String... parts) {
        String resolved = "";
        boolean absolute = false;
        for (int i = parts.length - 1; i >= -1 && !absolute; i--) {
            String p = i >= 0 ? parts[i] : cwd;
            if (p.isEmpty()) {
                continue;
            }
            resolved = p + "/" + resolved;
            absolute = p.startsWith("/");
        }
        String n = normalizeSegments(resolved, !absolute);
        return absolute ? "/" + n : (n.isEmpty() ? "." : n);
    }

    static String normalize(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean absolute = path.startsWith("/");
        boolean trailing = path.endsWith("/");
        String n = normalizeSegments(path, !absolute);
        if (n.isEmpty() && !absolute) {
            n = ".";
        }
        if (!n.isEmpty() && trailing) {
            n += "/";
        }
        return absolute ? "/" + n : n;
    }

    private static String normalizeSegments(String path, boolean allowAboveRoot) {
        Deque<String> out = new ArrayDeque<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!out.isEmpty() && !out.peekLast().equals("..")) {
                    out.removeLast();
                } else if (allowAboveRoot) {
                    out.addLast("..");
                }
            } else {
                out.addLast(seg);
            }
        }
        return String.join("/", out);
    }

    static String dirname(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean absolute = path.startsWith("/");
        int end = -1;
        boolean matchedSlash = true;
        for (int i = path.length() - 1; i >= 1; --i) {
            if (path.charAt(i) == '/') {
                if (!matchedSlash) {
                    end = i;
                    break;
                }
            } else {
                matchedSlash = false;
            }
        }
        if (end == -1) {
            return absolute ? "/" : ".";
        }
        if (absolute && end == 1) {
            return "//";
        }
        return path.substring(0, end);
    }

    static String basename(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        if (end == 0) {
            return "";
        }
        int start = path.lastIndexOf('/', end - 1) + 1;
        return path.substring(start, end);
    }

    private NodePath() {}
}
