package io.chatbotctl.proxy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks personal data in logged bodies: Korean resident registration numbers, card numbers, phone numbers, e-mail. */
final class PiiMask {
    private static final Pattern RRN = Pattern.compile("(?<!\\d)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])[- ]?[1-8]\\d{6}(?!\\d)");
    private static final Pattern CARD = Pattern.compile("(?<!\\d)(?:\\d[ -]?){12,18}\\d(?!\\d)");
    private static final Pattern PHONE = Pattern.compile("(?<![\\w+])(?:\\+\\d{1,3}[ .-]?)?(?:\\(?\\d{2,4}\\)?[ .-]?)\\d{3,4}[ .-]?\\d{4}(?!\\d)");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    private PiiMask() {}

    static String mask(String text) {
        String s = RRN.matcher(text).replaceAll("[RRN]");
        s = maskCards(s);
        s = PHONE.matcher(s).replaceAll("[PHONE]");
        return EMAIL.matcher(s).replaceAll("[EMAIL]");
    }

    /** Digit runs of 13 to 19 that pass the Luhn check (so order numbers and the like stay readable). */
    private static String maskCards(String s) {
        Matcher m = CARD.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String digits = m.group().replaceAll("[ -]", "");
            m.appendReplacement(out, luhn(digits) ? "[CARD]" : Matcher.quoteReplacement(m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}
