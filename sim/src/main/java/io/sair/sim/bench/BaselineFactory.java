package io.sair.sim.bench;

import io.sair.core.policy.Policy;
import io.sair.core.policy.baseline.BaselineSettings;
import io.sair.core.policy.baseline.Baselines;
import java.util.HashMap;
import java.util.Map;

/** Creates a baseline policy ({@link Baselines}) with a sweep setting applied. */
final class BaselineFactory {

    private BaselineFactory() {
    }

    static Policy create(String name, Tuning t) {
        return create(name, t, Map.of());
    }

    /**
     * @param podCapacity per stage, the most requests one pod serves at once (servers x batch size): what a
     *        user would set as Knative's {@code containerConcurrency} and scale Ray's target from; empty to keep
     *        the autoscalers' own defaults
     */
    static Policy create(String name, Tuning t, Map<String, Integer> podCapacity) {
        BaselineSettings s = BaselineSettings.defaults();
        if (t.hpaTarget() != null) {
            s = s.withHpaTarget(t.hpaTarget());
        }
        if (t.thresholdCpuMs() != null) {
            s = s.withThresholds(t.thresholdCpuMs(), t.thresholdGpuMs());
        }
        s = s.withKpa(s.kpa().withContainerConcurrency(podCapacity));
        if (t.kpaTarget() != null) {
            s = s.withKpa(s.kpa().withTarget(t.kpaTarget()).withPanicThreshold(t.kpaPanic()));
        }
        if (t.kedaTarget() != null) {
            s = s.withKeda(s.keda().withTarget(t.kedaTarget()));
        }
        if (t.rayTargetFactor() != null && t.rayTargetFactor() > 0) {
            Map<String, Double> targets = new HashMap<>();
            podCapacity.forEach((stage, cap) -> targets.put(stage, Math.max(1.0, t.rayTargetFactor() * cap)));
            s = s.withRay(s.ray().withTargets(targets));
        }
        return Baselines.create(name, s);
    }
}
