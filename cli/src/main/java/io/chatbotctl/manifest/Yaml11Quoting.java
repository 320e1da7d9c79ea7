package io.chatbotctl.manifest;

import java.util.regex.Pattern;

/**
 * Quotes every string a YAML 1.1 reader (go-yaml in kubectl, SnakeYAML) would take for a number, boolean, null or
 * timestamp, as kustomize does: {@code "8.03e9"}, {@code "1_000"}, {@code "y"}, {@code "0755"} stay strings.
 */
final class Yaml11Quoting {
    private Yaml11Quoting() {}

    private static final Pattern IMPLICIT = Pattern.compile(String.join("|",
            "[-+]?(?:[0-9][0-9_]*(?:\\.[0-9_]*)?|\\.[0-9_]+)(?:[eE][-+]?[0-9]+)?",
            "[-+]?0b[0-1_]+", "[-+]?0x[0-9a-fA-F_]+", "[-+]?0o?[0-7_]+", "[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+",
            "[-+]?\\.(?:inf|Inf|INF)", "\\.(?:nan|NaN|NAN)",
            "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
            "~|null|Null|NULL",
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?",
            "=|<<"));

    static boolean looksImplicit(String value) {
        if (value.isEmpty()) {
            return true;
        }
        char c = value.charAt(0);
        if (!(Character.isDigit(c) || "+-.~=<yYnNtTfFoO".indexOf(c) >= 0)) {
            return false;
        }
        return IMPLICIT.matcher(value).matches() && !value.equals(".") && !value.equals("_");
    }
}
