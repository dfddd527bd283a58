package io.sair.connectors.actuate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.sair.core.model.ScalingDecision;
import java.util.List;

/**
 * What one actuator did with one decision: the second record type on {@code sair.actions}, told
 * apart from a ScalingDecision by {@code record = "actuation"} (and the Kafka header
 * {@code sair.record: actuation}). It has no {@code stages} field, so a reader of decisions rejects it.
 *
 * @param actuator {@code kubernetes} or {@code gpu-agent}
 * @param outcome the worst step outcome (failed > applied > shadow > unchanged); unchanged when there were no steps
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActuationResult(int v, String record, String decisionId, String pipeline, long windowEnd,
                              String actuator, Outcome outcome, List<ActuationStep> steps) {

    public static final int VERSION = 1;
    public static final String RECORD = "actuation";

    public ActuationResult {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public static ActuationResult of(ScalingDecision d, String actuator, List<ActuationStep> steps) {
        return new ActuationResult(VERSION, RECORD, d.decisionId(), d.pipeline(), d.windowEnd(), actuator,
                worst(steps), steps);
    }

    static Outcome worst(List<ActuationStep> steps) {
        Outcome w = Outcome.UNCHANGED;
        for (ActuationStep s : steps) {
            if (rank(s.outcome()) > rank(w)) {
                w = s.outcome();
            }
        }
        return w;
    }

    private static int rank(Outcome o) {
        return switch (o) {
            case UNCHANGED -> 0;
            case SHADOW -> 1;
            case APPLIED -> 2;
            case FAILED -> 3;
        };
    }

    public long failedSteps() {
        return steps.stream().filter(s -> s.outcome() == Outcome.FAILED).count();
    }

    /** Calls beyond the first for each written step: how often the API pushed back. */
    public long retries() {
        return steps.stream().mapToLong(s -> Math.max(0, s.attempts() - 1)).sum();
    }
}
