package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A proposed action for one stage with absolute targets (Appendix I). Fields the action type does not
 * use are ignored by the validator; null means "leave as is".
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageAction(String stage, ActionType action, Integer replicas, Integer cpuMillicores, Integer memoryMb,
                          Double rateRatio) {

    public static StageAction none(String stage) {
        return new StageAction(stage, ActionType.NONE, null, null, null, null);
    }

    public static StageAction replicas(String stage, int replicas) {
        return new StageAction(stage, ActionType.SCALE_REPLICAS, replicas, null, null, null);
    }

    public static StageAction resources(String stage, Integer cpuMillicores, Integer memoryMb) {
        return new StageAction(stage, ActionType.SCALE_RESOURCES, null, cpuMillicores, memoryMb, null);
    }

    public static StageAction rate(String stage, double rate) {
        return new StageAction(stage, ActionType.ADJUST_RATE, null, null, null, rate);
    }

    /** What runs after this action, before validation (fields the action type does not carry are kept). */
    public Allocation applyTo(Allocation a) {
        if (action == null) {
            return a;
        }
        Allocation out = a;
        if (action.touchesReplicas() && replicas != null) {
            out = out.withReplicas(replicas);
        }
        if (action.touchesResources() && cpuMillicores != null) {
            out = out.withCpuMillis(cpuMillicores);
        }
        if (action.touchesResources() && memoryMb != null) {
            out = out.withMemoryMb(memoryMb);
        }
        if (action == ActionType.ADJUST_RATE && rateRatio != null) {
            out = out.withRate(rateRatio);
        }
        return out;
    }
}
