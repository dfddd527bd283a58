package io.sair.core.policy.baseline;

import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes Horizontal Pod Autoscaler (autoscaling/v2 with its default behavior) on each stage's
 * utilisation (CPU, or the rate-normalised GPU busy share for a GPU stage), as the controller's
 * {@code replica_calculator.go} and {@code horizontal.go} compute it: the tolerance check, the ceil of
 * the usage ratio, the scale-down stabilization window, the scale-up rate policies, then the bounds.
 * One instance serves one pipeline; not thread-safe.
 */
public final class HpaPolicy implements Policy {

    private final HpaSettings settings;
    private final Map<String, StageHistory> history = new HashMap<>();

    public HpaPolicy(HpaSettings settings) {
        this.settings = settings;
    }

    @Override
    public Proposal propose(PolicyInput in) {
        long now = in.nowMs();
        List<StageAction> actions = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (PresentStage s : PresentStage.of(in)) {
            int current = s.current().replicas();
            double utilisation = s.window().utilisation();
            // HPA does not act on a target scaled to zero, nor without a metric.
            if (current <= 0 || !Double.isFinite(utilisation) || utilisation < 0) {
                continue;
            }
            StageHistory h = history.computeIfAbsent(s.name(), k -> new StageHistory());
            int recommended = recommend(current, utilisation, settings);
            int stabilized = h.stabilize(current, recommended, now, settings.scaleDownStabilizationMs());
            int desired = h.rateLimit(current, stabilized, now, settings, s.minReplicas(), s.maxReplicas());
            if (desired != current) {
                h.recordScale(current, desired, now);
                actions.add(StageAction.replicas(s.name(), desired));
                why.add(String.format("%s %d->%d (utilisation %.0f%%, target %.0f%%)", s.name(), current, desired,
                        utilisation * 100, settings.targetUtilisation() * 100));
            }
        }
        if (actions.isEmpty()) {
            return Proposal.none("hpa: no stage outside tolerance");
        }
        return new Proposal(new ScalingAction(actions), "hpa: " + String.join("; ", why));
    }

    /** desiredReplicas = ceil(currentReplicas x usage / target), or no change within the tolerance. */
    static int recommend(int current, double utilisation, HpaSettings s) {
        double ratio = utilisation / s.targetUtilisation();
        if (Math.abs(ratio - 1.0) <= s.tolerance()) {
            return current;
        }
        double desired = Math.ceil(current * ratio);
        return (int) Math.min(Integer.MAX_VALUE, desired);
    }

    @Override
    public String name() {
        return "hpa";
    }

    private record Recommendation(long atMs, int replicas) {
    }

    private record ScaleEvent(long atMs, int replicas) {
    }

    /** What HPA remembers of one stage: recent recommendations and its own recent scale events. */
    private static final class StageHistory {
        private final Deque<Recommendation> recommendations = new ArrayDeque<>();
        private final Deque<ScaleEvent> scaleUps = new ArrayDeque<>();
        private final Deque<ScaleEvent> scaleDowns = new ArrayDeque<>();

        /**
         * Scale up to the recommendation at once (the default scale-up window is 0), scale down only to the
         * highest recommendation of the window, so a short dip does not remove pods that a peak needs.
         */
        int stabilize(int current, int recommended, long now, long windowMs) {
            long cutoff = now - windowMs;
            recommendations.removeIf(r -> r.atMs() <= cutoff || r.atMs() > now);
            int downLimit = recommended;
            for (Recommendation r : recommendations) {
                downLimit = Math.max(downLimit, r.replicas());
            }
            recommendations.addLast(new Recommendation(now, recommended));
            int result = current;
            if (result < recommended) {
                result = recommended;
            }
            if (result > downLimit) {
                result = downLimit;
            }
            return result;
        }

        /**
         * The default scale-up policies (the larger of +pods and +percent per period, counted from the replicas
         * at the start of the period), then the bounds. The default scale-down policy (100% per 15 s) removes
         * no limit, so only the minimum applies.
         */
        int rateLimit(int current, int desired, long now, HpaSettings s, int min, int max) {
            long cutoff = now - s.scaleUpPeriodMs();
            scaleUps.removeIf(e -> e.atMs() <= cutoff);
            scaleDowns.removeIf(e -> e.atMs() <= cutoff);
            int result = desired;
            if (desired > current) {
                long periodStart = (long) current - sum(scaleUps) + sum(scaleDowns);
                long byPods = periodStart + s.scaleUpPods();
                long byPercent = (long) Math.ceil(periodStart * (1 + s.scaleUpPercent() / 100.0));
                long limit = Math.max(current, Math.max(byPods, byPercent));
                result = (int) Math.min(desired, Math.min(max, limit));
            }
            return Math.max(min, Math.min(max, result));
        }

        void recordScale(int current, int desired, long now) {
            (desired > current ? scaleUps : scaleDowns).addLast(new ScaleEvent(now, Math.abs(desired - current)));
        }

        private static long sum(Deque<ScaleEvent> events) {
            long total = 0;
            for (ScaleEvent e : events) {
                total += e.replicas();
            }
            return total;
        }
    }
}
