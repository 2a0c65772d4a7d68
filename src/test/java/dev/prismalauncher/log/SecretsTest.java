package dev.prismalauncher.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class SecretsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void masksSecretsWhereTheyOccurAsSecretsEvenUnregistered() {
        assertEquals("postgresql://app:***@db:5432/shop", Secrets.redact("postgresql://app:hunter2@db:5432/shop"));
        assertEquals("jdbc:x?user=a&password=***&sslpassword=***", Secrets.redact("jdbc:x?user=a&password=hunter2&sslpassword=k3y"));
        assertEquals("{\"user\":\"a\",\"password\":\"***\"}", Secrets.redact("{\"user\":\"a\",\"password\":\"hu\\\"nter\"}"));
        // usage hints keep their placeholder
        assertEquals("e.g. postgresql://user:password@host:5432/db", Secrets.redact("e.g. postgresql://user:password@host:5432/db"));
    }

    @Test
    void aCommonWordAsPasswordDoesNotMangleOtherText() throws Exception {
        Secrets.register("postgres");
        assertEquals("{\"provider\":\"postgresql\",\"user\":\"postgres\"}", Secrets.redact("{\"provider\":\"postgresql\",\"user\":\"postgres\"}"));
        assertEquals("postgresql://postgres:***@localhost:5432/postgres", Secrets.redact("postgresql://postgres:postgres@localhost:5432/postgres"));
    }

    @Test
    void passwordsTrueOrThreeKeepJsonValid() throws Exception {
        Secrets.register("true");
        Secrets.register("3");
        String doc = "{\n  \"upToDate\" : true,\n  \"summary\" : {\"applied\" : 3},\n  \"name\" : \"3_true\"\n}";
        String redacted = Secrets.redactJson(doc, true);
        JsonNode n = JSON.readTree(redacted);
        assertEquals(JSON.readTree(doc), n);
    }

    @Test
    void distinctiveSecretsAreMaskedAnywhere() {
        String pw = "Tr0ub4dor&3";
        Secrets.register(pw);
        assertEquals("error near *** in line 3", Secrets.redact("error near " + pw + " in line 3"));
        assertTrue(Secrets.distinctive("correcthorsebatterystaple"));
        assertTrue(Secrets.distinctive("Password1"));
        assertTrue(Secrets.distinctive("a\"b"));
        assertFalse(Secrets.distinctive("postgres"));
        assertFalse(Secrets.distinctive("true"));
        assertFalse(Secrets.distinctive("secret12".substring(0, 7)));
    }

    /** LOG_FORMAT=json: a password with a quote and a backslash appears neither raw nor escaped, and each line parses. */
    @Test
    void jsonLogLinesRedactBeforeEncoding() throws Exception {
        String pw = "q\"w\\e";
        Secrets.register(pw);
        String escaped = JSON.writeValueAsString(pw); // "q\"w\\e" with its quotes
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LogSettings.configure(LogFormat.JSON, Level.INFO);
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            LauncherLogger log = new LauncherLogger("t");
            log.atError().addKeyValue("detail", "auth " + pw).addKeyValue("list", List.of(pw)).log("connect with {} failed", pw);
            log.info("postgresql://u:{}@h/db", pw);
        } finally {
            System.setErr(saved);
            LogSettings.configure(LogFormat.TEXT, Level.INFO);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains(pw) || out.contains(escaped.substring(1, escaped.length() - 1)) || out.contains("w\\\\e"), out);
        for (String line : out.strip().split("\n")) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.get("message").asText().contains(Secrets.MASK), line);
        }
    }
}
