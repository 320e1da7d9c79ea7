package io.chatbotctl.loadtest;

/** How an open-loop run spaces its requests. */
public enum Arrival {
    /** Exactly {@code 1/rate} apart. */
    CONSTANT,
    /** Exponentially distributed gaps with mean {@code 1/rate} (a Poisson process), from a seeded generator. */
    POISSON;

    /** {@code --arrival}'s value: {@code poisson} or {@code constant}. */
    public static Arrival parse(String text) {
        for (Arrival a : values()) {
            if (a.name().equalsIgnoreCase(text)) {
                return a;
            }
        }
        throw new io.chatbotctl.core.InvalidInputException("--arrival must be poisson or constant, not '" + text + "'");
    }
}
