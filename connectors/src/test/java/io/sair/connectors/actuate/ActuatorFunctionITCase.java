package io.sair.connectors.actuate;

import static io.sair.connectors.actuate.TestDecisions.decision;
import static io.sair.connectors.actuate.TestDecisions.replicas;
import static io.sair.connectors.actuate.TestDecisions.spec;
import static io.sair.connectors.actuate.TestDecisions.stage;
import static org.assertj.core.api.Assertions.assertThat;

import io.sair.core.model.KubeTarget;
import io.sair.core.model.Mode;
import io.sair.core.model.StageKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The async actuator operator on a MiniCluster: results per actuator; a throwing or overrunning actuator fails nothing. */
class ActuatorFunctionITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Applies everything, except pipeline "boom" (throws) and "slow" (outlasts the operator's timeout). */
    static final class ScriptedActuator implements Actuator {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public ActuationResult apply(ActuationRequest r) {
            switch (r.decision().pipeline()) {
                case "boom" -> throw new IllegalStateException("kaputt");
                case "slow" -> {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                default -> {
                }
            }
            return ActuationResult.of(r.decision(), name(), List.of(new ActuationStep("pre", "replicas", "x",
                    "replicas=2", "replicas=2", Outcome.APPLIED, 1, null)));
        }
    }

    @Test
    void everyRequestGetsAResultAndTheJobFinishes() throws Exception {
        Configuration conf = new Configuration();
        conf.setString("pipeline.generic-types", "false");
        conf.setString("pipeline.auto-generate-uids", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        List<ActuationRequest> requests = java.util.stream.Stream.of("ok", "boom", "slow")
                .map(p -> new ActuationRequest(decision(p, 30_000, Mode.ENFORCE, replicas("pre", StageKind.CPU, 1, 2)),
                        spec(p, Mode.ENFORCE, stage("pre", StageKind.CPU, new KubeTarget("ml", "pre", null, false)))))
                .toList();
        DataStream<ActuationRequest> in = env.fromData(requests, TypeInformation.of(ActuationRequest.class))
                .uid("requests").name("requests");
        Duration timeout = Duration.ofMillis(1500);
        ActuatorFactory factory = () -> List.of(new ScriptedActuator());
        DataStream<ActuationResult> out = AsyncDataStream.orderedWait(in, new ActuatorFunction(factory, timeout),
                        timeout.toMillis(), TimeUnit.MILLISECONDS, 16)
                .returns(TypeInformation.of(ActuationResult.class))
                .uid("actuator").name("actuator");

        List<ActuationResult> results = out.executeAndCollect(10);

        Map<String, ActuationResult> byPipeline = results.stream()
                .collect(Collectors.toMap(ActuationResult::pipeline, r -> r));
        assertThat(byPipeline).hasSize(3);
        assertThat(byPipeline.get("ok").outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(byPipeline.get("boom").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(byPipeline.get("boom").steps().get(0).error()).contains("actuator error").contains("kaputt");
        assertThat(byPipeline.get("slow").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(byPipeline.get("slow").steps().get(0).error()).contains("not finished within PT1.5S");
    }
}
