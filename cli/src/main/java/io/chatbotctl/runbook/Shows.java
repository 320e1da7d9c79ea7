package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The built-in views. */
final class Shows {
    private Shows() {}

    static final Map<String, Show> ALL = Map.of(
            "previous-logs", Shows::servingLogs,
            "init-logs", Shows::initLogs,
            "events", Shows::events,
            "describe", new Describe(),
            "nvidia-smi", new NvidiaSmi(),
            "memory", new HostMemory(),
            "config", Shows::config,
            "traffic", Shows::traffic);

    /** The pods a step is about: {@code --pod}, else those of the selected findings. */
    static Set<String> pods(RunContext context, List<Finding> selected) {
        Set<String> pods = new LinkedHashSet<>();
        if (context.options.pod() != null) {
            pods.add(context.options.pod());
        } else {
            selected.stream().filter(f -> f.kind().equals("pod")).forEach(f -> pods.add(f.name()));
        }
        return pods;
    }

    static Pod pod(RunContext context, String name) {
        return context.client.pods().inNamespace(context.namespace).withName(name).get();
    }

    private static List<String> servingLogs(RunContext context, Map<String, Object> params, List<Finding> selected) {
        int lines = (int) Params.number(params, "lines", 40);
        List<String> out = new ArrayList<>();
        for (String name : pods(context, selected)) {
            Pod pod = pod(context, name);
            if (pod == null) {
                continue;
            }
            for (ContainerStatus status : Workload.containerStatuses(pod)) {
                boolean previous = status.getRestartCount() != null && status.getRestartCount() > 0;
                out.add("$ kubectl -n " + context.namespace + " logs " + name + " -c " + status.getName()
                        + (previous ? " --previous" : "") + " --tail=" + lines);
                String log = Containers.log(context, name, status.getName(), previous, lines);
                out.addAll(log.isEmpty() ? List.of("(no log)") : LogPatterns.lines(log));
            }
        }
        return out;
    }

    private static List<String> initLogs(RunContext context, Map<String, Object> params, List<Finding> selected) {
        int lines = (int) Params.number(params, "lines", 40);
        List<String> out = new ArrayList<>();
        for (String name : pods(context, selected)) {
            Pod pod = pod(context, name);
            if (pod == null) {
                continue;
            }
            for (ContainerStatus status : Workload.initStatuses(pod)) {
                boolean previous = status.getRestartCount() != null && status.getRestartCount() > 0
                        && status.getState() != null && status.getState().getTerminated() == null;
                out.add("$ kubectl -n " + context.namespace + " logs " + name + " -c " + status.getName()
                        + (previous ? " --previous" : "") + " --tail=" + lines);
                String log = Containers.log(context, name, status.getName(), previous, lines);
                out.addAll(log.isEmpty() ? List.of("(no log)") : LogPatterns.lines(log));
            }
        }
        return out;
    }

    private static List<String> events(RunContext context, Map<String, Object> params, List<Finding> selected) {
        var all = Events.inNamespace(context);
        List<String> out = new ArrayList<>();
        for (String name : pods(context, selected)) {
            out.add("$ kubectl -n " + context.namespace + " events --for pod/" + name);
            var events = Events.of(all, "Pod", name);
            if (events.isEmpty()) {
                out.add("(no events)");
            }
            events.forEach(e -> out.add(Events.format(e)));
        }
        return out;
    }

    private static List<String> config(RunContext context, Map<String, Object> params, List<Finding> selected) {
        ConfigMap map = ConfigMaps.serving(context);
        List<String> out = new ArrayList<>();
        if (map == null) {
            out.add("(no ConfigMap " + context.names.configMap() + " in " + context.namespace + ")");
            return out;
        }
        out.add("$ kubectl -n " + context.namespace + " get configmap " + map.getMetadata().getName() + " -o yaml");
        if (map.getData() != null) {
            map.getData().forEach((k, v) -> out.add(k + ": " + v));
        }
        return out;
    }

    private static List<String> traffic(RunContext context, Map<String, Object> params, List<Finding> selected) {
        List<String> out = new ArrayList<>();
        String window = Params.promRange(Params.duration(params, "window", java.time.Duration.ofMinutes(5)));
        String promql = "sort_desc(sum by (handler, status) (rate(http_requests_total{" + Params.selector(params, context)
                + "}[" + window + "])))";
        out.add("$ promql " + promql);
        var samples = context.prometheus().query(promql, context.clock.instant());
        if (samples.isEmpty()) {
            out.add("(no http_requests_total series)");
        }
        samples.stream().limit(10).forEach(s -> out.add(String.format(Locale.ROOT, "%-28s %-5s %8.2f req/s",
                s.labels().getOrDefault("handler", "?"), s.labels().getOrDefault("status", "?"), s.value())));
        out.add("Sources: compare with the ingress/ALB access logs grouped by client IP or API key, the request rate");
        out.add("before the alert (a new client or a retry storm?) and prompt lengths (vllm:request_prompt_tokens).");
        return out;
    }
}
