package io.sair.core.policy.llm;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * One stage's entry as the LLM wrote it, bound by Jackson: keys in any case, the camelCase spellings as
 * aliases, numbers given as strings, and a bare action word ({@code "pre": "none"}) for an entry without
 * targets. Targets are doubles here so that the reader, not Jackson, decides about fractions, NaN and
 * overflow (Jackson would truncate 2.7 to 2 and NaN to 0).
 */
record StageAnswer(
        @JsonProperty(ActionSchema.ACTION) @JsonAlias("type") String action,
        @JsonProperty(ActionSchema.REPLICAS) @JsonAlias("replicaCount") Double replicas,
        @JsonProperty(ActionSchema.CPU) @JsonAlias({"cpuMillicores", "cpu"}) Double cpuMillicores,
        @JsonProperty(ActionSchema.MEMORY) @JsonAlias({"memoryMb", "memory"}) Double memoryMb,
        @JsonProperty(ActionSchema.RATE) @JsonAlias({"rateRatio", "rate"}) Double rateRatio) {

    private static final ObjectReader READER = JsonAnswer.MAPPER.readerFor(StageAnswer.class);

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static StageAnswer of(String action) {
        return new StageAnswer(action, null, null, null, null);
    }

    /**
     * Binds an entry; an unknown key goes to {@code unknown} and is skipped. Throws Jackson's mapping
     * exception for a value of the wrong type (the entry cannot be used), null for a JSON null.
     */
    static StageAnswer bind(JsonNode entry, Consumer<String> unknown) throws IOException {
        return READER.withHandler(new DeserializationProblemHandler() {
            @Override
            public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> d,
                                                 Object bean, String name) throws IOException {
                unknown.accept(name);
                p.skipChildren();
                return true;
            }
        }).readValue(entry);
    }

    boolean hasResources() {
        return cpuMillicores != null || memoryMb != null;
    }
}
