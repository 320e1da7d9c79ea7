package io.chatbotctl.runbook;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A runbook as text (for a terminal) or Markdown (for a wiki): {@code chatbotctl runbook show NAME [--markdown]}. */
public record RunbookText(String name, String title, String whenToUse, List<Step> steps, String text) {

    public static RunbookText of(Runbook runbook, boolean markdown) {
        return new RunbookText(runbook.name(), runbook.title(), runbook.whenToUse(), runbook.steps(),
                markdown ? markdown(runbook) : plain(runbook));
    }

    @Override
    public String toString() {
        return text;
    }

    private static String plain(Runbook r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.name()).append(": ").append(r.title()).append("\n\n");
        if (r.whenToUse() != null) {
            sb.append("When to use: ").append(r.whenToUse()).append("\n\n");
        }
        int n = 0;
        for (Step s : r.steps()) {
            n++;
            sb.append(String.format("%2d. %-5s %s%n", n, s.kind(), s.label().strip()));
            String condition = condition(s);
            if (!condition.isEmpty()) {
                sb.append("          ").append(condition).append('\n');
            }
        }
        return sb.toString();
    }

    private static String markdown(Runbook r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.title()).append("\n\n`chatbotctl runbook ").append(r.name()).append("`\n\n");
        if (r.whenToUse() != null) {
            sb.append("**When to use:** ").append(r.whenToUse()).append("\n\n");
        }
        int n = 0;
        for (Step s : r.steps()) {
            n++;
            String label = s.kind() == Step.Kind.NOTE && s.title() == null ? "" : " " + s.label().strip();
            sb.append(n).append(". **").append(s.kind()).append("**").append(s.target() == null ? "" : " `" + s.target() + "`")
                    .append(label.isEmpty() ? "" : " —" + label);
            String condition = condition(s);
            if (!condition.isEmpty()) {
                sb.append(" _(").append(condition).append(")_");
            }
            sb.append('\n');
            if (s.kind() == Step.Kind.NOTE) {
                sb.append("   > ").append(s.note().strip()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String condition(Step s) {
        StringBuilder sb = new StringBuilder();
        if (s.when() != null) {
            sb.append("when ").append(format(s.when()));
        }
        if (s.unless() != null) {
            sb.append(sb.isEmpty() ? "" : "; ").append("unless ").append(format(s.unless()));
        }
        if (s.stops()) {
            sb.append(sb.isEmpty() ? "" : "; ").append("then stop");
        }
        return sb.toString();
    }

    private static String format(Map<String, List<String>> condition) {
        return condition.entrySet().stream().map(e -> e.getKey() + " found " + String.join("|", e.getValue()))
                .collect(Collectors.joining(" and "));
    }
}
