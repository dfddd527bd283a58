package io.sair.connectors.actuate;

import io.sair.core.model.KubeTarget;
import io.sair.core.model.Mode;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingDecision;
import io.sair.core.model.Selector;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Decisions and specs for actuator tests. */
public final class TestDecisions {

    /** Retries that do not wait long: 3 attempts, 10 ms doubling. */
    public static final Retry FAST_RETRY = new Retry(3, Duration.ofMillis(10), Duration.ofMillis(40));

    private TestDecisions() {
    }

    public static ScalingDecision decision(String pipeline, long windowEnd, Mode mode, StageTarget... stages) {
        return new ScalingDecision(ScalingDecision.VERSION, ScalingDecision.idFor(pipeline, windowEnd), pipeline,
                windowEnd, mode, Selector.BUILTIN, List.of(stages), List.of(), null, "test", null, null,
                100.0, 200.0, 1.0, 0.1, 0);
    }

    /** A target that changes replicas only, from {@code from} to {@code to}. */
    public static StageTarget replicas(String stage, StageKind kind, int from, int to) {
        return new StageTarget(stage, kind, to, 1000, 1024, 1.0, to - from, 0, 0, 0.0);
    }

    /** A target that changes CPU and memory only. */
    public static StageTarget resources(String stage, int replicas, int cpuFrom, int cpuTo, int memFrom, int memTo) {
        return new StageTarget(stage, StageKind.CPU, replicas, cpuTo, memTo, 1.0, 0, cpuTo - cpuFrom, memTo - memFrom, 0.0);
    }

    /** A target that changes the GPU rate only. */
    public static StageTarget rate(String stage, int replicas, double from, double to) {
        return new StageTarget(stage, StageKind.GPU, replicas, 1000, 1024, to, 0, 0, 0, Math.round((to - from) * 100) / 100.0);
    }

    public static StageSpec stage(String name, StageKind kind, KubeTarget k) {
        return new StageSpec(name, kind, k, null, null, null);
    }

    public static PipelineSpec spec(String pipeline, Mode mode, StageSpec... stages) {
        return new PipelineSpec(PipelineSpec.VERSION, pipeline, new ArrayList<>(List.of(stages)), 200.0, null, null, mode);
    }

    /** Records the backoffs instead of sleeping. */
    public static final class TestingSleeper implements Retry.Sleeper {
        public final List<Duration> slept = new ArrayList<>();

        @Override
        public synchronized void sleep(Duration d) {
            slept.add(d);
        }
    }
}
