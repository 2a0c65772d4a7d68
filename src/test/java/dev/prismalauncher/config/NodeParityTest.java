package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prismalauncher.testing.PrismaConfigOracle;
import dev.prismalauncher.testing.Project;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pieces of JavaScript the static reader re-implements, against node itself on inputs chosen to
 * break a careless copy: dotenv 17's parse (the one in prisma 7.10.1's install), node's path.posix
 * join/resolve/dirname/basename, and encodeURIComponent. One node process answers them all.
 */
class NodeParityTest {
    @TempDir
    Path dir;

    static final List<String> DOTENV = List.of(
            "A=1\nB = 2 \n  C=  spaced value  \n",
            "export URL=postgresql://u:p@h/db?x=1#comment\nHASH=a#b\nSPACEHASH=a #b\n",
            "Q1='single # not comment'\nQ2=\"double \\n newline \\r cr\"\nQ3=`back # tick`\n",
            "MULTI=\"line1\nline2\"\nAFTER=x\n",
            "EMPTY=\nEMPTYQ=''\nONLYSPACE=   \n",
            "DUP=first\nDUP=second\n",
            "KEY.WITH-DASH.dot=ok\n# full comment=no\n  # indented comment\n",
            "COLON: yes\nCOLON2:no\n",
            "CRLF=a\r\nCR=b\rLAST=c",
            "ESC='it\\'s'\nESC2=\"say \\\"hi\\\"\"\nUNTERMINATED=\"open\nNEXT=1\n",
            "INNER=\"a\" # c\nINNER2='b'c\nTRAIL=x   # c\n",
            "UNI=caf\u00e9 \u2603\nTAB=\ta\t\n",
            "=novalue\n1NUM=x\n_UNDER=y\n");

    static final List<List<String>> JOINS = List.of(List.of("a", "b"), List.of("/a/", "../b", "./c/"), List.of("", ""), List.of("a", "", "b/"),
            List.of("..", "a", "../../b"), List.of("/", ".."), List.of("prisma", "schema.prisma"), List.of("a//b", "c"));
    static final List<List<String>> RESOLVES = List.of(List.of("a"), List.of("/x", "b"), List.of("a", "/b", "c/"), List.of(""),
            List.of("..", "..", "..", "..", "x"), List.of("./prisma/../db/migrations"));
    static final List<String> DIRNAMES = List.of("/a/b/c", "/a/b/c/", "a", "/", "", "a/b", "//a", "/a", "a//b//");
    static final List<String> URI = List.of("Pw-7x!q@SECRET#42", "a b+c&d=e/f?g", "caf\u00e9 \u2603 \ud83d\ude00", "-_.!~*'()", "");

    @Test
    void theReaderComputesWhatNodeComputes() throws IOException, InterruptedException {
        Path nodeModules = Path.of(Project.prismaEnv("prisma-pg").get("PRISMA_NODE_MODULES"));
        StringBuilder in = new StringBuilder();
        for (String d : DOTENV) {
            in.append("D\t").append(json(d)).append('\n');
        }
        for (List<String> j : JOINS) {
            in.append("J\t").append(jsonArray(j)).append('\n');
        }
        for (List<String> r : RESOLVES) {
            in.append("R\t").append(jsonArray(r)).append('\n');
        }
        for (String d : DIRNAMES) {
            in.append("N\t").append(json(d)).append('\n');
        }
        for (String u : URI) {
            in.append("U\t").append(json(u)).append('\n');
        }
        Path input = Files.writeString(dir.resolve("in.txt"), in.toString());
        String script = """
                const fs = require('fs'), path = require('path');
                const dotenv = require(process.argv[1] + '/dotenv');
                for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\\n')) {
                  if (!line) continue;
                  const [k, v] = [line.slice(0, 1), JSON.parse(line.slice(2))];
                  let out;
                  if (k === 'D') out = dotenv.parse(v);
                  if (k === 'J') out = path.posix.join(...v);
                  if (k === 'R') out = path.posix.resolve('/work/app', ...v);
                  if (k === 'N') out = [path.posix.dirname(v), path.posix.basename(v)];
                  if (k === 'U') out = encodeURIComponent(v);
                  console.log(JSON.stringify(out));
                }
                """;
        Process p = new ProcessBuilder("node", "-e", script, nodeModules.toString(), input.toString()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), output);
        List<String> lines = output.lines().toList();
        int i = 0;
        for (String d : DOTENV) {
            Map<String, Object> expected = PrismaConfigOracle.parse(lines.get(i++));
            assertEquals(expected, new LinkedHashMap<>(DotEnv.parse(d)), "dotenv.parse of " + json(d));
        }
        for (List<String> j : JOINS) {
            assertEquals(unjson(lines.get(i++)), NodePath.join(j), "path.join" + j);
        }
        for (List<String> r : RESOLVES) {
            assertEquals(unjson(lines.get(i++)), NodePath.resolve("/work/app", r.toArray(new String[0])), "path.resolve" + r);
        }
        for (String d : DIRNAMES) {
            Map<String, Object> pair = PrismaConfigOracle.parse("{\"v\":" + lines.get(i++) + "}");
            assertEquals(List.of(NodePath.dirname(d), NodePath.basename(d)), pair.get("v"), "dirname/basename of " + json(d));
        }
        for (String u : URI) {
            assertEquals(unjson(lines.get(i++)), ConfigScript.encodeUriComponent(u), "encodeURIComponent of " + json(u));
        }
    }

    private static String unjson(String line) {
        return (String) PrismaConfigOracle.parse("{\"v\":" + line + "}").get("v");
    }

    private static String jsonArray(List<String> items) {
        List<String> parts = new ArrayList<>();
        items.forEach(s -> parts.add(json(s)));
        return "[" + String.join(",", parts) + "]";
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
