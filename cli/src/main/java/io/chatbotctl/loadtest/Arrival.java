package io.chatbotctl.loadtest;

/** How an open-loop run spaces its requests. */
public enum Arrival {
    /** Exactly {@code 1/rate} apart. */
    CONSTANT,
    /** Exponentially distributed gaps with mean {@code 1/rate} (a Poisson process), from a seeded generator. */
    POISSON
}
