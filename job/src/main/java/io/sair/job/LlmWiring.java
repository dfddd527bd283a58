package io.sair.job;

import io.sair.connectors.llm.LangchainLlmClientFactory;
import io.sair.connectors.llm.LlmProvider;
import io.sair.connectors.llm.LlmSettings;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;

/**
 * The LLM settings of the job: each job option that is set, else its SAIR_LLM_* environment variable, else
 * the default. The same variables configure the job, the demo and the bench, so a user switches providers
 * without editing anything.
 */
public final class LlmWiring {

    private LlmWiring() {
    }

    public static LlmSettings settings(Configuration conf, Map<String, String> env) {
        LlmSettings s = LlmSettings.fromEnvironment(env)
                .withLimits(conf.get(SairOptions.LLM_MAX_IN_FLIGHT), conf.get(SairOptions.LLM_MAX_RETRIES));
        Optional<String> provider = conf.getOptional(SairOptions.LLM_PROVIDER);
        if (provider.isPresent()) {
            String p = provider.get().trim().toLowerCase(Locale.ROOT);
            s = s.withProvider(p.isEmpty() || p.equals("none") ? null : LlmProvider.parse(p));
        }
        s = conf.getOptional(SairOptions.LLM_BASE_URL).map(s::withBaseUrl).orElse(s);
        s = conf.getOptional(SairOptions.LLM_MODEL).map(s::withModel).orElse(s);
        s = conf.getOptional(SairOptions.LLM_TIMEOUT).map(s::withTimeout).orElse(s);
        return conf.getOptional(SairOptions.LLM_API_KEY_FILE).map(s::withApiKeyFile).orElse(s);
    }

    /** The factory the controller creates its client with (also for pipelines naming their own provider). */
    public static LangchainLlmClientFactory factory(Configuration conf, Map<String, String> env) {
        return new LangchainLlmClientFactory(settings(conf, env));
    }
}
