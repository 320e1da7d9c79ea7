package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.Event;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Events of the namespace, filtered here (field selectors differ between API servers and test doubles). */
final class Events {
    private Events() {}

    static List<Event> inNamespace(RunContext context) {
        return context.client.v1().events().inNamespace(context.namespace).list().getItems();
    }

    static List<Event> of(List<Event> events, String kind, String name) {
        return events.stream().filter(e -> e.getInvolvedObject() != null
                        && kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing(e -> Objects.toString(e.getLastTimestamp(), "")))
                .toList();
    }

    static String format(Event e) {
        String count = e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : "";
        return Objects.toString(e.getLastTimestamp(), "") + " " + e.getType() + " " + e.getReason() + count + ": "
                + e.getMessage();
    }
}
