package io.sair.sim.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The seeded, non-periodic load patterns (issue 14): what a memorising controller cannot learn from the
 * periodic ramp and burst. Each is a {@link RateShape} drawn once from its own seed, scaled so that its mean
 * over the run's expected length (requests / the app's mean rate) is the app's mean rate:
 *
 * <ul>
 *   <li>{@code flash}: flash crowds at random times (gaps exponential, mean 30 min), each of random height
 *       2-5x the base rate, rising linearly over 0-120 s, holding 1-5 min and ebbing over 0.5-5 min;
 *       overlapping crowds do not add up (the higher one counts);</li>
 *   <li>{@code regime}: step changes that persist: the rate jumps to a new level (log-uniform in 0.4-2.5x)
 *       and stays there for 10 min plus an exponential time of mean 30 min;</li>
 *   <li>{@code diurnal}: one smooth day compressed into the run (a cosine from a night trough at 0.4x to a
 *       mid-run peak at 1.6x and back), with one spike of 2-3x the wave somewhere in the middle 60% of the
 *       run (rise 60 s, 2-10 min long, fall 60 s).</li>
 * </ul>
 */
public final class Patterns {

    public static final List<String> NAMES = List.of("flash", "regime", "diurnal");

    static final long MIN = 60_000;

    private Patterns() {
    }

    /**
     * @param meanRate the app's mean rate (requests/s) the pattern's mean is scaled to
     * @param horizonMs the run's expected length; the mean is taken over it and the diurnal day lasts it
     */
    public static RateShape of(String name, double meanRate, long horizonMs, long seed) {
        if (!(meanRate > 0) || horizonMs <= 0) {
            throw new IllegalArgumentException("mean rate and horizon must be positive");
        }
        Shape unit = switch (name.toLowerCase(Locale.ROOT)) {
            case "flash" -> Flash.draw(horizonMs, seed);
            case "regime" -> Regime.draw(horizonMs, seed);
            case "diurnal" -> Diurnal.draw(horizonMs, seed);
            default -> throw new IllegalArgumentException("unknown pattern '" + name + "' (one of " + NAMES + ")");
        };
        return new Scaled(unit, meanRate / unit.mean(horizonMs), name, meanRate);
    }

    /** A pattern at base rate 1 (the mean is whatever the draw gave). */
    interface Shape {
        double at(double tMs);

        double max();

        /** Mean over [0, horizon], by the midpoint rule at 1 s (the shapes change over tens of seconds at least). */
        default double mean(long horizonMs) {
            double step = 1000;
            double sum = 0;
            long n = 0;
            for (double t = step / 2; t < horizonMs; t += step) {
                sum += at(t);
                n++;
            }
            return n == 0 ? at(0) : sum / n;
        }
    }

    private record Scaled(Shape unit, double scale, String name, double meanRate) implements RateShape {
        public double rate(double tMs) {
            return scale * unit.at(tMs);
        }

        public double maxRate() {
            return scale * unit.max();
        }

        public double meanRate() {
            return meanRate;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%s around %.1f rps (base %.2f rps, peak %.1f rps)", name, meanRate, scale,
                    maxRate());
        }
    }

    /** One flash crowd: linear rise to {@code height} x base, a hold, a linear ebb. */
    record Crowd(double startMs, double riseMs, double holdMs, double fallMs, double height) {

        double endMs() {
            return startMs + riseMs + holdMs + fallMs;
        }

        double at(double t) {
            double x = t - startMs;
            if (x < 0 || t >= endMs()) {
                return 1.0;
            }
            if (x < riseMs) {
                return 1 + (height - 1) * x / riseMs;
            }
            if (x < riseMs + holdMs) {
                return height;
            }
            return height - (height - 1) * (x - riseMs - holdMs) / fallMs;
        }
    }

    /** Flash crowds drawn over twice the horizon (a run may last longer than expected); base rate after. */
    record Flash(List<Crowd> crowds, double[] starts, double longestMs) implements Shape {

        static final double MEAN_GAP_MS = 30 * MIN;

        static Flash draw(long horizonMs, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            List<Crowd> out = new ArrayList<>();
            double t = 0;
            double longest = 0;
            while (true) {
                t += -Math.log(1.0 - rng.nextDouble()) * MEAN_GAP_MS;
                if (t >= 2.0 * horizonMs) {
                    break;
                }
                Crowd c = new Crowd(t, rng.nextDouble(0, 120_000), rng.nextDouble(MIN, 5 * MIN),
                        rng.nextDouble(30_000, 5 * MIN), rng.nextDouble(2.0, 5.0));
                out.add(c);
                longest = Math.max(longest, c.endMs() - c.startMs());
            }
            double[] starts = out.stream().mapToDouble(Crowd::startMs).toArray();
            return new Flash(List.copyOf(out), starts, longest);
        }

        public double at(double t) {
            // The crowds that may cover t started within the longest crowd's span before it.
            int i = upperBound(starts, t) - 1;
            double m = 1.0;
            for (; i >= 0 && starts[i] > t - longestMs; i--) {
                m = Math.max(m, crowds.get(i).at(t));
            }
            return m;
        }

        public double max() {
            return crowds.stream().mapToDouble(Crowd::height).max().orElse(1.0);
        }
    }

    /** Levels that hold: level i from ends[i-1] (0 for the first) to ends[i]; the last one holds for ever. */
    record Regime(double[] ends, double[] levels) implements Shape {

        static final double MIN_HOLD_MS = 10 * MIN;
        static final double MEAN_EXTRA_HOLD_MS = 30 * MIN;

        static Regime draw(long horizonMs, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            List<double[]> segs = new ArrayList<>();
            double t = 0;
            double level = 1.0;
            while (t < 2.0 * horizonMs) {
                t += MIN_HOLD_MS - Math.log(1.0 - rng.nextDouble()) * MEAN_EXTRA_HOLD_MS;
                segs.add(new double[] {t, level});
                // A new level, log-uniform in [0.4, 2.5], never (almost) the same as the last one.
                double next;
                do {
                    next = Math.exp(rng.nextDouble(Math.log(0.4), Math.log(2.5)));
                } while (Math.abs(Math.log(next / level)) < Math.log(1.25));
                level = next;
            }
            segs.add(new double[] {Double.POSITIVE_INFINITY, level});
            return new Regime(segs.stream().mapToDouble(s -> s[0]).toArray(),
                    segs.stream().mapToDouble(s -> s[1]).toArray());
        }

        public double at(double t) {
            return levels[upperBound(ends, t)];
        }

        public double max() {
            double m = 0;
            for (double l : levels) {
                m = Math.max(m, l);
            }
            return m;
        }
    }

    /** A day over the horizon: 1 - 0.6 cos(2 pi t / day), times one spike. */
    record Diurnal(double dayMs, Crowd spike) implements Shape {

        static final double AMPLITUDE = 0.6;

        static Diurnal draw(long horizonMs, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double start = rng.nextDouble(0.2, 0.8) * horizonMs;
            Crowd spike = new Crowd(start, 60_000, rng.nextDouble(2 * MIN, 10 * MIN), 60_000, rng.nextDouble(2.0, 3.0));
            return new Diurnal(horizonMs, spike);
        }

        double wave(double t) {
            return 1 - AMPLITUDE * Math.cos(2 * Math.PI * t / dayMs);
        }

        public double at(double t) {
            return wave(t) * spike.at(t);
        }

        public double max() {
            return (1 + AMPLITUDE) * spike.height();
        }
    }

    /** The first index whose value is greater than t (values sorted ascending). */
    static int upperBound(double[] values, double t) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
