package io.sair.core.validate;

/**
 * Which rules apply. SAIR's proposals get all of them; the baselines, which are production
 * autoscalers with their own pacing, get bounds only (they are not SAIR's to slow down).
 */
public record ValidationRules(boolean stepLimits, boolean cooldowns, boolean memoryFloor) {

    public static ValidationRules sair() {
        return new ValidationRules(true, true, true);
    }

    public static ValidationRules boundsOnly() {
        return new ValidationRules(false, false, false);
    }
}
