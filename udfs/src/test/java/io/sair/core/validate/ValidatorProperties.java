package io.sair.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.Fixtures;
import io.sair.core.model.ActionType;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever is proposed, only feasible targets come out, and cooldowns hold. */
class ValidatorProperties {

    private final PipelineSpec spec = Fixtures.spec();

    @Property(tries = 2000)
    void neverEmitsAnInfeasibleAction(@ForAll("proposals") ScalingAction proposal, @ForAll("allocations") List<Allocation> now,
                                      @ForAll("cooldowns") long sinceLast) {
        PipelineContext ctx = Fixtures.context(spec, 1_000_000, 150, now, new double[] {0.5, 0.5, 0.5});
        Cooldowns cd = Cooldowns.none();
        for (String s : List.of("preprocess", "inference", "postprocess")) {
            for (Dimension d : Dimension.values()) {
                cd = cd.record(s, d, true, 1_000_000 - sinceLast).record(s, d, false, 1_000_000 - sinceLast);
            }
        }
        ActionValidator v = ActionValidator.sair();
        Validated r = v.validate(proposal, ctx, spec, cd, 1_000_000);
        assertThat(v.feasible(r.targets(), ctx, spec)).isTrue();
        assertThat(r.targets()).hasSize(3);
        if (sinceLast < 60_000) {
            // Replica, CPU and memory moves are all in cooldown; only the rate (no cooldown by default) may move.
            assertThat(r.targets()).allSatisfy(t -> {
                assertThat(t.dReplicas()).isZero();
                assertThat(t.dCpuMillis()).isZero();
                assertThat(t.dMemoryMb()).isZero();
            });
        }
    }

    @Provide
    Arbitrary<ScalingAction> proposals() {
        Arbitrary<String> stage = Arbitraries.of("preprocess", "inference", "postprocess", "unknown", "", "x\ny");
        Arbitrary<ActionType> type = Arbitraries.of(ActionType.values()).injectNull(0.1);
        Arbitrary<Integer> anyInt = Arbitraries.integers().between(-1_000_000, 1_000_000).injectNull(0.3)
                .edgeCases(c -> c.add(Integer.MAX_VALUE).add(Integer.MIN_VALUE));
        Arbitrary<Double> anyRate = Arbitraries.doubles().between(-10, 10).injectNull(0.3)
                .edgeCases(c -> c.add(Double.NaN).add(Double.POSITIVE_INFINITY).add(Double.NEGATIVE_INFINITY));
        Arbitrary<StageAction> one = Combinators.combine(stage, type, anyInt, anyInt, anyInt, anyRate)
                .as(StageAction::new);
        return one.list().ofMaxSize(6).map(ScalingAction::new);
    }

    @Provide
    Arbitrary<List<Allocation>> allocations() {
        Arbitrary<Allocation> a = Combinators.combine(Arbitraries.integers().between(1, 8),
                Arbitraries.integers().between(250, 8000), Arbitraries.integers().between(256, 32768),
                Arbitraries.integers().between(1, 10).map(i -> i / 10.0)).as(Allocation::new);
        return a.list().ofSize(3).map(l -> List.of(l.get(0).withRate(1.0), l.get(1), l.get(2).withRate(1.0)));
    }

    @Provide
    Arbitrary<Long> cooldowns() {
        return Arbitraries.longs().between(0, 300_000);
    }
}
