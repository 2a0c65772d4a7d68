package dev.prismalauncher.prisma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-written package.json reader against Jackson (the reference: the launcher's own JSON
 * library) on the shapes package.json files take; PackageJsonIT does the same over every
 * package.json of a real node_modules tree.
 */
class PackageJsonTest {
    static final JsonFactory JSON = new JsonFactory();

    /** What Jackson reads: the top-level string members "name" and "version" (the last one wins); null if not an object. */
    static PackageJson jackson(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String name = null;
            String version = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                String string = value == JsonToken.VALUE_STRING ? p.getText() : null;
                if (field.equals("name")) {
                    name = string;
                } else if (field.equals("version")) {
                    version = string;
                }
                p.skipChildren();
            }
            return p.nextToken() == null ? new PackageJson(name, version) : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void agreesWithJacksonOnTheShapesPackageJsonsTake() {
        for (String text : List.of(
                "{\"name\": \"prisma\", \"version\": \"7.10.1\"}",
                "{\n  \"version\": \"8.0.0-rc.19\",\n  \"name\": \"prisma\",\n  \"bin\": {\"prisma\": \"./dist/prisma.js\"}\n}\n",
                "{\"engines\": {\"version\": \"0.0.1\", \"name\": \"node\"}, \"version\": \"7.10.1\", \"x\": [\"version\", {\"a\": [1, 2.5e3, -0.1]}], \"name\": \"prisma\"}",
                "{\"name\": \"@prisma/prisma7\", \"private\": false, \"sideEffects\": false, \"n\": null, \"version\": \"7.10.0\"}",
                "{\"name\": \"a\\\"b\\\\c\\/d\\u00e9\\n\", \"version\": \"1.0.0\", \"description\": \"} ] { [ \\\" ,\"}",
                "{\"name\": \"x\", \"name\": \"y\", \"version\": 7}",
                "{\"version\": \"7.10.1\"}",
                "{}",
                "  {  }  ",
                "{\"name\": \"prisma\", \"keywords\": [], \"files\": [\"build\", \"*.d.ts\"], \"version\": \"6.19.3\", \"z\": {}}")) {
            assertEquals(jackson(text), PackageJson.parse(text), text);
        }
    }

    @Test
    void anythingButAJsonObjectIsNull() {
        for (String text : List.of("", "[]", "\"prisma\"", "{", "{\"name\": \"prisma\"", "{\"name\": \"prisma\",}", "{\"name\" \"x\"}",
                "{\"name\": \"x\"} trailing", "{\"a\": [1, 2}", "{\"a\": nope}", "{\"name\": \"bad \\q escape\"}", "{\"name\": \"\\u12\"}",
                "{\"name\": \"raw\ncontrol\"}", "{name: \"x\"}")) {
            assertNull(PackageJson.parse(text), text);
            assertNull(jackson(text), "Jackson agrees it is not one: " + text);
        }
    }
}
