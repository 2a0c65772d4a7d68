package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.JSON;
import static dev.prismalauncher.examples.Examples.SAMPLE_URL;
import static dev.prismalauncher.examples.Examples.launcherConfig;
import static dev.prismalauncher.examples.Examples.read;
import static dev.prismalauncher.examples.Examples.strings;
import static dev.prismalauncher.examples.Examples.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.Config;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * examples/ecs/task-definition.json: a migrate container the app container depends on with
 * condition SUCCESS. ECS validates a task definition when it is registered; what its docs state
 * about container dependencies and Fargate is checked here:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html.
 */
class ExamplesEcsTest {
    static final Set<String> TASK_FIELDS = Set.of("family", "requiresCompatibilities", "networkMode", "cpu", "memory", "runtimePlatform",
            "executionRoleArn", "taskRoleArn", "containerDefinitions", "volumes", "tags", "pidMode", "ipcMode", "ephemeralStorage");
    static final Set<String> CONTAINER_FIELDS = Set.of("name", "image", "essential", "command", "entryPoint", "environment", "secrets",
            "dependsOn", "portMappings", "readonlyRootFilesystem", "stopTimeout", "startTimeout", "logConfiguration", "healthCheck",
            "linuxParameters", "user", "workingDirectory", "cpu", "memory", "memoryReservation", "mountPoints", "environmentFiles");
    static final Set<String> CONDITIONS = Set.of("START", "COMPLETE", "SUCCESS", "HEALTHY");
    /** Fargate's task CPU units and the memory (MiB) each allows. */
    static final Map<String, List<Integer>> FARGATE = Map.of(
            "256", List.of(512, 1024, 2048),
            "512", List.of(1024, 2048, 3072, 4096),
            "1024", List.of(2048, 3072, 4096, 5120, 6144, 7168, 8192));

    static JsonNode task() {
        return read(JSON, EXAMPLES.resolve("ecs/task-definition.json"));
    }

