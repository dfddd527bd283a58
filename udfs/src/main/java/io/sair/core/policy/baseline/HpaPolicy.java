package io.sair.core.policy.baseline;

import io.sair.core.model.StageAction;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import java.util.HashMap;
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
    private final Map<String, HpaBehaviour> history = new HashMap<>();

    public HpaPolicy(HpaSettings settings) {
        this.settings = settings;
    }

    @Override
    public Proposal propose(PolicyInput in) {
        long now = in.nowMs();
        StageChanges changes = new StageChanges();
        for (PresentStage s : PresentStage.of(in)) {
            int current = s.current().replicas();
            double utilisation = s.window().utilisation();
            // HPA does not act on a target scaled to zero, nor without a metric.
            if (current <= 0 || !Double.isFinite(utilisation) || utilisation < 0) {
                continue;
            }
            HpaBehaviour h = history.computeIfAbsent(s.name(), k -> new HpaBehaviour());
            int recommended = recommend(current, utilisation, settings);
            int stabilized = h.stabilize(current, recommended, now, settings.scaleDownStabilizationMs());
            int desired = h.rateLimit(current, stabilized, now, settings, s.minReplicas(), s.maxReplicas());
            if (desired != current) {
                h.recordScale(current, desired, now);
                changes.add(StageAction.replicas(s.name(), desired),
                        String.format("%s %d->%d (utilisation %.0f%%, target %.0f%%)", s.name(), current, desired,
                        utilisation * 100, settings.targetUtilisation() * 100));
            }
        }
        return changes.proposal("hpa: ", "hpa: no stage outside tolerance");
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
}
