package io.sair.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A stage's optional Kafka input: read, written back only where given, and checked like the rest of the spec. */
class KafkaInputSpecTest {

    private static PipelineSpec read(String stage) {
        String json = "{\"name\":\"imgcls\",\"slaP99Ms\":200,\"stages\":[" + stage + "]}";
        return Json.read(json.getBytes(StandardCharsets.UTF_8), PipelineSpec.class);
    }

    @Test
    void aStageDeclaresTheTopicAndGroupItReads() {
        PipelineSpec spec = read("{\"name\":\"inference\",\"kind\":\"gpu\",\"input\":{\"topic\":\"frames\",\"group\":\"inf\"}}");
        assertThat(spec.problems()).isEmpty();
        assertThat(spec.stages().get(0).input()).isEqualTo(new KafkaInput("frames", "inf"));
        assertThat(Json.writeString(spec)).contains("\"input\":{\"topic\":\"frames\",\"group\":\"inf\"}");
    }

    @Test
    void aSpecWithoutInputsReadsAndWritesAsBefore() {
        PipelineSpec spec = read("{\"name\":\"inference\",\"kind\":\"gpu\"}");
        assertThat(spec.problems()).isEmpty();
        assertThat(spec.stages().get(0).input()).isNull();
        assertThat(Json.writeString(spec)).doesNotContain("input");
    }

    @Test
    void anInputWithoutATopicNameOrGroupIsAProblemOfItsStage() {
        assertThat(read("{\"name\":\"inference\",\"kind\":\"gpu\",\"input\":{\"topic\":\"bad topic\",\"group\":\"inf\"}}")
                .problems()).containsExactly("stages[0].input.topic: must be a Kafka topic name ([A-Za-z0-9._-]{1,249})");
        assertThat(read("{\"name\":\"inference\",\"kind\":\"gpu\",\"input\":{\"topic\":\"frames\"}}").problems())
                .containsExactly("stages[0].input.group: missing (the consumer group the stage's pods read the topic with)");
    }
}
