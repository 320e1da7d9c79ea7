package io.chatbotctl.runbook;

import java.time.Instant;
import java.util.List;

/**
 * What happened at one step.
 *
 * @param number   1-based position in the runbook
 * @param kind     check, show, note or act
 * @param title    the step's title
 * @param status   check: {@code ok} or {@code found}; show: {@code shown}; note: {@code noted}; act: {@code done},
 *                 {@code incomplete}, {@code declined}, {@code proposed} (no one to ask and no --yes),
 *                 {@code dry-run}, {@code refused} (safety), {@code not-needed}; any: {@code skipped}
 * @param at       when it ran
 * @param lines    what it found, showed, said or did
 * @param commands for an act: the kubectl commands that do the same
 */
public record StepRecord(int number, String kind, String title, String status, Instant at, List<String> lines,
                         List<String> commands) {
}
