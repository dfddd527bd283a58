package io.sair.sim.bench;

import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;

/** Creates a baseline policy with a sweep setting applied. */
final class BaselineFactory {

    private BaselineFactory() {
    }

    static Policy create(String name, Tuning t) {
        // Until io.sair.core.policy.baseline lands only static is available.
        if (name.equals("static")) {
            return new Policy() {
                @Override
                public Proposal propose(PolicyInput in) {
                    return Proposal.none("static");
                }

                @Override
                public String name() {
                    return "static";
                }
            };
        }
        throw new IllegalArgumentException("baseline '" + name + "' is not available yet");
    }
}
