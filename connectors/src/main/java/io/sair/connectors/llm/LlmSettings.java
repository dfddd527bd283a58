package io.sair.connectors.llm;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * How to reach the LLM: provider, endpoint, model, the per-call deadline, how many calls may be in flight
 * and how often a failed call is retried within its deadline. Holds no secret: the API key is read where
 * the client is created ({@link ApiKeys}), from the environment or a mounted file, so it never travels
 * with the job graph or appears in the job's configuration.
 *
 * @param provider the default provider; null: no LLM configured (pipelines use the built-in selector)
 * @param baseUrl the configured provider's endpoint; null: the provider's public default
 * @param model the configured provider's model; null: the provider's default
 * @param apiKeyFile a file holding the key (a mounted Kubernetes Secret); null: none
 */
public record LlmSettings(LlmProvider provider, String baseUrl, String model, Duration timeout, int maxInFlight,
                          int maxRetries, String apiKeyFile) implements Serializable {

    public static final String ENV_PROVIDER = "SAIR_LLM_PROVIDER";
    public static final String ENV_BASE_URL = "SAIR_LLM_BASE_URL";
    public static final String ENV_MODEL = "SAIR_LLM_MODEL";
    public static final String ENV_API_KEY = "SAIR_LLM_API_KEY";
    public static final String ENV_API_KEY_FILE = "SAIR_LLM_API_KEY_FILE";
    public static final String ENV_TIMEOUT_MS = "SAIR_LLM_TIMEOUT_MS";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_IN_FLIGHT = 16;
    public static final int DEFAULT_MAX_RETRIES = 1;

    public LlmSettings {
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("LLM timeout must be positive, got " + timeout);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("LLM max in-flight calls must be at least 1, got " + maxInFlight);
        }
        if (maxRetries < 0 || maxRetries > 5) {
            throw new IllegalArgumentException("LLM retries must be in [0, 5], got " + maxRetries);
        }
        baseUrl = blankToNull(baseUrl);
        model = blankToNull(model);
        apiKeyFile = blankToNull(apiKeyFile);
    }

    public static LlmSettings none() {
        return new LlmSettings(null, null, null, null, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RETRIES, null);
    }

    /** The settings the SAIR_LLM_* variables give (provider unset or "none": no provider). */
    public static LlmSettings fromEnvironment(Map<String, String> env) {
        String provider = blankToNull(env.get(ENV_PROVIDER));
        // "none" says so explicitly, as the job option sair.llm.provider takes it.
        provider = provider != null && provider.trim().equalsIgnoreCase("none") ? null : provider;
        String timeout = blankToNull(env.get(ENV_TIMEOUT_MS));
        Duration t = DEFAULT_TIMEOUT;
        if (timeout != null) {
            try {
                t = Duration.ofMillis(Long.parseLong(timeout.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(ENV_TIMEOUT_MS + " must be a number of milliseconds, got '"
                        + timeout + "'");
            }
        }
        return new LlmSettings(provider == null ? null : LlmProvider.parse(provider), env.get(ENV_BASE_URL),
                env.get(ENV_MODEL), t, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RETRIES, env.get(ENV_API_KEY_FILE));
    }

    public boolean configured() {
        return provider != null;
    }

    /** The endpoint for a provider: the configured one for the configured provider, else its public default. */
    public String baseUrlFor(LlmProvider p) {
        return p == provider && baseUrl != null ? baseUrl : p.defaultBaseUrl();
    }

    public String modelFor(LlmProvider p) {
        return p == provider && model != null ? model : p.defaultModel();
    }

    public LlmSettings withProvider(LlmProvider p) {
        return new LlmSettings(p, baseUrl, model, timeout, maxInFlight, maxRetries, apiKeyFile);
    }

    public LlmSettings withBaseUrl(String u) {
        return new LlmSettings(provider, u, model, timeout, maxInFlight, maxRetries, apiKeyFile);
    }

    public LlmSettings withModel(String m) {
        return new LlmSettings(provider, baseUrl, m, timeout, maxInFlight, maxRetries, apiKeyFile);
    }

    public LlmSettings withTimeout(Duration t) {
        return new LlmSettings(provider, baseUrl, model, t, maxInFlight, maxRetries, apiKeyFile);
    }

    public LlmSettings withLimits(int inFlight, int retries) {
        return new LlmSettings(provider, baseUrl, model, timeout, inFlight, retries, apiKeyFile);
    }

    public LlmSettings withApiKeyFile(String f) {
        return new LlmSettings(provider, baseUrl, model, timeout, maxInFlight, maxRetries, f);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
