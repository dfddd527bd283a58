package io.sair.core.policy.baseline;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The scaling behaviour of the Horizontal Pod Autoscaler for one target ({@code horizontal.go}): the
 * scale-down stabilization window over recent recommendations and the scale-up rate policies. Shared by
 * {@link HpaPolicy} and {@link KedaPolicy}, since KEDA hands its metric to an HPA. Not thread-safe.
 */
final class HpaBehaviour {

    private record Recommendation(long atMs, int replicas) {
    }

    private record ScaleEvent(long atMs, int replicas) {
    }

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
