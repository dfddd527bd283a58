package io.sair.core.policy.baseline;

import io.sair.core.policy.Policy;
import java.util.List;
import java.util.Locale;

/** Creates the paper's baseline autoscalers by name; each call gives a fresh instance for one pipeline run. */
public final class Baselines {

    public static final List<String> NAMES = List.of("static", "hpa", "vpa", "threshold");

    private Baselines() {
    }

    public static Policy create(String name, BaselineSettings settings) {
        BaselineSettings s = settings == null ? BaselineSettings.defaults() : settings;
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "static" -> new StaticPolicy();
            case "hpa" -> new HpaPolicy(s.hpa());
            case "vpa" -> new VpaPolicy(s.vpa());
            case "threshold" -> new ThresholdPolicy(s.threshold());
            default -> throw new IllegalArgumentException("unknown baseline '" + name + "' (one of " + NAMES + ")");
        };
    }
}
