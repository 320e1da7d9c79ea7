package io.chatbotctl.runbook;

/**
 * What a check found about one object.
 *
 * @param code     stable identifier conditions test, e.g. {@code cuda-oom}, {@code pending-gpu}
 * @param problem  whether it is something wrong (decides the exit code) or context (ready pods, on-demand capacity)
 * @param kind     kind of the object: {@code pod}, {@code node}, {@code hpa}, {@code pdb}, {@code deployment},
 *                 {@code prometheus}
 * @param name     the object's name
 * @param message  one line for a person
 * @param evidence the log line, event or value that proves it; may be null
 */
public record Finding(String code, boolean problem, String kind, String name, String message, String evidence) {

    public static Finding problem(String code, String kind, String name, String message, String evidence) {
        return new Finding(code, true, kind, name, message, evidence);
    }

    public static Finding info(String code, String kind, String name, String message) {
        return new Finding(code, false, kind, name, message, null);
    }
}
