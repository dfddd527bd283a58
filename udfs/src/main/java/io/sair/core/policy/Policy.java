package io.sair.core.policy;

/**
 * Proposes an action for a round. SAIR's selectors and the baselines all implement this, so the
 * simulator and the benchmark drive them the same way. Implementations may keep per-pipeline state
 * (the baselines do); they must not read the wall clock (time is {@link PolicyInput#nowMs()}).
 */
public interface Policy {

    Proposal propose(PolicyInput in);

    String name();
}
