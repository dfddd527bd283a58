package io.sair.core.policy.llm;

import java.util.Locale;

/**
 * Makes data safe to put in a prompt: names keep only [A-Za-z0-9._-] and at most 63 characters, so a
 * metric record cannot start a new line, open a quote or brace, or pose as an instruction block; numbers
 * have bounded precision and length, and a non-finite number reads "n/a".
 */
public final class PromptText {

    public static final int MAX_NAME = 63;
    private static final String NOT_AVAILABLE = "n/a";
    /** Beyond this magnitude fixed-point notation would run long, so scientific notation takes over. */
    private static final double FIXED_LIMIT = 1e9;

    private PromptText() {
    }

    /** Every other character becomes '_', the result is cut at 63 characters; null or empty gives "_". */
    public static String name(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "_";
        }
        int n = Math.min(raw.length(), MAX_NAME);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-';
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }

    /** A number with at most {@code decimals} decimals, or "n/a". */
    public static String num(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return NOT_AVAILABLE;
        }
        if (Math.abs(v) >= FIXED_LIMIT) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        // "-0" and "-0.0" read like a sign that is not there.
        return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
    }

    /** A share in [0,1] as a percentage with one decimal, e.g. 0.783 -> "78.3%". */
    public static String percent(double share) {
        String n = num(share * 100, 1);
        return n.equals(NOT_AVAILABLE) ? n : n + "%";
    }

    /** A reward with its sign, e.g. "+0.85". */
    public static String signed(double v) {
        String n = num(v, 2);
        return Double.isFinite(v) && v >= 0 ? "+" + n : n;
    }

    /** Free text made single-line: control and format characters become spaces, runs of spaces shrink, cut at max. */
    public static String line(String raw, int max) {
        if (raw == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), max));
        boolean space = false;
        for (int i = 0; i < raw.length() && sb.length() < max; i++) {
            char c = raw.charAt(i);
            boolean blank = Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.isWhitespace(c) || Character.isSurrogate(c) && !validSurrogate(raw, i);
            if (blank) {
                if (!space && sb.length() > 0) {
                    sb.append(' ');
                }
                space = true;
            } else {
                sb.append(c);
                space = false;
            }
        }
        String s = sb.toString().strip();
        // Never end on half of a surrogate pair.
        return !s.isEmpty() && Character.isHighSurrogate(s.charAt(s.length() - 1)) ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
