package io.sair.connectors.llm;

import io.sair.core.policy.llm.LlmClient;
import io.sair.core.policy.llm.LlmClientFactory;

/** Creates {@link LangchainLlmClient}s where the job runs; the key is read there, from that machine's environment. */
public final class LangchainLlmClientFactory implements LlmClientFactory {

    private static final long serialVersionUID = 1L;

    private final LlmSettings settings;

    public LangchainLlmClientFactory(LlmSettings settings) {
        this.settings = settings;
    }

    @Override
    public LlmClient create() {
        return new LangchainLlmClient(settings, System.getenv());
    }

    @Override
    public String defaultProvider() {
        return settings.provider() == null ? null : settings.provider().wire();
    }

    public LlmSettings settings() {
        return settings;
    }
}
