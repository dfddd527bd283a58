package io.sair.core.bottleneck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.Fixtures;
import io.sair.core.model.Bottleneck;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

class BottleneckDetectorTest {

    private final PipelineSpec spec = Fixtures.spec();
    private final BottleneckDetector d = BottleneckDetector.defaults();

    private PipelineContext ctx(double pre, double inf, double post) {
        return Fixtures.context(spec, 300_000, 150, List.of(Fixtures.alloc(1), Fixtures.alloc(1), Fixtures.alloc(1)),
                new double[] {pre, inf, post});
    }

    @Test
    void namesTheSaturatedStageByItsRole() {
        assertThat(d.detect(ctx(0.95, 0.4, 0.2), spec)).isEqualTo(Bottleneck.PREPROCESSING);
        assertThat(d.detect(ctx(0.3, 0.97, 0.2), spec)).isEqualTo(Bottleneck.INFERENCE);
        assertThat(d.detect(ctx(0.3, 0.4, 0.9), spec)).isEqualTo(Bottleneck.POSTPROCESSING);
        assertThat(d.detect(ctx(0.9, 0.9, 0.2), spec)).isEqualTo(Bottleneck.MULTIPLE);
        assertThat(d.detect(ctx(0.3, 0.4, 0.2), spec)).isEqualTo(Bottleneck.NONE);
    }

    @Test
    void aGrowingBacklogSaturatesAStageBelowTheUtilisationThreshold() {
        StageWindow backlog = Fixtures.stage("inference", StageKind.GPU, 300_000, Fixtures.alloc(1), 0.6, 500, 200);
        PipelineContext c = ctx(0.3, 0.6, 0.2);
        PipelineContext withBacklog = new PipelineContext(c.pipeline(), c.windowEnd(),
                List.of(c.stages().get(0), backlog, c.stages().get(2)), List.of(), c.p99Ms(), c.slaMs(), c.arrivalRate(),
                c.billableCostPerHour(), c.effectiveCostPerHour(), c.maxCostPerHour());
        assertThat(d.detect(withBacklog, spec)).isEqualTo(Bottleneck.INFERENCE);
        // A standing queue that is not growing is not a bottleneck by itself.
        StageWindow standing = Fixtures.stage("inference", StageKind.GPU, 300_000, Fixtures.alloc(1), 0.6, 500, 0);
        assertThat(d.pressure(standing)).isLessThan(1.0);
    }
}
