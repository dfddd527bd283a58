package io.sair.sim.oracle;

import io.sair.core.model.PipelineSpec;
import io.sair.core.model.Prices;
import io.sair.core.model.StageSpec;
import io.sair.sim.plant.StageModel;
import io.sair.sim.workload.Workload;
import java.util.Arrays;
import java.util.List;

/**
 * What the whole run's requests are, known in advance (the workload is seeded, so a second copy of it yields
 * exactly the requests the plant gets): the work arriving per stage per 5 s bin, for the oracle, and the
 * bounds that hold for every autoscaler on these requests.
 *
 * <ul>
 *   <li>{@link #fluidBoundDollars(long)}: a lower bound on the billable dollars of any run that completes that
 *       many requests;</li>
 *   <li>{@link #withinSlaUpperPct()}: an upper bound on the share of requests any run finishes within the SLA;</li>
 *   <li>{@link #peakLoadRatio()}: above 1, some request misses the SLA whatever the autoscaler.</li>
 * </ul>
 */
/* Shared by the runs on the same requests: the first partial-completion bound sorts the per-request costs in place
   (under the instance's lock); everything else is read-only after construction. */
public final class Hindsight {

    public static final long BIN_MS = 5_000;
    /** The windows of the peak-load check: one minute of arrivals. */
    static final long PEAK_WINDOW_MS = 60_000;

    private final double[][] rawPerBin;
    private final long[] arrivalsPerBin;
    private final double[] meanMinRaw;
    /** Per stage, each request's least cost there; sorted ascending the first time a run did not complete all. */
    private final double[][] costs;
    private boolean sorted;
    private final double[] totalCost;
    /** Per stage, the least any run pays for the pods the stage always keeps (min replicas) until the last arrival. */
    private final double[] floorDollars;
    private final long arrived;
    private final double withinSlaUpperPct;
    private final double peakLoadRatio;
    private final double lastArrivalMs;

    private Hindsight(double[][] rawPerBin, long[] arrivalsPerBin, double[] meanMinRaw, double[][] costs,
                      double[] floorDollars, long arrived, double withinSlaUpperPct, double peakLoadRatio,
                      double lastArrivalMs) {
        this.lastArrivalMs = lastArrivalMs;
        this.floorDollars = floorDollars;
        this.rawPerBin = rawPerBin;
        this.arrivalsPerBin = arrivalsPerBin;
        this.meanMinRaw = meanMinRaw;
        this.costs = costs;
        this.totalCost = Arrays.stream(costs).mapToDouble(c -> Arrays.stream(c).sum()).toArray();
        this.arrived = arrived;
        this.withinSlaUpperPct = withinSlaUpperPct;
        this.peakLoadRatio = peakLoadRatio;
    }

    /** Reads the workload to its end (pass a fresh copy: the plant needs its own). */
    public static Hindsight of(PipelineSpec spec, List<StageModel> models, Workload w) {
        int k = models.size();
        double sla = spec.slaP99Ms();
        Prices prices = spec.prices();
        double[] perRawMs = new double[k];
        double[] best = new double[k];
        double[] peakCapacity = new double[k];
        for (int i = 0; i < k; i++) {
            StageSpec s = spec.stages().get(i);
            perRawMs[i] = WorkBounds.cheapestDollarsPerRawMs(s, models.get(i), prices);
            best[i] = WorkBounds.bestSlowdown(s, models.get(i));
            // What the largest allowed stage serves between the first arrival of a minute and the SLA after its last.
            peakCapacity[i] = (double) s.limits().maxReplicas() * models.get(i).slots() * (PEAK_WINDOW_MS + sla);
        }
        double[][] bins = new double[k][1024];
        long[] counts = new long[1024];
        double[] sumMinRaw = new double[k];
        double[][] costs = new double[k][1 << 16];
        double[] minuteWork = new double[k];
        long minute = 0;
        double peak = 0;
        long n = 0;
        long soloWithin = 0;
        double lastT = 0;
        while (w.advance()) {
            double t = w.timeMs();
            lastT = t;
            double u = w.u();
            double g = w.g();
            int b = (int) (t / BIN_MS);
            if (b >= counts.length) {
                int c = Math.max(b + 1, counts.length * 2);
                counts = Arrays.copyOf(counts, c);
                for (int i = 0; i < k; i++) {
                    bins[i] = Arrays.copyOf(bins[i], c);
                }
            }
            long m = (long) (t / PEAK_WINDOW_MS);
            if (m != minute) {
                peak = Math.max(peak, ratio(minuteWork, peakCapacity));
                Arrays.fill(minuteWork, 0);
                minute = m;
            }
            double solo = 0;
            if (n == costs[0].length) {
                for (int i = 0; i < k; i++) {
                    costs[i] = Arrays.copyOf(costs[i], (int) n * 2);
                }
            }
            for (int i = 0; i < k; i++) {
                StageModel sm = models.get(i);
                double raw = WorkBounds.minRawMs(sm, u, g);
                bins[i][b] += raw;
                sumMinRaw[i] += raw;
                costs[i][(int) n] = raw * perRawMs[i];
                minuteWork[i] += raw * best[i];
                solo += WorkBounds.soloRawMs(sm, u, g) * best[i];
            }
            counts[b]++;
            if (solo <= sla) {
                soloWithin++;
            }
            n++;
        }
        peak = Math.max(peak, ratio(minuteWork, peakCapacity));
        double[][] perRequest = new double[k][];
        double[] mean = new double[k];
        double[] floor = new double[k];
        for (int i = 0; i < k; i++) {
            perRequest[i] = Arrays.copyOf(costs[i], (int) n);
            mean[i] = n == 0 ? 0 : sumMinRaw[i] / n;
            floor[i] = WorkBounds.floorDollarsPerMs(spec.stages().get(i), prices) * lastT;
        }
        return new Hindsight(bins, counts, mean, perRequest, floor, n, n == 0 ? 100 : 100.0 * soloWithin / n, peak,
                lastT);
    }

