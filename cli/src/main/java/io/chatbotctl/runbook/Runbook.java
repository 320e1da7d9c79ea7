package io.chatbotctl.runbook;

import java.util.List;

/**
 * A runbook as written in {@code runbooks/NAME.yaml}: what it is for and its ordered steps.
 *
 * @param name      the name given to {@code chatbotctl runbook NAME}
 * @param title     one line
 * @param whenToUse the symptoms that should make someone run it
 * @param steps     run in order; each may be skipped by its conditions
 */
public record Runbook(String name, String title, String whenToUse, List<Step> steps) {
}
