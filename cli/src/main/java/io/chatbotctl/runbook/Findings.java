package io.chatbotctl.runbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The findings of the checks run so far, by step id; decides the {@code when}/{@code unless} conditions. */
final class Findings {
    static final String ANY = "any";
    static final String NONE = "none";

    private final Map<String, List<Finding>> byStep = new LinkedHashMap<>();

    void put(String stepId, List<Finding> findings) {
        byStep.put(stepId, List.copyOf(findings));
    }

    List<Finding> all() {
        List<Finding> all = new ArrayList<>();
        byStep.values().forEach(all::addAll);
        return all;
    }

    /** True when every step named found one of its codes; a step that did not run matches nothing. */
    boolean allMatch(Map<String, List<String>> condition) {
        return condition.entrySet().stream().allMatch(e -> !matching(e.getKey(), e.getValue()).isEmpty()
                || (e.getValue().contains(NONE) && ran(e.getKey()) && problems(e.getKey()).isEmpty()));
    }

    boolean anyMatch(Map<String, List<String>> condition) {
        return condition.entrySet().stream().anyMatch(e -> !matching(e.getKey(), e.getValue()).isEmpty()
                || (e.getValue().contains(NONE) && ran(e.getKey()) && problems(e.getKey()).isEmpty()));
    }

    /** The findings a condition selects: the objects a show or act step works on. */
    List<Finding> selectedBy(Map<String, List<String>> condition) {
        List<Finding> selected = new ArrayList<>();
        if (condition == null) {
            all().stream().filter(Finding::problem).forEach(selected::add);
        } else {
            condition.forEach((step, codes) -> selected.addAll(matching(step, codes)));
        }
        return selected;
    }

    private boolean ran(String stepId) {
        return byStep.containsKey(stepId);
    }

    private List<Finding> problems(String stepId) {
        return byStep.getOrDefault(stepId, List.of()).stream().filter(Finding::problem).toList();
    }

    private List<Finding> matching(String stepId, List<String> codes) {
        return byStep.getOrDefault(stepId, List.of()).stream()
                .filter(f -> codes.contains(f.code()) || (codes.contains(ANY) && f.problem()))
                .toList();
    }
}
