package io.chatbotctl.sim;

import io.chatbotctl.core.InvalidInputException;

import java.util.Random;

/** A number of tokens, fixed ({@code 128}) or drawn uniformly from a range ({@code 64-256}). */
public record TokenRange(int min, int max) {
    public TokenRange {
        if (min < 1 || max < min) {
            throw new InvalidInputException("invalid token range " + min + "-" + max,
                    "write a positive number like 128 or a range like 64-256");
        }
    }

    public static TokenRange parse(String text) {
        String s = text.trim();
        try {
            int dash = s.indexOf('-');
            if (dash < 0) {
                int n = Integer.parseInt(s);
                return new TokenRange(n, n);
            }
            return new TokenRange(Integer.parseInt(s.substring(0, dash).trim()),
                    Integer.parseInt(s.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("invalid token count '" + text + "'",
                    "write a positive number like 128 or a range like 64-256");
        }
    }

    int draw(Random random) {
        return min == max ? min : min + random.nextInt(max - min + 1);
    }

    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
