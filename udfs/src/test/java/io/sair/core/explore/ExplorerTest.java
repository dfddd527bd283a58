package io.sair.core.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sair.core.policy.BottleneckRule;
import io.sair.core.policy.Headroom;
import io.sair.core.Fixtures;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.PolicySettings;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageKind;
import io.sair.core.validate.ActionValidator;
import io.sair.core.validate.Cooldowns;
import io.sair.core.validate.Validated;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExplorerTest {

    @Test
    void epsilonDecaysByFivePercentPerRoundToTheFloor() {
        PolicySettings p = PolicySettings.defaults();
        ExplorationState s = ExplorationState.initial(p.epsilon());
        assertThat(s.epsilon()).isEqualTo(0.15);
        s = Explorer.advance(s, p);
        assertThat(s.epsilon()).isCloseTo(0.1425, within(1e-12));
        assertThat(s.round()).isEqualTo(1);
        for (int i = 0; i < 21; i++) {
            s = Explorer.advance(s, p);
        }
        // 0.15 x 0.95^22 = 0.0485 < floor
        assertThat(s.epsilon()).isEqualTo(0.05);
        assertThat(Explorer.advance(s, p).epsilon()).isEqualTo(0.05);
    }

    @Test
    void probesAtRoughlyEpsilonAndDeterministicallyPerSeedAndRound() {
        ExplorationState s = new ExplorationState(0.15, 0);
        int probes = 0;
        for (long round = 0; round < 20_000; round++) {
            if (Explorer.shouldProbe(s, Explorer.random(42, round))) {
                probes++;
            }
        }
        assertThat(probes / 20_000.0).isCloseTo(0.15, within(0.01));
        assertThat(Explorer.random(42, 7).nextDouble()).isEqualTo(Explorer.random(42, 7).nextDouble());
    }

    @Test
    void aProbeIsOneFeasibleStepOnOneStageChosenUniformly() {
        PipelineSpec spec = Fixtures.sharedGpus(Fixtures.spec());
        PipelineContext ctx = Fixtures.context(300_000, 150);
        Map<String, Integer> perStage = new HashMap<>();
        for (long round = 0; round < 3000; round++) {
            Optional<ScalingAction> probe = Explorer.probe(ctx, spec, Explorer.random(1, round), BottleneckRule.defaults(), new Headroom.Peaks(0, 0));
            assertThat(probe).isPresent();
            assertThat(probe.get().stages()).hasSize(1);
            Validated v = ActionValidator.sair().validate(probe.get(), ctx, spec, Cooldowns.none(), 300_000);
            assertThat(v.adjustments()).as("a probe needs no clamping").isEmpty();
            assertThat(v.targets().stream().filter(t -> t.changes()).count()).isEqualTo(1);
            perStage.merge(probe.get().stages().get(0).stage(), 1, Integer::sum);
        }
        assertThat(perStage.values()).allSatisfy(n -> assertThat(n / 3000.0).isCloseTo(1 / 3.0, within(0.04)));
    }

    @Test
    void gpuStagesProbeRateOrReplicasNeverCpu() {
        PipelineSpec spec = Fixtures.spec();
        PipelineContext ctx = Fixtures.context(300_000, 150);
        var w = ctx.stage("inference").orElseThrow();
        assertThat(w.kind()).isEqualTo(StageKind.GPU);
        assertThat(Explorer.feasibleSteps(spec.stage("inference").orElseThrow(), w))
                .allSatisfy(a -> assertThat(a.cpuMillicores()).isNull());
    }

    /**
     * A stage above the target utilisation is never probed upward: the step back would leave it above the target,
     * which no shrink may do, so every probe up would stay (image poisson's preprocessing drifted 2000 m -> 3000 m).
     * Nor is one below the rule's idle mark (0.4): the rule takes back what it is given, and nothing acts on what
     * the probe would show (image poisson's postprocessing, 16 % busy, was probed up and shrunk back 18 times).
     * Between the two it is.
     */
    @Test
    void onlyAStageBetweenItsIdleMarkAndItsTargetIsProbedUpwards() {
        PipelineSpec spec = Fixtures.spec();
        for (double util : new double[] {0.65, 0.5, 0.2}) {
            PipelineContext ctx = Fixtures.context(spec, 300_000, 60, java.util.List.of(Fixtures.alloc(2),
                    Fixtures.alloc(1), Fixtures.alloc(1)), new double[] {util, util, util});
            boolean up = false;
            for (int round = 0; round < 300; round++) {
                Optional<ScalingAction> probe = Explorer.probe(ctx, spec, Explorer.random(7, round), BottleneckRule.defaults(),
                        new Headroom.Peaks(0, 0));
                up |= probe.stream().flatMap(a -> a.stages().stream()).anyMatch(a -> {
                    var w = ctx.stage(a.stage()).orElseThrow();
                    return Headroom.capacity(w.kind(), a.applyTo(w.allocation())) > Headroom.capacity(w.kind(), w.allocation());
                });
            }
            assertThat(up).as("a probe up at utilisation %s", util).isEqualTo(util < 0.6 && util >= 0.4);
        }
    }
}