    static Map<String, JsonNode> containers(JsonNode task) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode c : task.path("containerDefinitions")) {
            String name = text(c.get("name"), "containerDefinitions[].name");
            assertTrue(byName.put(name, c) == null, "container name " + name + " used twice");
        }
        return byName;
    }

    /** A container's environment as the launcher sees it; secrets stand in as a sample URL. */
    static Map<String, String> environment(JsonNode c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : c.path("environment")) {
            assertTrue(e.path("value").isTextual(), e + ": values are strings");
            env.put(text(e.get("name"), "environment[].name"), e.path("value").asText());
        }
        for (JsonNode s : c.path("secrets")) {
            assertTrue(text(s.get("valueFrom"), "secrets[].valueFrom").startsWith("arn:aws:"), "valueFrom is a Secrets Manager or SSM ARN");
            env.put(text(s.get("name"), "secrets[].name"), SAMPLE_URL);
        }
        return env;
    }

    @Test
    void theTaskDefinitionUsesRegisterTaskDefinitionFieldsAndFitsFargate() {
        JsonNode task = task();
        task.fieldNames().forEachRemaining(f -> assertTrue(TASK_FIELDS.contains(f), "not a task definition parameter: " + f));
        text(task.get("family"), "family");
        assertEquals(List.of("FARGATE"), strings(task.get("requiresCompatibilities"), "requiresCompatibilities"));
        assertEquals("awsvpc", task.path("networkMode").asText(), "Fargate requires awsvpc");
        assertTrue(task.path("cpu").isTextual() && task.path("memory").isTextual(), "task cpu and memory are strings");
        assertTrue(FARGATE.getOrDefault(task.path("cpu").asText(), List.of()).contains(Integer.parseInt(task.path("memory").asText())),
                "a Fargate cpu/memory pair: " + task.path("cpu") + "/" + task.path("memory"));
        assertTrue(task.path("executionRoleArn").asText().startsWith("arn:aws:iam::"), "an execution role reads the secrets and pulls the image");
        for (JsonNode c : task.path("containerDefinitions")) {
            c.fieldNames().forEachRemaining(f -> assertTrue(CONTAINER_FIELDS.contains(f), c.path("name") + ": not a container definition parameter: " + f));
            assertTrue(c.path("stopTimeout").asInt() >= 15 && c.path("stopTimeout").asInt() <= 120,
                    c.path("name") + ": stopTimeout leaves the launcher its 10 s, within Fargate's 120 s");
            assertTrue(c.path("readonlyRootFilesystem").asBoolean(), c.path("name") + ": the launcher writes nothing");
            for (JsonNode p : c.path("portMappings")) {
                assertTrue(!p.has("hostPort") || p.path("hostPort").equals(p.path("containerPort")), "awsvpc: hostPort is containerPort or absent");
            }
        }
    }

    /** The rules ECS states for container dependencies, on every dependsOn of the task. */
    @Test
    void theContainerDependenciesFollowEcsRules() {
        Map<String, JsonNode> containers = containers(task());
        assertTrue(containers.values().stream().anyMatch(c -> c.path("essential").asBoolean(true)), "a task needs at least one essential container");
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (var e : containers.entrySet()) {
            for (JsonNode dep : e.getValue().path("dependsOn")) {
                String target = text(dep.get("containerName"), e.getKey() + ": dependsOn.containerName");
                String condition = text(dep.get("condition"), e.getKey() + ": dependsOn.condition");
                assertTrue(containers.containsKey(target), e.getKey() + " depends on unknown container " + target);
                assertTrue(CONDITIONS.contains(condition), e.getKey() + ": condition " + condition);
                JsonNode t = containers.get(target);
                if (condition.equals("SUCCESS") || condition.equals("COMPLETE")) {
                    assertFalse(t.path("essential").asBoolean(true), condition + " can't be set on an essential container: " + target);
                }
                if (condition.equals("HEALTHY")) {
                    assertTrue(t.has("healthCheck"), "HEALTHY needs a health check on " + target);
                }
                edges.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(target);
            }
        }
        // no cycles: ECS could never start any of them
        for (String start : containers.keySet()) {
            Deque<String> todo = new ArrayDeque<>(edges.getOrDefault(start, List.of()));
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                String next = todo.pop();
                assertFalse(next.equals(start), "a dependency cycle through " + start);
                if (seen.add(next)) {
                    todo.addAll(edges.getOrDefault(next, List.of()));
                }
            }
        }
    }

    @Test
    void theMigrateContainerMigratesAndTheAppWaitsForItsSuccess() {
        Map<String, JsonNode> containers = containers(task());
        JsonNode migrate = containers.get("migrate");
        JsonNode app = containers.get("app");
        assertEquals(migrate.path("image"), app.path("image"), "one image: the migrations and the app of the same release");
        assertFalse(migrate.has("entryPoint") || app.has("entryPoint"), "the image's ENTRYPOINT (the launcher) stays: command is its arguments");

        Config m = launcherConfig(strings(migrate.get("command"), "migrate command"), environment(migrate), "migrate");
        assertEquals(Command.MIGRATE, m.command());
        assertFalse(m.skipMigrations());
        assertTrue(m.deployTimeout() != null, "DEPLOY_TIMEOUT bounds prisma migrate deploy");

        List<JsonNode> deps = new ArrayList<>();
        app.path("dependsOn").forEach(deps::add);
        assertEquals(1, deps.size());
        assertEquals("migrate", deps.getFirst().path("containerName").asText());
        assertEquals("SUCCESS", deps.getFirst().path("condition").asText(), "the app starts only after migrate exited 0");
        assertTrue(app.path("essential").asBoolean());

        Config a = launcherConfig(strings(app.get("command"), "app command"), environment(app), "app");
        assertEquals(Command.RUN, a.command());
        assertTrue(a.skipMigrations(), "migrate did the work: the app container sets SKIP_MIGRATIONS=1");
        assertEquals(List.of("node", "server.js"), a.appCommand());
        assertEquals(environment(app).get("PORT"), app.path("portMappings").get(0).path("containerPort").asText(), "the port server.js listens on");
    }
}
