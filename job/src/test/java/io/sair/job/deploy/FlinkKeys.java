package io.sair.job.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;

/**
 * The keys Flink declares in the option classes our configuration draws from: Flink ignores a key
 * it does not know, so a misspelt setting would otherwise pass silently.
 */
final class FlinkKeys {

    private static final List<Class<?>> OPTION_CLASSES = List.of(CoreOptions.class, JobManagerOptions.class,
            TaskManagerOptions.class, RestOptions.class, StateBackendOptions.class, RocksDBOptions.class,
            CheckpointingOptions.class, RestartStrategyOptions.class, PipelineOptions.class,
            HighAvailabilityOptions.class);

    private FlinkKeys() {
    }

    static Set<String> declared() {
        Set<String> keys = new HashSet<>();
        for (Class<?> type : OPTION_CLASSES) {
            for (Field f : type.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> option = (ConfigOption<?>) get(f);
                    keys.add(option.key());
                    for (FallbackKey k : option.fallbackKeys()) {
                        keys.add(k.getKey());
                    }
                }
            }
        }
        return keys;
    }

    /** Keys that are neither declared nor a reporter's (reporters take free-form keys under their name). */
    static Set<String> unknown(Set<String> keys) {
        Set<String> declared = declared();
        Set<String> unknown = new HashSet<>();
        for (String k : keys) {
            if (!declared.contains(k) && !k.startsWith("metrics.reporter.")) {
                unknown.add(k);
            }
        }
        return unknown;
    }

    private static Object get(Field f) {
        try {
            return f.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(f.toString(), e);
        }
    }
}
