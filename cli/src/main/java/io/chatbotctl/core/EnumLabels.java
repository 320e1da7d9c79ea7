package io.chatbotctl.core;

import java.util.Locale;

/**
 * Enum constants are spelled UPPER_SNAKE in code; what users see in JSON, YAML and tables is documented and stable, so
 * an enum whose output spelling differs returns one of these from its {@code @JsonValue toString()}.
 */
public final class EnumLabels {
    private EnumLabels() {
    }

    /** {@code ERROR} → {@code error}, {@code NO_DATA} → {@code no_data}. */
    public static String lower(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** {@code NO_DATA} → {@code NoData}, {@code PASS} → {@code Pass}. */
    public static String pascal(Enum<?> constant) {
        StringBuilder label = new StringBuilder();
        for (String word : constant.name().split("_")) {
            label.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return label.toString();
    }
}
