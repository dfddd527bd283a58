package io.sair.sim.bench;

import io.sair.core.policy.Policy;
import io.sair.core.policy.baseline.BaselineSettings;
import io.sair.core.policy.baseline.Baselines;

/** Creates a baseline policy ({@link Baselines}) with a sweep setting applied. */
final class BaselineFactory {

    private BaselineFactory() {
    }

    static Policy create(String name, Tuning t) {
        BaselineSettings s = BaselineSettings.defaults();
        if (t.hpaTarget() != null) {
            s = s.withHpaTarget(t.hpaTarget());
        }
        if (t.thresholdCpuMs() != null) {
            s = s.withThresholds(t.thresholdCpuMs(), t.thresholdGpuMs());
        }
        return Baselines.create(name, s);
    }
}
