package io.chatbotctl.doctor;

import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * access-verbs.yaml stays in step with the code: every class it names exists, and every kind of cluster call the code
 * makes that needs a verb of its own (an eviction, an exec, a log read, a collection delete...) has its entry.
 */
class AccessVerbsTest {
    static final Path MAIN = Repository.root().resolve("cli/src/main/java/io/chatbotctl");

    /** A call in the code, and the verb the API server checks for it. */
    record Call(Pattern code, String resource, String subresource, String verb) {
    }

    static final List<Call> CALLS = List.of(
            new Call(Pattern.compile("\\.evict\\(\\)"), "pods", "eviction", "create"),
            new Call(Pattern.compile("\\.inContainer\\("), "pods", "exec", "create"),
            new Call(Pattern.compile("\\.getLog\\(\\)"), "pods", "log", "get"),
            new Call(Pattern.compile("\\.top\\(\\)\\.pods\\(\\)"), "pods", null, "get"),
            new Call(Pattern.compile("configMaps\\(\\)[^;]*\\.withLabel\\([^;]*\\.delete\\(\\)"), "configmaps", null, "deletecollection"),
            new Call(Pattern.compile("nodes\\(\\)\\.withName\\([^;]*\\.edit\\("), "nodes", null, "patch"),
            new Call(Pattern.compile("\\.events\\(\\)[^;]*\\.list\\(\\)"), "events", null, "list"),
            new Call(Pattern.compile("podDisruptionBudget\\(\\)[^;]*\\.list\\(\\)"), "poddisruptionbudgets", null, "list"),
            new Call(Pattern.compile("replicaSets\\(\\)[^;]*\\.list\\(\\)"), "replicasets", null, "list"),
            new Call(Pattern.compile("HTTP_ROUTE\\)[^;]*\\.update\\(\\)"), "httproutes", null, "update"));

    private static String sources(String... packages) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String p : packages) {
            try (Stream<Path> files = Files.list(MAIN.resolve(p))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(f).replaceAll("\\s+", " ")).append('\n');
                }
            }
        }
        return all.toString();
    }

    @Test
    void everyCallTheCommandsMakeHasItsVerb() throws IOException {
        String code = sources("deploy", "canary", "runbook", "kube");
        List<AccessVerbs.Verb> verbs = AccessVerbs.fromData();
        for (Call call : CALLS) {
            assertTrue(call.code().matcher(code).find(), "the code still makes the call " + call.code() + " (else drop it here)");
            assertTrue(verbs.stream().anyMatch(v -> v.resource().equals(call.resource()) && v.verb().equals(call.verb())
                            && java.util.Objects.equals(v.subresource(), call.subresource())),
                    call.verb() + " " + call.resource() + (call.subresource() == null ? "" : "/" + call.subresource())
                            + " is missing from " + AccessVerbs.RESOURCE);
        }
    }

    @Test
    void everyClassTheDataNamesExists() throws IOException {
        Set<String> classes;
        try (Stream<Path> files = Files.walk(MAIN)) {
            classes = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - 5)).collect(Collectors.toSet());
        }
        Pattern className = Pattern.compile("\\b([A-Z][a-z]+(?:[A-Z][a-z]+)+)\\b");
        for (AccessVerbs.Verb v : AccessVerbs.fromData()) {
            Matcher m = className.matcher(v.by());
            while (m.find()) {
                assertTrue(classes.contains(m.group(1)), m.group(1) + " named in " + AccessVerbs.RESOURCE + " (" + v.by() + ") is not a class");
            }
        }
    }
}
