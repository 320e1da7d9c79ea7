package io.chatbotctl.openai;

import io.chatbotctl.core.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Extra request headers as {@code -H 'NAME: VALUE'} gives them (e.g. {@code X-Canary: always} to reach a canary). */
public final class HeaderOptions {
    private HeaderOptions() {
    }

    /** The headers in the order given; a later one of the same name wins. */
    public static Map<String, String> parse(List<String> options) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String h : options) {
            int colon = h.indexOf(':');
            if (colon <= 0 || h.substring(0, colon).isBlank()) {
                throw new InvalidInputException("invalid --header '" + h + "'", "write it like 'X-Canary: always'");
            }
            map.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        return map;
    }
}
