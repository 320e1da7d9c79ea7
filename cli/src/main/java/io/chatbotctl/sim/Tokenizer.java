package io.chatbotctl.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic approximation of Llama 3's tokenizer, the same for prompts, answers, {@code usage} and
 * {@code /tokenize}. Text splits into runs of one kind; a single space before a run belongs to the run:
 * <ul>
 *   <li>ASCII letters: one token per 6 letters (Llama 3 keeps most common English words whole: about 1.2 tokens
 *   per word, 4 characters per token with the spaces and punctuation);</li>
 *   <li>digits: one token per 3 digits (Llama 3 splits numbers into groups of 3);</li>
 *   <li>other letters (Hangul, CJK, accented): one token per 2 characters;</li>
 *   <li>punctuation and symbols: one token each;</li>
 *   <li>other whitespace (newlines, several spaces): one token per run.</li>
 * </ul>
 * Chat prompts add Llama 3's template: 1 token {@code <|begin_of_text|>}, 5 per message (header and
 * {@code <|eot_id|>}) and 4 for the assistant header that starts the answer. Text prompts add 1 (begin of text).
 * Concatenating the pieces gives back the text exactly. Token ids are stable hashes of the pieces.
 */
public final class Tokenizer {
    public static final int BEGIN_OF_TEXT = 128000;
    static final int START_HEADER = 128006;
    static final int END_HEADER = 128007;
    static final int END_OF_TURN = 128009;
    static final int DOUBLE_NEWLINE = 271;
    static final int VOCABULARY = 128000;

    private Tokenizer() {}

    private interface PieceSink {
        void piece(String text, int start, int end);
    }

    /** The number of tokens of plain text (no template, no begin-of-text). */
    public static int count(String text) {
        int[] n = {0};
        split(text, (t, s, e) -> n[0]++);
        return n[0];
    }

    /** The token texts of plain text; joined, they give the text back. */
    public static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        split(text, (t, s, e) -> out.add(t.substring(s, e)));
        return out;
    }

    /** Token ids of plain text. */
    public static List<Integer> ids(String text) {
        List<Integer> out = new ArrayList<>();
        split(text, (t, s, e) -> out.add(id(t, s, e)));
        return out;
    }

    /** Prompt tokens of a chat request: Llama 3's template around the messages' contents. */
    public static int countChat(List<ChatMessage> messages) {
        int n = 1 + 4;
        for (ChatMessage m : messages) {
            n += 5 + count(m.content());
        }
        return n;
    }

    /** Prompt tokens of a text completion: begin-of-text and the prompt. */
    public static int countPrompt(String prompt) {
        return 1 + count(prompt);
    }

    public static List<Integer> encodeChat(List<ChatMessage> messages) {
        List<Integer> ids = new ArrayList<>();
        ids.add(BEGIN_OF_TEXT);
        for (ChatMessage m : messages) {
            header(ids, m.role());
            ids.addAll(ids(m.content()));
            ids.add(END_OF_TURN);
        }
        header(ids, "assistant");
        return ids;
    }

    public static List<Integer> encodePrompt(String prompt) {
        List<Integer> ids = new ArrayList<>();
        ids.add(BEGIN_OF_TEXT);
        ids.addAll(ids(prompt));
        return ids;
    }

    private static void header(List<Integer> ids, String role) {
        ids.add(START_HEADER);
        ids.add(id(role, 0, role.length()));
        ids.add(END_HEADER);
        ids.add(DOUBLE_NEWLINE);
    }

    private static int id(String text, int start, int end) {
        int h = 0x811c9dc5;
        for (int i = start; i < end; i++) {
            h = (h ^ text.charAt(i)) * 0x01000193;
        }
        return Math.floorMod(h, VOCABULARY);
    }

    private enum Kind { SPACE, ASCII_LETTER, DIGIT, LETTER, SYMBOL }

    private static Kind kind(int cp) {
        if (Character.isWhitespace(cp)) {
            return Kind.SPACE;
        }
        if (cp < 128 && Character.isLetter(cp)) {
            return Kind.ASCII_LETTER;
        }
        if (Character.isDigit(cp)) {
            return Kind.DIGIT;
        }
        if (Character.isLetter(cp) || Character.getType(cp) == Character.NON_SPACING_MARK) {
            return Kind.LETTER;
        }
        return Kind.SYMBOL;
    }

    private static int perToken(Kind kind) {
        return switch (kind) {
            case ASCII_LETTER -> 6;
            case DIGIT -> 3;
            case LETTER -> 2;
            default -> 1;
        };
    }

    private static void split(String text, PieceSink sink) {
        int i = 0;
        int len = text.length();
        while (i < len) {
            int start = i;
            int cp = text.codePointAt(i);
            Kind kind = kind(cp);
            if (kind == Kind.SPACE) {
                int j = i;
                while (j < len && kind(text.codePointAt(j)) == Kind.SPACE) {
                    j += Character.charCount(text.codePointAt(j));
                }
                boolean wordFollows = j < len && text.charAt(j - 1) == ' ';
                int spaceEnd = wordFollows ? j - 1 : j;
                if (spaceEnd > i) {
                    sink.piece(text, i, spaceEnd);
                }
                if (!wordFollows) {
                    i = j;
                    continue;
                }
                start = j - 1;
                i = j;
                cp = text.codePointAt(i);
                kind = kind(cp);
            }
            int per = perToken(kind);
            int inPiece = 0;
            while (i < len) {
                int c = text.codePointAt(i);
                if (kind(c) != kind) {
                    break;
                }
                if (inPiece == per) {
                    sink.piece(text, start, i);
                    start = i;
                    inPiece = 0;
                }
                i += Character.charCount(c);
                inPiece++;
            }
            sink.piece(text, start, i);
        }
    }
}