    private static double ratio(double[] work, double[] capacity) {
        double r = 0;
        for (int i = 0; i < work.length; i++) {
            r = Math.max(r, work[i] / capacity[i]);
        }
        return r;
    }

    /**
     * The least billable dollars any autoscaler (within the spec's limits) spends on a run of these requests that
     * completes {@code completed} of them; per stage the larger of two lower bounds on what the stage costs:
     * <ul>
     *   <li>the fluid bound, the busy time alone: every completed request went through every stage, and its work
     *       there cost at least {@link WorkBounds#minRawMs} x {@link WorkBounds#cheapestDollarsPerRawMs}; the
     *       stage's {@code completed} cheapest requests are the least that can have been completed;</li>
     *   <li>the floor: a stage never has fewer pods than its target (the plant starts pods up to it at once and an
     *       OOM-killed pod restarts in place), the target never goes below the minimum replicas, and each pod costs
     *       at least {@link WorkBounds#floorDollarsPerMs}; the run lasts at least until the last arrival.</li>
     * </ul>
     * Idle capacity above the floor, OOM-killed batches and failed requests only add to a real run's bill.
     */
    public synchronized double fluidBoundDollars(long completed) {
        if (completed < arrived && !sorted) {
            for (double[] c : costs) {
                sortAscending(c);
            }
            sorted = true;
        }
        double s = 0;
        for (int i = 0; i < costs.length; i++) {
            double work = 0;
            if (completed >= costs[i].length) {
                work = totalCost[i];
            } else {
                for (int j = 0; j < completed; j++) {
                    work += costs[i][j];
                }
            }
            s += Math.max(work, floorDollars[i]);
        }
        return s;
    }

    /**
     * Sorts ascending, as {@link Arrays#sort(double[])} does. The costs are never negative, and the bits of a
     * non-negative double order as the double does, so a least-significant-digit radix sort on them (16 bits a pass,
     * a pass skipped where every value has the same digit) gives the same array in a fraction of the time: sorting a
     * million costs per stage was a tenth of the grid's time outside the runs. Anything else (a negative, -0.0, NaN)
     * goes to {@link Arrays#sort(double[])}.
     */
    static void sortAscending(double[] a) {
        int n = a.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = Double.doubleToRawLongBits(a[i]);
            if (keys[i] < 0 || Double.isNaN(a[i])) {
                Arrays.sort(a);
                return;
            }
        }
        long[] buffer = new long[n];
        int[] count = new int[1 << 16];
        for (int shift = 0; shift < 64; shift += 16) {
            Arrays.fill(count, 0);
            for (long k : keys) {
                count[(int) (k >>> shift) & 0xFFFF]++;
            }
            if (n == 0 || count[(int) (keys[0] >>> shift) & 0xFFFF] == n) {
                continue;
            }
            for (int d = 0, sum = 0; d < count.length; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (long k : keys) {
                buffer[count[(int) (k >>> shift) & 0xFFFF]++] = k;
            }
            long[] t = keys;
            keys = buffer;
            buffer = t;
        }
        for (int i = 0; i < n; i++) {
            a[i] = Double.longBitsToDouble(keys[i]);
        }
    }

    /** {@link #fluidBoundDollars} per 1,000 completed requests (NaN when none completed). */
    public double fluidBoundPer1k(long completed) {
        return completed <= 0 ? Double.NaN : fluidBoundDollars(completed) * 1000.0 / completed;
    }

    /**
     * Percent of the requests whose latency alone, at every stage's fastest allowed allocation (no queue, a batch
     * of one), is within the SLA: no run can finish more within it (waits, batches and restarts only add).
     */
    public double withinSlaUpperPct() {
        return withinSlaUpperPct;
    }

    /**
     * The largest, over the minutes of the run and the stages, of the work arriving in that minute (at the
     * fastest allowed speed, batch overheads shared by full batches) over what the largest allowed stage serves
     * from the minute's start until the SLA after its end. Above 1, some request of that minute misses the SLA
     * under any autoscaler: its work cannot start before it arrives and would have to end by then.
     */
    public double peakLoadRatio() {
        return peakLoadRatio;
    }

    public double lastArrivalMs() {
        return lastArrivalMs;
    }

    public long arrived() {
        return arrived;
    }

    public int bins() {
        return arrivalsPerBin.length;
    }

    /** Raw work (ms, lower-bound per request) arriving at a stage in bin b (0 outside the run). */
    public double rawWork(int stage, int bin) {
        return bin < 0 || bin >= rawPerBin[stage].length ? 0 : rawPerBin[stage][bin];
    }

    /** The mean over the run's requests of the stage's lower-bound raw work per request. */
    public double meanMinRawMs(int stage) {
        return meanMinRaw[stage];
    }
}
