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
        // A surge after the last one's hold has passed begins a new episode: the start of the one before is kept, so
        // that how often the stage's surges recur is known (recurrenceMs).
        if (nowMs - lastSurge(stage) >= ValidationRules.SURGE_HOLD_MS) {
            Long start = lastUp.get(stage + EPISODE_KEY);
            if (start != null) {
                u.put(stage + PREVIOUS_EPISODE_KEY, start);
            }
            u.put(stage + EPISODE_KEY, nowMs);
        }
        u.put(stage + SURGE_KEY, nowMs);
        return new Cooldowns(u, lastDown);
    }

    /**
     * How long apart the last two surge episodes of any stage began (0 when fewer than two are known): the load has
     * been seen to outrun the pipeline again after that long.
     */
    public long recurrenceMs() {
        long longest = 0;
        for (Map.Entry<String, Long> e : lastUp.entrySet()) {
            if (e.getKey().endsWith(PREVIOUS_EPISODE_KEY)) {
                String stage = e.getKey().substring(0, e.getKey().length() - PREVIOUS_EPISODE_KEY.length());
                Long start = lastUp.get(stage + EPISODE_KEY);
                if (start != null) {
                    longest = Math.max(longest, start - e.getValue());
                }
            }
        }
        return longest;
    }

    /** Event time of the stage's last surge; very long ago when none. */
    public long lastSurge(String stage) {
        return lastUp.getOrDefault(stage + SURGE_KEY, Long.MIN_VALUE / 2);
    }

    private static final String SURGE_KEY = "/surge";
    private static final String EPISODE_KEY = "/surge-episode";
    private static final String PREVIOUS_EPISODE_KEY = "/surge-episode-before";

    /** Forgets a stage (the spec dropped it). */
    public Cooldowns retainStages(java.util.Set<String> stages) {
        Map<String, Long> u = new HashMap<>(lastUp);
        Map<String, Long> dn = new HashMap<>(lastDown);
        u.keySet().removeIf(k -> !stages.contains(k.substring(0, k.lastIndexOf('/'))));
        dn.keySet().removeIf(k -> !stages.contains(k.substring(0, k.lastIndexOf('/'))));
        return new Cooldowns(u, dn);
    }
}
