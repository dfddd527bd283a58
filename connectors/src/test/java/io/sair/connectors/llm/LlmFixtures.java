package io.sair.connectors.llm;

import io.sair.core.cost.CostModel;
import io.sair.core.model.Allocation;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.PolicySettings;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.List;

/** A three-stage pipeline (cpu -> gpu -> cpu) that always asks the LLM (no exploration), and a context over it. */
final class LlmFixtures {

    static final long WINDOW_END = 1_767_225_630_000L;
    /** An answer the pipeline's spec accepts: one more preprocess replica. */
    static final String GOOD_ANSWER = "{\"preprocess\": {\"action\": \"scale_replicas\", \"replicas\": 3}, "
            + "\"inference\": {\"action\": \"none\"}, \"postprocess\": {\"action\": \"none\"}, "
            + "\"bottleneck\": \"preprocessing\", \"rationale\": \"the preprocess queue grows\"}";

    private LlmFixtures() {
    }

    static PipelineSpec spec() {
        PolicySettings llm = new PolicySettings("llm", null, null, 0.7, null, 0.0, null, 0.0, null, null, null);
        return new PipelineSpec(null, "imgcls", List.of(StageSpec.of("preprocess", StageKind.CPU),
                StageSpec.of("inference", StageKind.GPU), StageSpec.of("postprocess", StageKind.CPU)), 200.0, null, llm,
                null);
    }

    static PipelineContext context(PipelineSpec spec) {
        List<Allocation> allocs = List.of(new Allocation(2, 1000, 1024, 1.0), new Allocation(1, 1000, 1024, 0.5),
                new Allocation(1, 1000, 1024, 1.0));
        List<StageWindow> stages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            StageSpec s = spec.stages().get(i);
            double util = i == 0 ? 0.95 : 0.4;
            stages.add(new StageWindow(spec.name(), s.name(), s.kind(), WINDOW_END - 30_000, WINDOW_END, 6, allocs.get(i),
                    3000, 2800, i == 0 ? 400 : 5, i == 0 ? 200 : 0, s.kind() == StageKind.CPU ? util : 0.2, 0.3,
                    s.kind() == StageKind.GPU ? util : 0.0, 20, 80, Double.NaN, 0));
        }
        return new PipelineContext(spec.name(), WINDOW_END, stages, List.of(), 320, spec.slaP99Ms(), 100.0,
                CostModel.billable(spec, allocs), CostModel.effective(spec, allocs), CostModel.maxEffective(spec));
    }
}
