package io.sair.sim.bench;

import io.sair.sim.workload.RateShape;
import java.util.ArrayList;
import java.util.List;

/**
 * The load steps of a rate shape and how long an autoscaler took to have capacity for each.
 *
 * <p>A surge is found on the shape's rate r sampled every second: it is detected at the first second s where
 * {@code r(s) >= 1.24 r(s - 120 s)} (a rise of at least 24% within two minutes: every burst, flash crowd, upward
 * regime step (at least 25%) and diurnal spike, never the ramp's triangle (at most 23% in two minutes) or the
 * diurnal wave of a full-size run); it starts at the foot of the rise ({@link #FOOT}), ends
 * at the first second after s where the rate is back below 1.24 x its level at the start (or at the horizon), and
 * its peak is the highest rate in between. The next surge is looked for after this one ends.
 *
 * <p>Time to capacity: the first capacity sample at or after the surge's start whose capacity is at least the
 * surge's peak, minus the start (0 when the last sample before the start already had it). A surge whose end comes first is not
 * covered; it counts with its whole length (so the mean is a lower bound where some surges were not covered).
 */
final class Surges {

    static final double RISE = 1.24;
    static final long LOOKBACK_S = 120;
    /**
     * The foot of a rise: walking back from the detection, the rate still counts as rising while it grows by more
     * than 0.1% a second. Every crowd, spike and step rises faster (a flash crowd by at least 0.4% a second); the
     * diurnal wave of a full-size run slower (at most 0.04% a second), so a spike on the morning wave starts where
     * the spike does.
     */
    static final double FOOT = 0.001;

    record Surge(double startMs, double endMs, double peakRps) {
    }

    /** The run's time to capacity: surges, mean seconds to capacity over them (NaN without surges), how many were not covered. */
    record Outcome(int surges, double meanSecondsToCapacity, int uncovered) {
        static final Outcome NONE = new Outcome(0, Double.NaN, 0);
    }

    private Surges() {
    }

    static List<Surge> find(RateShape shape, double horizonMs) {
        List<Surge> out = new ArrayList<>();
        long last = (long) Math.floor(horizonMs / 1000);
        long s = LOOKBACK_S;
        while (s <= last) {
            if (shape.rate(s * 1000.0) < RISE * shape.rate((s - LOOKBACK_S) * 1000.0)) {
                s++;
                continue;
            }
            long start = s;
            while (start > 0 && shape.rate((start - 1) * 1000.0) < (1 - FOOT) * shape.rate(start * 1000.0)) {
                start--;
            }
            double base = shape.rate(start * 1000.0);
            double peak = base;
            long end = s;
            while (end <= last && shape.rate(end * 1000.0) >= RISE * base) {
                peak = Math.max(peak, shape.rate(end * 1000.0));
                end++;
            }
            out.add(new Surge(start * 1000.0, Math.min(end, last) * 1000.0, peak));
            s = end + 1;
        }
        return out;
    }

    /** @param tMs capacity sample times, ascending; @param capacityRps the capacity at each */
    static Outcome timeToCapacity(List<Surge> surges, double[] tMs, double[] capacityRps) {
        if (surges.isEmpty()) {
            return Outcome.NONE;
        }
        double sum = 0;
        int uncovered = 0;
        for (Surge sg : surges) {
            double took = Double.NaN;
            for (int i = 0; i < tMs.length; i++) {
                if (tMs[i] < sg.startMs()) {
                    continue;
                }
                if (i > 0 && capacityRps[i - 1] >= sg.peakRps()) {
                    // Already there at the last look before the surge began.
                    took = 0;
                    break;
                }
                if (tMs[i] > sg.endMs()) {
                    break;
                }
                if (capacityRps[i] >= sg.peakRps()) {
                    took = tMs[i] - sg.startMs();
                    break;
                }
            }
            if (Double.isNaN(took)) {
                uncovered++;
                took = sg.endMs() - sg.startMs();
            }
            sum += took;
        }
        return new Outcome(surges.size(), sum / surges.size() / 1000.0, uncovered);
    }
}
