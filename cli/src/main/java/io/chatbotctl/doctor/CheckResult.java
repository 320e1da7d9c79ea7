package io.chatbotctl.doctor;

/**
 * One check's outcome.
 *
 * @param group    Access, GPU capacity, Metrics, Autoscaling, Traffic, Spot, Model and proxy, End to end
 * @param check    stable identifier, e.g. {@code gpu-nodes} (docs/doctor.md lists them)
 * @param status   ok, warn or fail
 * @param evidence what the probe saw: names, counts, conditions, answers
 * @param fix      what to do when not ok; null when ok
 */
public record CheckResult(String group, String check, Status status, String evidence, String fix) {

    public static CheckResult ok(String group, String check, String evidence) {
        return new CheckResult(group, check, Status.OK, evidence, null);
    }

    public static CheckResult warn(String group, String check, String evidence, String fix) {
        return new CheckResult(group, check, Status.WARN, evidence, fix);
    }

    public static CheckResult fail(String group, String check, String evidence, String fix) {
        return new CheckResult(group, check, Status.FAIL, evidence, fix);
    }
}
