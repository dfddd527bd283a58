package io.sair.core.policy.baseline;

import io.sair.core.model.StageAction;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DS2-style scaler (Kalavri et al., OSDI 2018) as the Flink autoscaler runs it ({@code ScalingMetricEvaluator},
 * {@code JobVertexScaler}, {@code AutoScalerUtils.getTargetProcessingCapacity}): per stage, the true processing
 * rate = completions per second / busy share (what the stage could do fully busy) and the target capacity =
 * backlog / catch-up duration + input rate x restart time / catch-up duration + input rate / target
 * utilisation, both averaged over the metrics window. Nothing changes while the true rate lies between the
 * capacities needed at utilisation target + boundary and target - boundary; otherwise the replicas become
 * ceil(replicas x target capacity / true rate), at most {@code maxScaleDownFactor} fewer. Like Flink it rescales
 * the whole pipeline at once and then forgets its metrics: the next decision waits for the stabilization
 * interval and a full window again (20 min by default); a stage it scaled up is not scaled down within the
 * grace period. One instance serves one pipeline; not thread-safe.
 */
public final class Ds2Policy implements Policy {

    private final Ds2Settings settings;
    private final Map<String, Deque<Observation>> history = new HashMap<>();
    private final Map<String, Long> lastScaleUpMs = new HashMap<>();
    private long collectFromMs = Long.MIN_VALUE;

    public Ds2Policy(Ds2Settings settings) {
        this.settings = settings;
    }

    /** One stage in one window: input rate, true processing rate (NaN when it did no work) and backlog. */
    record Observation(long atMs, double inputRate, double trueRate, double backlog) {
    }

    @Override
    public Proposal propose(PolicyInput in) {
        long now = in.nowMs();
        if (collectFromMs == Long.MIN_VALUE) {
            collectFromMs = now + settings.stabilizationMs();
        }
        List<PresentStage> stages = PresentStage.of(in);
        for (PresentStage s : stages) {
            if (s.window().windowStart() >= collectFromMs) {
                Deque<Observation> h = history.computeIfAbsent(s.name(), k -> new ArrayDeque<>());
                h.addLast(observe(s.window()));
                while (h.peekFirst().atMs() <= now - settings.metricsWindowMs()) {
                    h.removeFirst();
                }
            }
        }
        if (now - collectFromMs < settings.metricsWindowMs()) {
            return Proposal.none("ds2: collecting metrics (window not full)");
        }
        StageChanges changes = new StageChanges();
        for (PresentStage s : stages) {
            Deque<Observation> h = history.get(s.name());
            if (h == null || h.isEmpty()) {
                continue;
            }
            int current = s.current().replicas();
            int desired = s.clampReplicas(parallelism(current, h, settings));
            Long up = lastScaleUpMs.get(s.name());
            if (desired < current && up != null && now - up < settings.scaleUpGracePeriodMs()) {
                continue;
            }
            if (desired != current) {
                if (desired > current) {
                    lastScaleUpMs.put(s.name(), now);
                }
                changes.add(StageAction.replicas(s.name(), desired),
                        String.format("%s %d->%d (input %.1f/s, true rate %.1f/s)", s.name(), current, desired,
                        mean(h, Observation::inputRate), mean(h, Observation::trueRate)));
            }
        }
        if (!changes.isEmpty()) {
            // A rescale restarts the job: its metrics start over after the stabilization interval.
            history.clear();
            collectFromMs = now + settings.stabilizationMs();
        }
        return changes.proposal("ds2: ", "ds2: every stage within its utilisation boundary");
    }

    static Observation observe(StageWindow w) {
        double seconds = w.windowSeconds();
        double busy = w.utilisation();
        double done = w.completions() / seconds;
        double trueRate = busy > 0 && Double.isFinite(busy) && w.completions() > 0 ? done / Math.min(1.0, busy) : Double.NaN;
        return new Observation(w.windowEnd(), w.arrivals() / seconds, trueRate, Math.max(0, w.queueDepth()));
    }

    /** The parallelism the Flink autoscaler would give a stage with this window of observations. */
    static int parallelism(int current, Deque<Observation> h, Ds2Settings s) {
        double trueRate = mean(h, Observation::trueRate);
        double input = mean(h, Observation::inputRate);
        double backlog = h.peekLast().backlog();
        if (!Double.isFinite(trueRate) || !(trueRate > 0) || !Double.isFinite(input)) {
            return current;
        }
        double upThreshold = targetCapacity(input, backlog, s.targetUtilisation() + s.boundary(), false, s);
        double downThreshold = targetCapacity(input, backlog, s.targetUtilisation() - s.boundary(), false, s);
        if (trueRate >= upThreshold && trueRate <= downThreshold) {
            return current;
        }
        double factor = targetCapacity(input, backlog, s.targetUtilisation(), true, s) / trueRate;
        factor = Math.max(factor, 1 - s.maxScaleDownFactor());
        factor = Math.min(factor, 1 + s.maxScaleUpFactor());
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.ceil(current * factor)));
    }

    /** Backlog catch-up + restart catch-up + input at the utilisation (Flink's getTargetProcessingCapacity). */
    static double targetCapacity(double input, double backlog, double utilisation, boolean withRestart, Ds2Settings s) {
        double u = Math.min(1, Math.max(0, utilisation));
        if (u == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double catchUpSeconds = s.catchUpMs() / 1000.0;
        double lagRate = catchUpSeconds == 0 ? 0 : backlog / catchUpSeconds;
        double restartRate = !withRestart || catchUpSeconds == 0 ? 0 : input * (s.restartMs() / 1000.0) / catchUpSeconds;
        return Math.round(lagRate + restartRate + input / u);
    }

    private static double mean(Deque<Observation> h, java.util.function.ToDoubleFunction<Observation> f) {
        double sum = 0;
        int n = 0;
        for (Observation o : h) {
            double v = f.applyAsDouble(o);
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    @Override
    public String name() {
        return "ds2";
    }
}
