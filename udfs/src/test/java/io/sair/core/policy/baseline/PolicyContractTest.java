package io.sair.core.policy.baseline;

import static io.sair.core.policy.baseline.TestPipelines.WINDOW_MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.policy.BuiltinSelector;
import io.sair.core.policy.Policy;
import io.sair.core.policy.Proposal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every Policy promises, whatever it decides: run for each implementation. */
class PolicyContractTest {

    static Stream<Supplier<Policy>> policies() {
        return Stream.of(
                BuiltinSelector::defaults,
                StaticPolicy::new,
                () -> new HpaPolicy(HpaSettings.defaults()),
                () -> new VpaPolicy(VpaSettings.defaults()),
                () -> new ThresholdPolicy(ThresholdSettings.defaults()),
                () -> new KpaPolicy(KpaSettings.defaults()),
                () -> new KedaPolicy(KedaSettings.defaults()),
                () -> new RayServePolicy(RayServeSettings.defaults()),
                () -> new Ds2Policy(Ds2Settings.defaults()));
    }

    private static final PipelineSpec SPEC = TestPipelines.threeStages();

    /** Quiet windows, then a surge that saturates the GPU stage, then quiet again. */
    private static List<PipelineContext> windows() {
        List<PipelineContext> out = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            long end = i * WINDOW_MS;
            boolean surge = i >= 4 && i <= 8;
            out.add(TestPipelines.context(end, surge ? 900 : 120, 500,
                    TestPipelines.window("pre", StageKind.CPU).cpuUtil(surge ? 0.7 : 0.3).at(end),
                    TestPipelines.window("inf", StageKind.GPU).gpuUtil(surge ? 0.99 : 0.3)
                            .queue(surge ? 400L * i : 0, surge ? 400 : 0).traffic(surge ? 3000 : 300, surge ? 1500 : 300)
                            .p99(surge ? 800 : 60).at(end),
                    TestPipelines.window("post", StageKind.CPU).cpuUtil(0.2).at(end)));
        }
        return out;
    }

    private static List<Proposal> run(Policy policy) {
        return windows().stream().map(ctx -> policy.propose(TestPipelines.input(ctx, SPEC))).toList();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void proposesForEveryWindowOnlyStagesOfTheSpecAtMostOnceEach(Supplier<Policy> make) {
        Set<String> stages = SPEC.stages().stream().map(StageSpec::name).collect(Collectors.toSet());
        for (Proposal p : run(make.get())) {
            assertThat(p).isNotNull();
            assertThat(p.action()).isNotNull();
            List<String> named = p.action().stages().stream().map(StageAction::stage).toList();
            assertThat(named).doesNotHaveDuplicates();
            assertThat(stages).containsAll(named);
            p.action().stages().forEach(a -> {
                if (a.replicas() != null) {
                    assertThat(a.replicas()).as(make.get().name()).isPositive();
                }
            });
        }
    }

    /** The core never reads the clock nor a shared random source: the same windows, the same proposals. */
    @ParameterizedTest
    @MethodSource("policies")
    void isDeterministic(Supplier<Policy> make) {
        assertThat(run(make.get())).isEqualTo(run(make.get()));
        assertThat(make.get().name()).isNotBlank();
    }
}
