package io.chatbotctl.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What GitHub would give a workflow run: the repository's {@code vars} and {@code secrets}, the event and its
 * payload ({@code github.event}), the commit and ref. Builders return a new fixture.
 */
record Fixture(Map<String, String> vars, Map<String, String> secrets, String eventName, String ref, String sha,
               ObjectNode event, Map<String, String> inputs) {
    static final String SHA = "4f2c9a1e7b3d5c8f0a6e2d4b1c9f7e3a5d8b0c2e";

    /** A push to main of commit {@link #SHA}. */
    static Fixture push() {
        return new Fixture(Map.of(), Map.of(), "push", "refs/heads/main", SHA, Expressions.object(), Map.of());
    }

    /** A pull request (number {@code number}) from a branch into main. */
    static Fixture pullRequest(int number) {
        ObjectNode event = Expressions.object();
        event.putObject("pull_request").put("number", number).putObject("head").put("sha", SHA);
        event.put("number", number);
        return new Fixture(Map.of(), Map.of(), "pull_request", "refs/pull/" + number + "/merge", SHA, event, Map.of());
    }

    Fixture var(String name, String value) {
        Map<String, String> v = new LinkedHashMap<>(vars);
        v.put(name, value);
        return new Fixture(v, secrets, eventName, ref, sha, event, inputs);
    }

    Fixture secret(String name, String value) {
        Map<String, String> s = new LinkedHashMap<>(secrets);
        s.put(name, value);
        return new Fixture(vars, s, eventName, ref, sha, event, inputs);
    }
}
