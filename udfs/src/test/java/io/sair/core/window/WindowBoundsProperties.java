package io.sair.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageMetrics;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever one report says that the checks accept, the window built from it (alone, or among a pod's
 * ordinary reports) holds utilisations in [0, 1] and rates no higher than the stage's pods could
 * physically report: maxReplicas at {@link MetricsCheck#MAX_RPS_PER_REPLICA}.
 */
class WindowBoundsProperties {

    static final long T0 = 1_767_225_600_000L;
    static final PipelineSpec SPEC = new PipelineSpec(null, "imgcls", List.of(StageSpec.of("preprocess", StageKind.CPU),
            StageSpec.of("inference", StageKind.GPU)), 200.0, null, null, null);

    @Property(tries = 1000)
    void whatTheChecksAcceptMakesAPhysicalWindow(@ForAll("reports") StageMetrics odd, @ForAll boolean amongOrdinary) {
        Assume.that(MetricsCheck.fields(odd, odd.ts()).isEmpty() && MetricsCheck.againstSpec(odd, SPEC).isEmpty());
        List<StageMetrics> window = new ArrayList<>();
        if (amongOrdinary) {
            for (int k = 1; k <= 5; k++) {
                window.add(ordinary(odd.stage(), odd.kind(), T0 + 5_000L * k));
            }
        }
        window.add(odd);
        PipelineContext ctx = ContextAssembler.fold(SPEC, T0, T0 + 30_000, window);
        for (StageWindow w : ctx.stages()) {
            double physical = SPEC.stage(w.stage()).orElseThrow().limits().maxReplicas() * MetricsCheck.MAX_RPS_PER_REPLICA;
            assertThat(w.cpuUtil()).isBetween(0.0, 1.0);
            assertThat(w.memUtil()).isBetween(0.0, 1.0);
            assertThat(w.gpuUtil()).isBetween(0.0, 1.0);
            assertThat(w.arrivals()).isNotNegative();
            assertThat(w.arrivals() / w.windowSeconds()).isLessThanOrEqualTo(physical);
            assertThat(w.completions() / w.windowSeconds()).isLessThanOrEqualTo(physical);
        }
        assertThat(ctx.arrivalRate()).isBetween(0.0, 8.0 * MetricsCheck.MAX_RPS_PER_REPLICA);
    }

    static StageMetrics ordinary(String stage, StageKind kind, long ts) {
        boolean gpu = kind == StageKind.GPU;
        return new StageMetrics(1, "imgcls", stage, stage + "-0", ts, kind, 2, 1000, 1024, gpu ? 1.0 : null, 500L, 490L,
                10L, gpu ? null : 0.6, 0.4, gpu ? 0.7 : null, List.of(12.0, 30.0), null, null, null);
    }

    @Provide
    Arbitrary<StageMetrics> reports() {
        Arbitrary<Integer> stage = Arbitraries.integers().between(0, 1);
        Arbitrary<Long> ts = Arbitraries.longs().between(T0, T0 + 30_000);
        Arbitrary<Integer> replicas = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 16)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
        return Combinators.combine(stage, ts, replicas, count(), count(), count(), share(), share())
                .as((s, t, r, arrivals, completions, queue, util, mem) -> {
                    StageSpec spec = SPEC.stages().get(s);
                    boolean gpu = spec.kind() == StageKind.GPU;
                    return new StageMetrics(1, "imgcls", spec.name(), spec.name() + "-0", t, spec.kind(), r, 1000, 1024,
                            gpu ? 1.0 : null, arrivals, completions, queue, gpu ? null : util, mem, gpu ? util : null,
                            List.of(10.0), null, null, null);
                });
    }

    /** Counts of every size: ordinary, out of line with the pod's others, at and beyond the bounds, absent. */
    static Arbitrary<Long> count() {
        long bound = MetricsCheck.maxCountPerReport(8);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(0, 5_000)),
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(0, bound)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
    }

    /** Utilisations in and out of [0, 1], NaN and infinities among them. */
    static Arbitrary<Double> share() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.doubles().between(0.0, 1.0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, 10.0, 1.0000001, -0.0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
    }
}
