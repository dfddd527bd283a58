package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline's overrides of the shaped reward's weights, caps and margin (DESIGN.md section 5 calls them
 * configuration); a null field keeps the controller's default (the paper's values: 0.7, 0.3, 4, 0.2, 0.2, 5).
 *
 * @param latencyWeight weight of the p99 improvement
 * @param costWeight weight of the cost improvement
 * @param slaPenaltyCap cap of the SLA penalty
 * @param paretoMargin bonus of a point the frontier does not dominate
 * @param bonusWeight weight of the proactive scale-up bonus (0 disables it)
 * @param clip the total reward is clipped to [-clip, clip]
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RewardSettings(Double latencyWeight, Double costWeight, Double slaPenaltyCap, Double paretoMargin,
                             Double bonusWeight, Double clip) {

    /** Every problem, each naming its field under {@code at}; empty when usable. */
    public List<String> problems(String at) {
        List<String> p = new ArrayList<>();
        nonNegative(p, at + ".latencyWeight", latencyWeight);
        nonNegative(p, at + ".costWeight", costWeight);
        nonNegative(p, at + ".paretoMargin", paretoMargin);
        nonNegative(p, at + ".bonusWeight", bonusWeight);
        positive(p, at + ".slaPenaltyCap", slaPenaltyCap);
        positive(p, at + ".clip", clip);
        return p;
    }

    private static void nonNegative(List<String> p, String field, Double v) {
        if (v != null && !(v >= 0 && v < Double.POSITIVE_INFINITY)) {
            p.add(field + ": must be a finite number >= 0");
        }
    }

    private static void positive(List<String> p, String field, Double v) {
        if (v != null && !(v > 0 && v < Double.POSITIVE_INFINITY)) {
            p.add(field + ": must be a finite number > 0");
        }
    }
}
