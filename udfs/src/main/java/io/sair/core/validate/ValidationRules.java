package io.sair.core.validate;

/**
 * Which rules apply. SAIR's proposals get all of them; the baselines, which are production
 * autoscalers with their own pacing, get bounds only (they are not SAIR's to slow down).
 *
 * @param surgeHoldMs after a surge of a stage, no dimension of it shrinks for this long (releasing is slow and
 *     asymmetric: Kubernetes' HPA holds a scale-down for its 300 s stabilisation window); 0: no hold
 * @param wholeGpus a GPU billed whole is never throttled and gains a replica only when the running ones at
 *     their highest rate cannot serve ({@link io.sair.core.policy.WholeGpus})
 */
public record ValidationRules(boolean stepLimits, boolean cooldowns, boolean memoryFloor, long surgeHoldMs,
                              boolean wholeGpus) {

    /** HPA's default scale-down stabilisation window. */
    public static final long SURGE_HOLD_MS = 300_000;

    /** The three-flag form: the surge hold goes with the cooldowns (both are SAIR's pacing). */
    public ValidationRules(boolean stepLimits, boolean cooldowns, boolean memoryFloor) {
        this(stepLimits, cooldowns, memoryFloor, cooldowns ? SURGE_HOLD_MS : 0);
    }

    /** The four-flag form: whole GPUs go with the step limits (both are SAIR's). */
    public ValidationRules(boolean stepLimits, boolean cooldowns, boolean memoryFloor, long surgeHoldMs) {
        this(stepLimits, cooldowns, memoryFloor, surgeHoldMs, stepLimits);
    }

    public static ValidationRules sair() {
        return new ValidationRules(true, true, true, SURGE_HOLD_MS, true);
    }

    public static ValidationRules boundsOnly() {
        return new ValidationRules(false, false, false, 0, false);
    }
}
