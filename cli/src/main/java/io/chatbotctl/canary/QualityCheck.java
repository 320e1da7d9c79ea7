package io.chatbotctl.canary;

/** Answer quality of the canary, checked before each interval is judged (the eval in the loop). */
@FunctionalInterface
public interface QualityCheck {
    /** @param interval the interval's index, 1-based */
    EvalEvidence check(int interval) throws InterruptedException;
}
