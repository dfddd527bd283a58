package io.sair.core.validate;

import io.sair.core.model.Adjustment;
import io.sair.core.model.StageTarget;
import java.util.List;

/**
 * The feasible action that may reach an actuator.
 *
 * @param targets one per stage present in the context, in spec order
 * @param adjustments every change made to the proposal, and why
 * @param scaleUpShare mean over the stages' action dimensions of the scale-up as a fraction of the step, in [0,1]
 */
public record Validated(List<StageTarget> targets, List<Adjustment> adjustments, Cooldowns cooldowns,
                        double scaleUpShare) {
}
