package io.chatbotctl.runbook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.UnknownFields;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runbooks: those built into chatbotctl (the project's {@code runbooks/*.yaml}, packaged in the jar) and those
 * in a project's {@code runbooks/} directory, which add to them or replace one of the same name.
 */
public final class RunbookCatalog {
    public static final List<String> BUILT_IN = List.of("pod-failure", "high-latency", "spot-interruption", "gpu-oom",
            "model-load-failure");

    private final Path projectRunbooks;

    /** @param projectRunbooks a directory of {@code *.yaml} runbooks, or null */
    public RunbookCatalog(Path projectRunbooks) {
        this.projectRunbooks = projectRunbooks;
    }

    public List<Runbook> all() {
        Map<String, Runbook> byName = new LinkedHashMap<>();
        for (String name : BUILT_IN) {
            byName.put(name, builtIn(name));
        }
        if (projectRunbooks != null && Files.isDirectory(projectRunbooks)) {
            try (Stream<Path> files = Files.list(projectRunbooks)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    Runbook runbook = parse(file.toString(), Files.readString(file));
                    byName.put(runbook.name(), runbook);
                }
            } catch (IOException e) {
                throw new InvalidInputException("cannot read " + projectRunbooks + ": " + e.getMessage());
            }
        }
        return List.copyOf(byName.values());
    }

    public Runbook get(String name) {
        return all().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new InvalidInputException(
                "no runbook named '" + name + "'", "chatbotctl runbook list shows them: "
                + String.join(", ", all().stream().map(Runbook::name).toList())));
    }

    private static Runbook builtIn(String name) {
        String resource = "/runbooks/" + name + ".yaml";
        try (InputStream in = RunbookCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in runbook " + resource + " is missing from the jar");
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in runbook " + resource, e);
        }
    }

    /** Parses and validates one runbook; an error names the source and the step. */
    public static Runbook parse(String source, String yaml) {
        Runbook runbook;
        try {
            runbook = Json.yaml().readerFor(Runbook.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(yaml);
        } catch (UnrecognizedPropertyException e) {
            throw UnknownFields.of(source, e, "see docs/runbook.md for the runbook format");
        } catch (JsonMappingException e) {
            var loc = e.getLocation();
            throw new InvalidInputException(source + (loc == null ? "" : ":" + loc.getLineNr()) + ": " + e.getOriginalMessage(),
                    "see docs/runbook.md for the runbook format");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source + ": not valid YAML: " + e.getOriginalMessage());
        }
        validate(source, runbook);
        return runbook;
    }

    private static void validate(String source, Runbook runbook) {
        if (runbook == null || runbook.name() == null || runbook.steps() == null || runbook.steps().isEmpty()) {
            throw new InvalidInputException(source + ": a runbook needs a name and at least one step");
        }
        Set<String> checkIds = new HashSet<>();
        int number = 0;
        for (Step step : runbook.steps()) {
            number++;
            String where = source + ": step " + number;
            long kinds = Stream.of(step.check(), step.show(), step.note(), step.act()).filter(s -> s != null).count();
            if (kinds != 1) {
                throw new InvalidInputException(where + " must have exactly one of check, show, note, act");
            }
            Set<String> known = switch (step.kind()) {
                case CHECK -> Checks.ALL.keySet();
                case SHOW -> Shows.ALL.keySet();
                case ACT -> Actions.ALL.keySet();
                case NOTE -> null;
            };
            if (known != null && !known.contains(step.target())) {
                throw new InvalidInputException(where + ": unknown " + step.kind() + " '" + step.target() + "'",
                        "known: " + String.join(", ", new ArrayList<>(new java.util.TreeSet<>(known))));
            }
            for (var condition : new ArrayList<>(List.of(
                    step.when() == null ? Map.<String, List<String>>of() : step.when(),
                    step.unless() == null ? Map.<String, List<String>>of() : step.unless()))) {
                for (String id : condition.keySet()) {
                    if (!checkIds.contains(id)) {
                        throw new InvalidInputException(where + ": condition refers to '" + id
                                + "', which is not the id of an earlier check step");
                    }
                }
            }
            if (step.kind() == Step.Kind.CHECK && step.id() != null) {
                checkIds.add(step.id());
            }
        }
    }
}
