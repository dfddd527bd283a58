package io.sair.core.policy;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.StageWindow;
import java.util.Arrays;

/**
 * What each stage has been seen to complete per second of busy time, per unit of capacity (a core of a CPU stage,
 * a GPU at rate 1.0), learned online from the rounds' windows: DS2's true processing rate, remembered. The fast
 * path sizes replicas with it where it needs fewer than the window in hand says. The window's rate is what the
 * <em>ready</em> pods completed: while pods ordered a moment ago start (15-60 s), the window shows the overload
 * still, against a replica count that already includes them, and sizing on it multiplied the order (text
 * generation's GPUs went 2 -> 4 -> 8 within 50 s on a ramp of 20 %). Where the window needs fewer, it knows better:
 * a batching stage serves more per busy second loaded than at the lighter loads most of its rounds ran.
 *
 * <p>A window teaches only when the stage's allocation has not changed for {@link #SETTLED_WINDOWS} windows before
 * it (its pods have had a start-up's time to serve) and it was busy enough to say something. The estimate is a
 * moving mean, so a batching GPU's rate follows the load it runs at.
 *
 * @param stages stage names, in the order of the other arrays
 * @param perUnit completions per busy second per capacity unit (0: not learned yet)
 * @param units the capacity units of the stage's last window ({@link Headroom#capacity})
 * @param settled how many windows in a row the stage has run those units
 */
public record StageCapacity(String[] stages, double[] perUnit, double[] units, int[] settled) {

    /** Windows at the same allocation before one teaches: a decision's pods are ready within a window and a start-up. */
    static final int SETTLED_WINDOWS = 2;

    /** The weight of a new window in the moving mean. */
    static final double ALPHA = 0.2;

    /** Below this busy share, or these completions, a window says too little of the stage's rate. */
    static final double MIN_BUSY = 0.1;
    static final long MIN_COMPLETIONS = 20;

    public StageCapacity {
        stages = stages == null ? new String[0] : stages;
        perUnit = perUnit == null ? new double[stages.length] : perUnit;
        units = units == null ? new double[stages.length] : units;
        settled = settled == null ? new int[stages.length] : settled;
        if (perUnit.length != stages.length || units.length != stages.length || settled.length != stages.length) {
            throw new IllegalArgumentException("the arrays of a StageCapacity differ in length");
        }
    }

    public static StageCapacity none() {
        return new StageCapacity(new String[0], new double[0], new double[0], new int[0]);
    }

    /** Completions per busy second per capacity unit learned for the stage, or 0 when none yet. */
    public double perUnit(String stage) {
        int i = indexOf(stages, stage);
        return i < 0 ? 0 : perUnit[i];
    }

    /** This record after a round's window. */
    public StageCapacity observe(PipelineContext ctx) {
        String[] s = stages;
        double[] rate = perUnit.clone();
        double[] u = units.clone();
        int[] n = settled.clone();
        for (StageWindow w : ctx.stages()) {
            int i = indexOf(s, w.stage());
            if (i < 0) {
                i = s.length;
                s = Arrays.copyOf(s, i + 1);
                s[i] = w.stage();
                rate = Arrays.copyOf(rate, i + 1);
                u = Arrays.copyOf(u, i + 1);
                n = Arrays.copyOf(n, i + 1);
                n[i] = -1;
            }
            double now = Headroom.capacity(w.kind(), w.allocation());
            if (Math.abs(now - u[i]) > 1e-9 || n[i] < 0) {
                u[i] = now;
                n[i] = 0;
                continue;
            }
            n[i] = Math.min(n[i] + 1, 1_000);
            double busy = Math.min(1.0, w.utilisation());
            if (n[i] >= SETTLED_WINDOWS && busy >= MIN_BUSY && w.completions() >= MIN_COMPLETIONS && now > 0) {
                double sample = w.completions() / (w.windowSeconds() * busy * now);
                rate[i] = rate[i] > 0 ? (1 - ALPHA) * rate[i] + ALPHA * sample : sample;
            }
        }
        return new StageCapacity(s, rate, u, n);
    }

    private static int indexOf(String[] names, String stage) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(stage)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageCapacity c && Arrays.equals(stages, c.stages) && Arrays.equals(perUnit, c.perUnit)
                && Arrays.equals(units, c.units) && Arrays.equals(settled, c.settled);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(stages) + Arrays.hashCode(perUnit)) + Arrays.hashCode(units))
                + Arrays.hashCode(settled);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StageCapacity[");
        for (int i = 0; i < stages.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(stages[i]).append('=').append(String.format(java.util.Locale.ROOT, "%.2f",
                    perUnit[i]));
        }
        return sb.append(']').toString();
    }
}
