package io.chatbotctl.core;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes: {@code 16MiB}, {@code 1GB}, {@code 512k}, {@code 1024}. Binary units (KiB) are powers of 1024, SI (KB) of 1000. */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtT]?)(i?)([bB]?)");

    private Sizes() {}

    public static long parseBytes(String text) {
        String s = text == null ? "" : text.trim();
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new InvalidInputException("invalid size '" + text + "'", "write it like 16MiB, 1GB or 1048576");
        }
        double value = Double.parseDouble(m.group(1));
        String prefix = m.group(2).toUpperCase(Locale.ROOT);
        boolean binary = !m.group(3).isEmpty() || (m.group(4).isEmpty() && !prefix.isEmpty());
        int power = switch (prefix) {
            case "" -> 0;
            case "K" -> 1;
            case "M" -> 2;
            case "G" -> 3;
            case "T" -> 4;
            default -> throw new IllegalStateException(prefix);
        };
        return (long) (value * Math.pow(binary ? 1024 : 1000, power));
    }

    /** Binary units with one decimal: {@code 1.5 GiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
