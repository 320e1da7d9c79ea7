package io.chatbotctl.core;

/** Fractions written as {@code 1%} or {@code 0.01}; returned as a fraction in [0, 1]. */
public final class Percentages {
    private Percentages() {}

    public static double parseFraction(String text) {
        return checkRange(text, parseUnbounded(text));
    }

    /** The fraction {@code text} stands for, which may lie outside [0, 1]; not a number is an error. */
    public static double parseUnbounded(String text) {
        String s = text == null ? "" : text.trim();
        try {
            return s.endsWith("%") ? Double.parseDouble(s.substring(0, s.length() - 1).trim()) / 100
                    : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("invalid percentage '" + text + "'", "write it like 1% or 0.01");
        }
    }

    public static double checkRange(String text, double value) {
        if (value < 0 || value > 1 || Double.isNaN(value)) {
            throw new InvalidInputException("percentage '" + text + "' is outside 0%..100%");
        }
        return value;
    }
}
