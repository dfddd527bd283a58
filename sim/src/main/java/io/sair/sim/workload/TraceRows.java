package io.sair.sim.workload;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The lines of a trace file with their numbers, read with bounds (line length), and the checks of one
 * row's fields. Every problem is an IOException of one line, {@code name:LINE: problem}, that quotes at
 * most a short, printable part of the row: the CLI prints it as it is.
 */
final class TraceRows {

    /** Longer lines are not a CSV trace (a binary file, a file without line ends): refused, not buffered. */
    static final int MAX_LINE_CHARS = 4096;
    /** Ten million requests: 240 MB of trace arrays, more than the week-long public LLM traces hold. */
    static final int MAX_ROWS = 10_000_000;
    /** Timestamps at most 1e12 ms (about 31 years) after the first row. */
    static final double MAX_SPAN_MS = 1e12;
    /** One microsecond, the finest resolution of the date-time format. */
    static final double MIN_SPAN_MS = 1e-3;

    private final String name;
    private final Reader in;
    private final StringBuilder line = new StringBuilder();
    private final char[] buf = new char[8192];
    private int pos;
    private int len;
    private int lineNo;
    private boolean eof;

    TraceRows(String name, Reader in) {
        this.name = name;
        this.in = in;
    }

    /** The next line without its end, null at the end of the input. */
    String next() throws IOException {
        if (eof) {
            return null;
        }
        line.setLength(0);
        lineNo++;
        try {
            while (pos < len || fill()) {
                char c = buf[pos++];
                if (c == '\n') {
                    return stripCr();
                }
                if (line.length() == MAX_LINE_CHARS) {
                    throw problem("a line longer than " + MAX_LINE_CHARS + " characters; is this a CSV trace?");
                }
                line.append(c);
            }
        } catch (CharacterCodingException e) {
            throw problem("not UTF-8 text; is this a CSV trace?");
        }
        eof = true;
        return line.length() == 0 ? null : stripCr();
    }

    private boolean fill() throws IOException {
        len = in.read(buf);
        pos = 0;
        return len > 0;
    }

    private String stripCr() {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
    }

    IOException problem(String what) {
        return new IOException(name + ":" + lineNo + ": " + what);
    }

    /** A finite number; NaN, Infinity and numbers beyond double's range are refused. */
    double number(String s, String what) throws IOException {
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw problem(what + " " + quote(s) + " is not a number");
        }
        if (!Double.isFinite(v)) {
            throw problem(what + " " + quote(s) + " is not a finite number");
        }
        return v;
    }

    LocalDateTime dateTime(String s, DateTimeFormatter format) throws IOException {
        try {
            return LocalDateTime.parse(s, format);
        } catch (DateTimeParseException e) {
            throw problem("timestamp " + quote(s) + " is not a date-time like 2023-11-16 18:17:03.97996");
        }
    }

    /** The row's offset from the first row: finite, no earlier than the row before, within the maximum span. */
    void checkOffset(String ts, double offsetMs, double previousMs) throws IOException {
        if (!Double.isFinite(offsetMs) || offsetMs > MAX_SPAN_MS || offsetMs < -MAX_SPAN_MS) {
            throw problem("timestamp " + quote(ts) + " is more than " + (long) MAX_SPAN_MS
                    + " ms (about 31 years) from the first row's");
        }
        if (offsetMs < previousMs) {
            throw problem("timestamp " + quote(ts) + " is earlier than the row before; a trace must be in time order");
        }
    }

    /** A token count: finite, non-negative and at most {@link Trace#MAX_TOKENS}. */
    double tokens(String s, String column) throws IOException {
        double v = number(s, column);
        if (v < 0 || v > Trace.MAX_TOKENS) {
            throw problem(column + " " + quote(s) + " is outside 0.." + Trace.MAX_TOKENS);
        }
        return v;
    }

    /** At most 40 characters of {@code s}, quoted, control and other unprintable characters as '?'. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(s.length(), 40);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || Character.isISOControl(c) || !Character.isDefined(c) ? '?' : c);
        }
        return b.append(s.length() > n ? "...'" : "'").toString();
    }
}
