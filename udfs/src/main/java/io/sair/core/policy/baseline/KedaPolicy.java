package io.sair.core.policy.baseline;

import io.sair.core.model.StageAction;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * KEDA scaling each stage on its queue: the requests not yet done (waiting or in work, as a Kafka lag or
 * RabbitMQ's ready + unacknowledged messages count them; derived as in {@link InFlight}) against a target per
 * replica. KEDA's metrics server hands the value to an HPA with an {@code AverageValue} target, so the
 * HPA's rules apply ({@code replica_calculator.go}): no change within the 10% tolerance, else
 * ceil(queue / target), then the HPA behaviour ({@link HpaBehaviour}: scale-up policies, scale-down
 * stabilization). When a stage's metric cannot be read (its window is missing) for
 * {@code fallbackFailureThreshold} reads in a row and {@code fallback.replicas} is set, KEDA reports
 * fallback x target, so the HPA computes the fallback replicas (KEDA's default "static" fallback
 * behaviour); without a fallback nothing changes. One instance serves one pipeline; not thread-safe.
 */
public final class KedaPolicy implements Policy {

    private final KedaSettings settings;
    private final Map<String, StageState> state = new HashMap<>();

    public KedaPolicy(KedaSettings settings) {
        this.settings = settings;
    }

    @Override
    public Proposal propose(PolicyInput in) {
        long now = in.nowMs();
        StageChanges changes = new StageChanges();
        for (StageSpec spec : in.spec().stages()) {
            Optional<StageWindow> w = in.context().stage(spec.name());
            StageState st = state.computeIfAbsent(spec.name(), k -> new StageState());
            double metric;
            String source;
            if (w.isPresent()) {
                st.failures = 0;
                st.lastReplicas = w.get().allocation().replicas();
                metric = InFlight.of(w.get());
                source = String.format("queue %.1f", metric);
            } else {
                st.failures++;
                if (settings.fallbackReplicas() == null || st.failures < settings.fallbackFailureThreshold()
                        || st.lastReplicas <= 0) {
                    continue;
                }
                metric = settings.fallbackReplicas() * settings.targetQueueLength();
                source = "metric failed " + st.failures + "x, fallback " + settings.fallbackReplicas();
            }
            int current = st.lastReplicas;
            if (current <= 0) {
                continue;
            }
            int min = Math.max(1, spec.limits().minReplicas());
            int max = Math.max(min, spec.limits().maxReplicas());
            int recommended = recommend(current, metric, settings);
            int stabilized = st.behaviour.stabilize(current, recommended, now,
                    settings.behaviour().scaleDownStabilizationMs());
            int desired = st.behaviour.rateLimit(current, stabilized, now, settings.behaviour(), min, max);
            if (desired != current) {
                st.behaviour.recordScale(current, desired, now);
                st.lastReplicas = desired;
                changes.add(StageAction.replicas(spec.name(), desired),
                        String.format("%s %d->%d (%s, target %.1f/replica)", spec.name(), current, desired, source,
                        settings.targetQueueLength()));
            }
        }
        return changes.proposal("keda: ", "keda: no stage outside tolerance");
    }

    /** The HPA on an AverageValue target: ceil(total / target), or no change within the tolerance. */
    static int recommend(int current, double total, KedaSettings s) {
        double ratio = total / (s.targetQueueLength() * current);
        if (Math.abs(ratio - 1.0) <= s.behaviour().tolerance()) {
            return current;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.ceil(total / s.targetQueueLength()));
    }

    @Override
    public String name() {
        return "keda";
    }

    /** Per stage: the HPA's history, the replicas last seen and the failed metric reads in a row. */
    private static final class StageState {
        final HpaBehaviour behaviour = new HpaBehaviour();
        int lastReplicas;
        int failures;
    }
}
