package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/**
 * All stages of one pipeline for one window: what the controller sees each round.
 *
 * @param stages in spec order; stages that did not report are absent and named in {@code missing}
 * @param p99Ms end-to-end p99 of the window
 * @param arrivalRate requests per second entering the pipeline
 * @param billableCostPerHour cost of the allocation, whole GPUs billed
 * @param effectiveCostPerHour the same with GPU cost scaled by the rate ratio
 * @param maxCostPerHour effective cost at the maximum allocation the spec allows (normalises cost)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PipelineContext(
        String pipeline,
        long windowEnd,
        List<StageWindow> stages,
        List<String> missing,
        double p99Ms,
        double slaMs,
        double arrivalRate,
        double billableCostPerHour,
        double effectiveCostPerHour,
        double maxCostPerHour) {

    public PipelineContext {
        stages = List.copyOf(stages);
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    public boolean complete() {
        return missing.isEmpty();
    }

    public Optional<StageWindow> stage(String name) {
        // A loop, not a stream: policies and the simulator look stages up for every window.
        for (StageWindow s : stages) {
            if (s.stage().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public boolean slaViolated() {
        return p99Ms > slaMs;
    }
}
