package io.chatbotctl.proxy;

/**
 * A quick upper-leaning estimate of a text's tokens, for admitting a request before the upstream counts it exactly:
 * ASCII at four characters a token (English with Llama 3's tokenizer runs at about that), every other code point
 * (Korean, CJK, accents) a token of its own, plus a few tokens per chat message for the template. The real count
 * from the upstream's {@code usage} replaces the estimate when the request settles.
 */
final class TokenEstimate {
    static final int PER_MESSAGE = 4;

    private TokenEstimate() {}

    static int of(CharSequence text) {
        int ascii = 0;
        int other = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128) {
                ascii++;
            } else if (!Character.isLowSurrogate(c)) {
                other++;
            }
        }
        return (ascii + 3) / 4 + other;
    }
}
