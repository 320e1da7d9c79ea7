package io.chatbotctl.canary;

/** Which way a metric goes when the canary is worse. */
public enum Direction {
    /** Higher is worse (latency, errors, queue). */
    increase,
    /** Lower is worse (throughput, success rate). */
    decrease
}
