package io.sair.core.validate;

/**
 * Which rules apply. SAIR's proposals get all of them; the baselines, which are production
 * autoscalers with their own pacing, get bounds only (they are not SAIR's to slow down).
 *
 * @param surgeHoldMs after a surge of a stage, no dimension of it shrinks for this long (releasing is slow and
 *     asymmetric: Kubernetes' HPA holds a scale-down for its 300 s stabilisation window); 0: no hold
 */
public record ValidationRules(boolean stepLimits, boolean cooldowns, boolean memoryFloor, long surgeHoldMs) {

    /** HPA's default scale-down stabilisation window. */
    public static final long SURGE_HOLD_MS = 300_000;

    /** The three-flag form: the surge hold goes with the cooldowns (both are SAIR's pacing). */
    public ValidationRules(boolean stepLimits, boolean cooldowns, boolean memoryFloor) {
        this(stepLimits, cooldowns, memoryFloor, cooldowns ? SURGE_HOLD_MS : 0);
    }

    public static ValidationRules sair() {
        return new ValidationRules(true, true, true, SURGE_HOLD_MS);
    }

    public static ValidationRules boundsOnly() {
        return new ValidationRules(false, false, false, 0);
    }
}
