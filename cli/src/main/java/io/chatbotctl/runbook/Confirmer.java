package io.chatbotctl.runbook;

/** Asks the person at the terminal before an action. */
@FunctionalInterface
public interface Confirmer {
    /** @return true only for an explicit yes */
    boolean confirm(String question);

    /** No one to ask: actions are proposed, not done. */
    Confirmer NOBODY = question -> false;
}
