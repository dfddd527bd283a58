package io.sair.job.report;

import java.util.Base64;
import java.util.List;
import java.util.Set;

/** A self-contained HTML page built as text: escaped content, inline CSS, PNGs embedded as data URIs. */
final class Html {

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1200px;\
            color:#222;padding:0 1em}
            h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            .sub{color:#666;margin-top:0}
            table{border-collapse:collapse;margin:.8em 0;font-size:14px}
            th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
            th{background:#f3f3f3}td.l,th.l{text-align:left}
            tr.bad td{background:#fdecea}
            figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}
            figcaption{color:#666;font-size:13px}
            .scroll{max-height:480px;overflow:auto;border:1px solid #eee}
            code{background:#f6f6f6;padding:1px 4px}
            """;

    private final StringBuilder sb = new StringBuilder();

    Html(String title) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>").append(CSS).append("</style></head>\n<body>\n");
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    Html h1(String text) {
        return tag("h1", text);
    }

    Html h2(String text) {
        return tag("h2", text);
    }

    Html p(String text) {
        return tag("p", text);
    }

    Html sub(String text) {
        sb.append("<p class=\"sub\">").append(esc(text)).append("</p>\n");
        return this;
    }

    /** Raw HTML that the caller built from escaped parts (or a trusted renderer's output). */
    Html raw(String html) {
        sb.append(html).append('\n');
        return this;
    }

    Html image(byte[] png, String alt, String caption) {
        sb.append("<figure><img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">");
        if (caption != null) {
            sb.append("<figcaption>").append(esc(caption)).append("</figcaption>");
        }
        sb.append("</figure>\n");
        return this;
    }

    /**
     * A table; columns in {@code textColumns} are left-aligned (numbers stay right-aligned); a row whose
     * flag in {@code bad} is set is highlighted (null: none).
     */
    Html table(List<String> header, List<List<String>> rows, Set<Integer> textColumns, List<Boolean> bad, boolean scroll) {
        if (scroll) {
            sb.append("<div class=\"scroll\">");
        }
        sb.append("<table><thead><tr>");
        for (int i = 0; i < header.size(); i++) {
            sb.append(textColumns.contains(i) ? "<th class=\"l\">" : "<th>").append(esc(header.get(i))).append("</th>");
        }
        sb.append("</tr></thead><tbody>\n");
        for (int r = 0; r < rows.size(); r++) {
            sb.append(bad != null && bad.get(r) ? "<tr class=\"bad\">" : "<tr>");
            List<String> row = rows.get(r);
            for (int i = 0; i < row.size(); i++) {
                sb.append(textColumns.contains(i) ? "<td class=\"l\">" : "<td>").append(esc(row.get(i))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody></table>");
        if (scroll) {
            sb.append("</div>");
        }
        sb.append('\n');
        return this;
    }

    private Html tag(String tag, String text) {
        sb.append('<').append(tag).append('>').append(esc(text)).append("</").append(tag).append(">\n");
        return this;
    }

    String render() {
        return sb + "</body></html>\n";
    }
}
