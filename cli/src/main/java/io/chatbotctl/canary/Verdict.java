package io.chatbotctl.canary;

/** One interval's verdict. Inconclusive means not enough data to decide; it never counts as a pass. */
public enum Verdict {
    Pass, Marginal, Fail, Inconclusive
}
