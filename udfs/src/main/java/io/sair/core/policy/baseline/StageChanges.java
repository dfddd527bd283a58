package io.sair.core.policy.baseline;

import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.policy.Proposal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a baseline changes in one decision, stage by stage, each with the reason it gives: every baseline
 * collects its per-stage changes and turns them into one proposal the same way.
 */
final class StageChanges {

    private final List<StageAction> actions = new ArrayList<>();
    private final List<String> reasons = new ArrayList<>();

    void add(StageAction action, String reason) {
        actions.add(action);
        reasons.add(reason);
    }

    boolean isEmpty() {
        return actions.isEmpty();
    }

    /** The changes as one proposal whose rationale is {@code prefix} and the reasons; {@code unchanged} when none. */
    Proposal proposal(String prefix, String unchanged) {
        if (actions.isEmpty()) {
            return Proposal.none(unchanged);
        }
        return new Proposal(new ScalingAction(actions), prefix + String.join("; ", reasons));
    }
}
