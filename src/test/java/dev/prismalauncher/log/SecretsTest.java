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
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.event.Level;

@ExtendWith(FreshSecrets.class)
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

    /** Any variable a prisma.config may read: its URL's password, percent-decoded too, is masked wherever it is printed. */
    @Test
    void passwordsOfUrlsInAnyValueAreRegisteredAsWrittenAndDecoded() {
        Secrets.registerUrlPasswords("REDIS and more: redis://:s3cr%C3%A9t-Pa%24%24w0rd%2342@cache:6379/0 and mysql://u:Plain-Pa55word-x@db/x");
        assertEquals("bad *** and *** and ***", Secrets.redact("bad s3cr\u00e9t-Pa$$w0rd#42 and s3cr%C3%A9t-Pa%24%24w0rd%2342 and Plain-Pa55word-x"));
        Secrets.registerUrlPasswords("postgresql://u:bad%zzencoding-Pw-1@h/db"); // malformed: registered as written only
        assertEquals("x ***", Secrets.redact("x bad%zzencoding-Pw-1"));
        Secrets.registerUrlPasswords(null);
        Secrets.registerUrlPasswords("no url here: user:Not-A-Url-Pw-99@host");
        assertEquals("user:Not-A-Url-Pw-99@host", Secrets.redact("user:Not-A-Url-Pw-99@host"));
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

    /** Each spelling Prisma or a driver may print: plain, percent-encoded with '+' and with %20 for a space. */
    @Test
    void registerMasksThePlainAndBothPercentEncodedSpellings() {
        String pw = "Sp ace+Pl@in/pw";
        String text = "a " + pw + " b Sp+ace%2BPl%40in%2Fpw c Sp%20ace%2BPl%40in%2Fpw d";
        assertEquals(text, Secrets.redact(text), "nothing is registered yet");
        Secrets.register(pw);
        assertEquals("a *** b *** c *** d", Secrets.redact(text));
        Secrets.forgetAll();
        assertEquals(text, Secrets.redact(text), "forgotten");
    }

    @Test
    void nothingRegisteredForNullOrEmptyAndNothingToRedactInNullOrEmpty() {
        Secrets.register(null);
        Secrets.register("");
        assertEquals("plain text", Secrets.redact("plain text"));
        assertEquals("", Secrets.redact(""));
        assertEquals(null, Secrets.redact(null));
    }

    @Test
    void anOrdinarySecretIsMaskedOnlyWhereItStandsAsASecret() {
        Secrets.register("hunter2");
        assertEquals("user hunter2 logged in", Secrets.redact("user hunter2 logged in"));
        assertEquals("postgresql://u:***@h/db", Secrets.redact("postgresql://u:hunter2@h/db"));
    }

    /** Distinctive: 16+ characters, or 8+ of at least two kinds, or 2+ holding a quote or backslash. */
    @Test
    void theLengthAndMixRulesAtTheirEdges() {
        assertTrue(Secrets.distinctive("a".repeat(16)));
        assertFalse(Secrets.distinctive("a".repeat(15)));
        assertFalse(Secrets.distinctive("A".repeat(15)));
        assertFalse(Secrets.distinctive("1".repeat(15)));
        assertFalse(Secrets.distinctive("!".repeat(15)));
        for (String mixed : List.of("abcdefg1", "abcdefgH", "abcdefg!", "ABCDEFG1", "ABCDEFG!", "1234567!", "1234567a")) {
            assertTrue(Secrets.distinctive(mixed), mixed);
            assertFalse(Secrets.distinctive(mixed.substring(1)), mixed.substring(1) + ": 7 characters");
        }
        for (String oneKind : List.of("abcdefgh", "ABCDEFGH", "12345678", "!@#$%^&*", "azazazaz", "AZAZAZAZ", "09090909", "`{@[/:`{")) {
            assertFalse(Secrets.distinctive(oneKind), oneKind);
        }
        for (String twoKinds : List.of("azazaza0", "AZAZAZA9", "0909090a", "azazazaZ", "`azazaza", "{AZAZAZA", "@0909090", "[aaaaaaa", "/aaaaaaa",
                ":aaaaaaa")) {
            assertTrue(Secrets.distinctive(twoKinds), twoKinds);
        }
        assertTrue(Secrets.distinctive("a\\"));
        assertTrue(Secrets.distinctive("\"a"));
        assertFalse(Secrets.distinctive("\""), "one character is never distinctive");
        assertFalse(Secrets.distinctive("\\"));
        // the rule decides masking: a 16-character one-kind password is masked anywhere, 15 is not
        Secrets.register("b".repeat(16));
        Secrets.register("c".repeat(15));
        assertEquals("x *** y " + "c".repeat(15), Secrets.redact("x " + "b".repeat(16) + " y " + "c".repeat(15)));
    }

    @Test
    void keyValueAndJsonPasswordsAreMaskedInAnyCase() {
        assertEquals("PASSWORD=***;Host=h", Secrets.redact("PASSWORD=s3cr3t;Host=h"));
        assertEquals("sslPassword=*** next", Secrets.redact("sslPassword=k3y next"));
        assertEquals("(password=***)", Secrets.redact("(password=abc)"));
        assertEquals("{\"SslPassword\" : \"***\"}", Secrets.redact("{\"SslPassword\" : \"x\\\\y\"}"));
        assertEquals("mysql://root:***@h and postgresql://a:***@h", Secrets.redact("mysql://root:pw1@h and postgresql://a:pw2@h"));
        // already masked, or a placeholder: left as it is
        assertEquals("password=*** postgresql://u:password@h", Secrets.redact("password=*** postgresql://u:password@h"));
        assertEquals("mypassword=abc", Secrets.redact("mypassword=abc"), "a word ending in password is not the key");
    }

    @Test
    void jsonMemberNamesAreRedactedToo() throws Exception {
        String pw = "N4me-As-Secret!";
        Secrets.register(pw);
        String doc = "{\"" + pw + "\":1,\"list\":[\"" + pw + "\",2,null,false]}";
        assertEquals("{\"***\":1,\"list\":[\"***\",2,null,false]}", Secrets.redactJson(doc, false));
        assertTrue(Secrets.redactJson(doc, true).contains("\n"), "pretty printed");
        assertFalse(Secrets.redactJson(doc, false).contains("\n"));
    }
}
