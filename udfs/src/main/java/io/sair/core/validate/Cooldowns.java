package io.sair.core.validate;

import java.util.HashMap;
import java.util.Map;

/**
 * Event time (ms) of the last scale-up and scale-down per stage and dimension; keys are
 * {@code stage/dimension}. Immutable: {@link #record} returns a new value.
 */
public record Cooldowns(Map<String, Long> lastUp, Map<String, Long> lastDown) {

    public Cooldowns {
        lastUp = Map.copyOf(lastUp);
        lastDown = Map.copyOf(lastDown);
    }

    public static Cooldowns none() {
        return new Cooldowns(Map.of(), Map.of());
    }

    static String key(String stage, Dimension d) {
        return stage + "/" + d.wire();
    }

    long lastUp(String stage, Dimension d) {
        return lastUp.getOrDefault(key(stage, d), Long.MIN_VALUE / 2);
    }

    long lastDown(String stage, Dimension d) {
        return lastDown.getOrDefault(key(stage, d), Long.MIN_VALUE / 2);
    }

    Cooldowns record(String stage, Dimension d, boolean up, long nowMs) {
        Map<String, Long> u = new HashMap<>(lastUp);
        Map<String, Long> dn = new HashMap<>(lastDown);
        (up ? u : dn).put(key(stage, d), nowMs);
        return new Cooldowns(u, dn);
    }

    /**
     * Marks a surge of the stage at {@code nowMs}: the validator then holds its scale-downs (kept beside the
     * dimensions' times under the key {@code stage/surge}, so the stored state keeps its shape).
     */
    public Cooldowns surged(String stage, long nowMs) {
        Map<String, Long> u = new HashMap<>(lastUp);
        u.put(stage + SURGE_KEY, nowMs);
        return new Cooldowns(u, lastDown);
    }

    /** Event time of the stage's last surge; very long ago when none. */
    public long lastSurge(String stage) {
        return lastUp.getOrDefault(stage + SURGE_KEY, Long.MIN_VALUE / 2);
    }

    private static final String SURGE_KEY = "/surge";

    /** Forgets a stage (the spec dropped it). */
    public Cooldowns retainStages(java.util.Set<String> stages) {
        Map<String, Long> u = new HashMap<>(lastUp);
        Map<String, Long> dn = new HashMap<>(lastDown);
        u.keySet().removeIf(k -> !stages.contains(k.substring(0, k.lastIndexOf('/'))));
        dn.keySet().removeIf(k -> !stages.contains(k.substring(0, k.lastIndexOf('/'))));
        return new Cooldowns(u, dn);
    }
}
