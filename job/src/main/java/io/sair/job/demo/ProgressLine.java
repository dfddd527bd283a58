package io.sair.job.demo;

import io.sair.core.model.Allocation;
import io.sair.core.model.StageKind;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The demo's live line: one per round, rewritten in place on a terminal, one line each otherwise
 * (a log file or a pipe keeps every round).
 */
public final class ProgressLine {

    private final PrintStream out;
    private final boolean inPlace;
    private int lastLength;

    public ProgressLine(PrintStream out, boolean inPlace) {
        this.out = out;
        this.inPlace = inPlace;
    }

    /** A round's line; {@code surges} is how many fast-path decisions the plant applied since the last round. */
    public void round(RoundRow r, int rounds, double staticP99Ms, int surges) {
        show(format(r, rounds, staticP99Ms, surges));
    }

    public void missing(int round, int rounds, long waitedSeconds) {
        show(String.format(Locale.ROOT, "round %d/%d  no decision within %d s (the job is still starting or busy)", round,
                rounds, waitedSeconds));
    }

    /** Ends the in-place line so that what follows starts on its own line. */
    public void finish() {
        if (inPlace && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
    }

    static String format(RoundRow r, int rounds, double staticP99Ms, int surges) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "round %2d/%d  t=%5.1f min  p99 %6.0f ms %s SLA %.0f",
                r.round(), rounds, r.simMinutes(), r.p99Ms(), r.slaMet() ? "<=" : "> ", r.slaMs()));
        if (Double.isFinite(staticP99Ms)) {
            sb.append(String.format(Locale.ROOT, " (static %.0f)", staticP99Ms));
        }
        sb.append(String.format(Locale.ROOT, "  $%.2f/h  ", r.costPerHour()));
        for (int i = 0; i < r.stages().size(); i++) {
            Allocation a = r.next().get(i);
            sb.append(r.stages().get(i)).append(' ').append(a.replicas()).append('x');
            if (r.kinds().get(i) == StageKind.GPU) {
                sb.append(String.format(Locale.ROOT, "@%.2f", a.rate()));
            }
            sb.append("  ");
        }
        sb.append(r.selector());
        if (!Double.isNaN(r.reward())) {
            sb.append(String.format(Locale.ROOT, "  reward %+.2f", r.reward()));
        }
        if (surges > 0) {
            sb.append(String.format(Locale.ROOT, "  +%d surge%s", surges, surges == 1 ? "" : "s"));
        }
        return sb.toString();
    }

    private void show(String line) {
        if (inPlace) {
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }
}
