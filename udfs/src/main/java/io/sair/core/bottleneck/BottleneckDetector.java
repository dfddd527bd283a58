package io.sair.core.bottleneck;

import io.sair.core.model.Bottleneck;
import io.sair.core.model.PipelineContext;
import io.sair.core.model.PipelineSpec;
import io.sair.core.model.StageKind;
import io.sair.core.model.StageSpec;
import io.sair.core.model.StageWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds saturated stages from utilisation (GPU already normalised to its rate) and queue build-up,
 * and names the class: the stage before the GPU stage is preprocessing, the GPU stage inference,
 * the stage after it postprocessing; two or more saturated stages are {@code multiple}.
 *
 * @param utilisation a stage at or above this utilisation is saturated (0.85)
 * @param backlogSeconds a stage whose queue grows and holds more than this many seconds of work is saturated (1.0)
 */
public record BottleneckDetector(double utilisation, double backlogSeconds) {

    public static BottleneckDetector defaults() {
        return new BottleneckDetector(0.85, 1.0);
    }

    public Bottleneck detect(PipelineContext ctx, PipelineSpec spec) {
        List<String> saturated = saturated(ctx, spec);
        if (saturated.isEmpty()) {
            return Bottleneck.NONE;
        }
        if (saturated.size() > 1) {
            return Bottleneck.MULTIPLE;
        }
        return role(spec, saturated.get(0));
    }

    /** Saturated stages in pipeline order. */
    public List<String> saturated(PipelineContext ctx, PipelineSpec spec) {
        List<String> out = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            Optional<StageWindow> w = ctx.stage(s.name());
            if (w.isPresent() && pressure(w.get()) >= 1.0) {
                out.add(s.name());
            }
        }
        return out;
    }

    /** >= 1 means saturated: the larger of utilisation over its threshold and growing backlog over its threshold. */
    public double pressure(StageWindow w) {
        double util = w.utilisation() / utilisation;
        double throughput = w.completions() / w.windowSeconds();
        double backlog = w.queueDepth() / Math.max(throughput, 1e-3);
        double queue = w.queueGrowth() > 0 ? backlog / backlogSeconds : 0.0;
        return Math.max(util, queue);
    }

    /** The paper's class of a stage by its position relative to the (first) GPU stage. */
    public static Bottleneck role(PipelineSpec spec, String stage) {
        int idx = spec.indexOf(stage);
        int gpu = -1;
        for (int i = 0; i < spec.stages().size(); i++) {
            if (spec.stages().get(i).kind() == StageKind.GPU) {
                gpu = i;
                break;
            }
        }
        if (gpu < 0) {
            // No GPU stage: first is preprocessing, last postprocessing, the middle inference.
            int last = spec.stages().size() - 1;
            return idx == 0 ? Bottleneck.PREPROCESSING : idx == last ? Bottleneck.POSTPROCESSING : Bottleneck.INFERENCE;
        }
        return idx < gpu ? Bottleneck.PREPROCESSING : idx == gpu ? Bottleneck.INFERENCE : Bottleneck.POSTPROCESSING;
    }
}
