package io.sair.core.policy.baseline;

import static io.sair.core.policy.baseline.TestPipelines.context;
import static io.sair.core.policy.baseline.TestPipelines.input;
import static io.sair.core.policy.baseline.TestPipelines.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.ActionType;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VpaPolicyTest {

    private static final long T0 = 1_000_000;
    private static final long ROUND = 30_000;
    private static final double[] CPU_CYCLE = {400, 450, 500, 550, 600};
    private static final double[] MEM_CYCLE = {500, 550, 600, 650, 700};
    private final PipelineSpec spec = TestPipelines.threeStages();

    /** Runs rounds of a CPU stage using {@code cpuUsage} m and {@code memUsage} MB per pod, applying each change. */
    private static List<ScalingAction> run(VpaPolicy vpa, PipelineSpec spec, Allocation start, double cpuUsage,
                                           double memUsage, int rounds) {
        return run(vpa, spec, start, new double[] {cpuUsage}, new double[] {memUsage}, rounds);
    }

    /** The same with usage cycling through the given values round by round. */
    private static List<ScalingAction> run(VpaPolicy vpa, PipelineSpec spec, Allocation start, double[] cpuUsage,
                                           double[] memUsage, int rounds) {
        List<ScalingAction> actions = new ArrayList<>();
        Allocation a = start;
        for (int i = 0; i < rounds; i++) {
            long at = T0 + i * ROUND;
            ScalingAction act = vpa.propose(input(context(at, 100, 500,
                    window("pre", StageKind.CPU).allocation(a).cpuUtil(cpuUsage[i % cpuUsage.length] / a.cpuMillis())
                            .memUtil(memUsage[i % memUsage.length] / a.memoryMb()).at(at)), spec)).action();
            actions.add(act);
            for (StageAction s : act.stages()) {
                a = new Allocation(a.replicas(), s.cpuMillicores(), s.memoryMb() == null ? a.memoryMb() : s.memoryMb(), 1.0);
            }
        }
        return actions;
    }

    private static List<StageAction> changes(List<ScalingAction> actions) {
        return actions.stream().flatMap(a -> a.stages().stream()).toList();
    }

    @Test
    void steadyUsageConvergesToP90PlusTheSafetyMarginAndStays() {
        List<StageAction> changes = changes(run(new VpaPolicy(VpaSettings.defaults()), spec,
                new Allocation(2, 2000, 4096, 1.0), 500, 600, 60));
        assertThat(changes).hasSize(1);
        StageAction evict = changes.get(0);
        assertThat(evict.action()).isEqualTo(ActionType.SCALE_RESOURCES);
        // A percentile is the end of its 5%-wide bucket, so the target is within 5% above usage x 1.15.
        assertThat(evict.cpuMillicores()).isBetween(575, (int) Math.ceil(575 * 1.05));
        assertThat(evict.memoryMb()).isBetween(690, (int) Math.ceil(690 * 1.05));
        assertThat(evict.replicas()).isNull();
    }

    @Test
    void nothingHappensBeforeEnoughSamples() {
        List<ScalingAction> actions = run(new VpaPolicy(VpaSettings.defaults()), spec,
                new Allocation(1, 2000, 4096, 1.0), 500, 600, 9);
        assertThat(changes(actions)).isEmpty();
    }

    @Test
    void aRequestWithinTheRecommendedRangeIsNotEvicted() {
        // CPU 400..600 m: lower bound ~575-604 m, upper ~690-725 m; memory 500..700 MB: ~690-725 and ~805-845 MB.
        List<ScalingAction> actions = run(new VpaPolicy(VpaSettings.defaults()), spec,
                new Allocation(1, 650, 750, 1.0), CPU_CYCLE, MEM_CYCLE, 40);
        assertThat(changes(actions)).isEmpty();
    }

    @Test
    void aLoadChangeIsFollowedOnceTheOldUsageHasDecayed() {
        VpaPolicy vpa = new VpaPolicy(VpaSettings.defaults().withHalfLife(600_000));
        Allocation a = new Allocation(1, 650, 750, 1.0);
        assertThat(changes(run(vpa, spec, a, CPU_CYCLE, MEM_CYCLE, 20))).isEmpty();
        // The load doubles; the CPU is saturated at its request, so VPA grows it in margin-sized steps.
        List<StageAction> later = new ArrayList<>();
        for (int i = 20; i < 80; i++) {
            long at = T0 + i * ROUND;
            double util = Math.min(1.0, 1000.0 / a.cpuMillis());
            ScalingAction act = vpa.propose(input(context(at, 100, 500, window("pre", StageKind.CPU).allocation(a)
                    .cpuUtil(util).memUtil(MEM_CYCLE[i % 5] / a.memoryMb()).at(at)), spec)).action();
            for (StageAction s : act.stages()) {
                later.add(s);
                a = new Allocation(1, s.cpuMillicores(), s.memoryMb(), 1.0);
            }
        }
        assertThat(later).isNotEmpty();
        assertThat(a.cpuMillis()).isGreaterThanOrEqualTo(1000);
        // Evictions are at least the minimum update interval apart (5 min = 10 rounds), so at most 6 in 60 rounds.
        assertThat(later).hasSizeLessThanOrEqualTo(6);
    }

    @Test
    void gpuStagesAreLeftAlone() {
        VpaPolicy vpa = new VpaPolicy(VpaSettings.defaults());
        for (int i = 0; i < 30; i++) {
            long at = T0 + i * ROUND;
            ScalingAction act = vpa.propose(input(context(at, 100, 500, window("inf", StageKind.GPU)
                    .allocation(new Allocation(1, 4000, 8192, 0.5)).cpuUtil(0.05).memUtil(0.05).gpuUtil(1.0).at(at)),
                    spec)).action();
            assertThat(act.stages()).isEmpty();
        }
    }

    @Test
    void theRecommendationRespectsTheStageBounds() {
        // Usage of 20 m would recommend ~25 m; the stage's minimum is 250 m.
        List<StageAction> changes = changes(run(new VpaPolicy(VpaSettings.defaults()), spec,
                new Allocation(1, 2000, 4096, 1.0), 20, 100, 20));
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).cpuMillicores()).isEqualTo(250);
        assertThat(changes.get(0).memoryMb()).isEqualTo(256);
    }
}
