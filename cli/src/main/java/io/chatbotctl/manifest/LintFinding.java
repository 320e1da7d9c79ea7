package io.chatbotctl.manifest;

/**
 * One result of one check.
 *
 * @param check    the check's id, e.g. {@code model-fits}
 * @param severity error, warning or info (info = the check passed, with what it measured)
 * @param object   {@code Kind/name} the finding is about
 * @param message  what was found, with numbers and units
 */
public record LintFinding(String check, Severity severity, String object, String message) {
}
