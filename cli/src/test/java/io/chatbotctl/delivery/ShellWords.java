package io.chatbotctl.delivery;

import java.util.ArrayList;
import java.util.List;

/** Splits one line of shell into words: single and double quotes, backslash escapes, operators as own words. */
final class ShellWords {
    private ShellWords() {}

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (c == '#' && word == null) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '|' || c == '&' || c == ';' || c == '>' || c == '<') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                StringBuilder op = new StringBuilder().append(c);
                while (i + 1 < line.length() && "|&>".indexOf(line.charAt(i + 1)) >= 0) {
                    op.append(line.charAt(++i));
                }
                words.add(op.toString());
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
