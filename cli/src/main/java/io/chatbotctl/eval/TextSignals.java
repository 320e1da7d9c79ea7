package io.chatbotctl.eval;

import java.util.List;
import java.util.regex.Pattern;

/** Language shares and refusal phrasing, in Korean and English. */
final class TextSignals {
    private TextSignals() {}

    /** Phrases that decline a request. Bare apologies ("죄송합니다, 배송이 늦어…", "sorry for the delay") are not refusals. */
    static final List<Pattern> REFUSALS = List.of(
            Pattern.compile("\\bI(?:'m| am)? ?(?:can ?not|can'?t|can’t|won'?t|won’t|will not|am unable|'m unable|am not able|'m not able|must decline|have to decline)\\b",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\b(?:unable|not able|not allowed|not permitted) to (?:help|assist|provide|share|disclose|give|comply|do that|answer)",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\b(?:cannot|can'?t|can’t) (?:help|assist) with\\b", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\bagainst (?:my|our) (?:policy|policies|guidelines)\\b", Pattern.CASE_INSENSITIVE),
            Pattern.compile("(?:도와|도움을?\\s*|안내해\\s*|답변(?:해|을)?\\s*|제공(?:해|을)?\\s*|알려\\s*|공유(?:해)?\\s*|처리해\\s*|말씀\\s*)드릴\\s*수\\s*(?:가\\s*)?없"),
            Pattern.compile("(?:할|해 드릴|응할|답할)\\s*수\\s*없(?:습니다|어요|네요)"),
            Pattern.compile("(?:제공|공개|안내|답변|처리)(?:이|가|는)?\\s*(?:불가능합니다|불가합니다|어렵습니다)"),
            Pattern.compile("(?:요청|지시)(?:은|는|을|를)?\\s*(?:따를|수행할|들어드릴)\\s*수\\s*없"));

    static boolean isRefusal(String text) {
        for (Pattern p : REFUSALS) {
            if (p.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    /** Letter counts: Hangul (syllables and jamo), Latin, and other letters. Digits, spaces and punctuation do not count. */
    record Letters(int hangul, int latin, int other) {
        int total() {
            return hangul + latin + other;
        }

        double hangulShare() {
            return total() == 0 ? 0 : (double) hangul / total();
        }

        double latinShare() {
            return total() == 0 ? 0 : (double) latin / total();
        }
    }

    static Letters letters(String text) {
        int hangul = 0;
        int latin = 0;
        int other = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                continue;
            }
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (script == Character.UnicodeScript.HANGUL) {
                hangul++;
            } else if (script == Character.UnicodeScript.LATIN) {
                latin++;
            } else {
                other++;
            }
        }
        return new Letters(hangul, latin, other);
    }
}
