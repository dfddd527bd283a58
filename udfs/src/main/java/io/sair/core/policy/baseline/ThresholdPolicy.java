package io.sair.core.policy.baseline;

import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import java.util.HashMap;
import java.util.Map;

/**
 * The paper's rule-based baseline: per stage, p99 above the stage kind's threshold adds a replica, p99
 * below threshold x {@code scaleDownFactor} removes one, and a stage that changed is left alone for the
 * cooldown. One instance serves one pipeline; not thread-safe.
 */
public final class ThresholdPolicy implements Policy {

    private final ThresholdSettings settings;
    private final Map<String, Long> lastChangeMs = new HashMap<>();

    public ThresholdPolicy(ThresholdSettings settings) {
        this.settings = settings;
    }

    @Override
    public Proposal propose(PolicyInput in) {
        long now = in.nowMs();
        StageChanges changes = new StageChanges();
        for (PresentStage s : PresentStage.of(in)) {
            double p99 = s.window().p99Ms();
            Long last = lastChangeMs.get(s.name());
            if (!Double.isFinite(p99) || last != null && now - last < settings.cooldownMs()) {
                continue;
            }
            double threshold = s.spec().kind() == StageKind.GPU ? settings.gpuThresholdMs() : settings.cpuThresholdMs();
            int current = s.current().replicas();
            int desired = current;
            if (p99 > threshold) {
                desired = s.clampReplicas((long) current + 1);
            } else if (p99 < threshold * settings.scaleDownFactor()) {
                desired = s.clampReplicas((long) current - 1);
            }
            if (desired != current) {
                lastChangeMs.put(s.name(), now);
                changes.add(StageAction.replicas(s.name(), desired),
                        String.format("%s p99 %.0f ms vs %.0f ms: %d->%d", s.name(), p99, threshold, current, desired));
            }
        }
        return changes.proposal("threshold: ", "threshold: every stage within its band or cooling down");
    }

    @Override
    public String name() {
        return "threshold";
    }
}
