package io.sair.core.policy.baseline;

import io.sair.core.model.ActionType;
import io.sair.core.model.Allocation;
import io.sair.core.model.ScalingAction;
import io.sair.core.model.StageAction;
import io.sair.core.model.StageKind;
import io.sair.core.policy.Policy;
import io.sair.core.policy.Proposal;
import io.sair.core.policy.PolicyInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The paper's Static baseline: one replica per stage with the spec's initial resources and rate, never changed. */
public final class StaticPolicy implements Policy {

    @Override
    public Proposal propose(PolicyInput in) {
        List<StageAction> actions = new ArrayList<>();
        for (PresentStage s : PresentStage.of(in)) {
            Allocation initial = s.spec().initial();
            Allocation fixed = new Allocation(s.clampReplicas(1), initial.cpuMillis(), initial.memoryMb(), initial.rate());
            toward(s, fixed).ifPresent(actions::add);
        }
        if (actions.isEmpty()) {
            return Proposal.none("static: every stage runs its fixed allocation");
        }
        return new Proposal(new ScalingAction(actions), "static: restore the fixed allocation (1 replica per stage)");
    }

    /**
     * The one action that moves a stage towards the fixed allocation. A GPU stage cannot change replicas
     * and rate in one action, so replicas go first and the rate follows in the next round.
     */
    static Optional<StageAction> toward(PresentStage s, Allocation fixed) {
        Allocation cur = s.current();
        String name = s.name();
        boolean replicas = cur.replicas() != fixed.replicas();
        if (s.spec().kind() == StageKind.GPU) {
            if (replicas) {
                return Optional.of(StageAction.replicas(name, fixed.replicas()));
            }
            if (Math.abs(cur.rate() - fixed.rate()) > 1e-9) {
                return Optional.of(StageAction.rate(name, fixed.rate()));
            }
            return Optional.empty();
        }
        boolean resources = cur.cpuMillis() != fixed.cpuMillis() || cur.memoryMb() != fixed.memoryMb();
        if (replicas && resources) {
            return Optional.of(new StageAction(name, ActionType.SCALE_BOTH, fixed.replicas(), fixed.cpuMillis(),
                    fixed.memoryMb(), null));
        }
        if (replicas) {
            return Optional.of(StageAction.replicas(name, fixed.replicas()));
        }
        if (resources) {
            return Optional.of(StageAction.resources(name, fixed.cpuMillis(), fixed.memoryMb()));
        }
        return Optional.empty();
    }

    @Override
    public String name() {
        return "static";
    }
}
