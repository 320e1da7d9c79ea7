package io.chatbotctl.runbook;

import java.util.List;

/**
 * What an action would do.
 *
 * @param description one line: what changes
 * @param commands    the kubectl commands that do the same, for the transcript and for doing it by hand
 * @param warning     said before asking (e.g. outside the HPA's bounds); may be null
 * @param refusal     why it will not be done (safety); null when it may be
 * @param notNeeded   why there is nothing to do; null when there is
 * @param effect      applies it
 */
record Proposal(String description, List<String> commands, String warning, String refusal, String notNeeded, Effect effect) {

    /** Applies an action. */
    @FunctionalInterface
    interface Effect {
        Outcome apply();
    }

    /** @param complete false when part of it could not be done (an eviction refused by a PDB) */
    record Outcome(boolean complete, List<String> lines) {
        static Outcome done(String... lines) {
            return new Outcome(true, List.of(lines));
        }
    }

    static Proposal of(String description, List<String> commands, String warning, Effect effect) {
        return new Proposal(description, commands, warning, null, null, effect);
    }

    static Proposal refused(String description, String why) {
        return new Proposal(description, List.of(), null, why, null, null);
    }

    static Proposal nothingToDo(String why) {
        return new Proposal(why, List.of(), null, null, why, null);
    }
}
