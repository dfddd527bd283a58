package io.sair.connectors.k8s;

import io.sair.core.model.ScalingDecision;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/**
 * The decisions into their PipelineAutoscalers' status ({@link AutoscalerStatusWriter}). No state and
 * no delivery guarantee: a status lost in a failover is rewritten by the next decision.
 */
public final class AutoscalerStatusSink implements Sink<ScalingDecision> {

    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final Duration requestTimeout;

    /** {@code namespace} blank: the resources of all namespaces. */
    public AutoscalerStatusSink(String namespace, Duration requestTimeout) {
        this.namespace = namespace;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public SinkWriter<ScalingDecision> createWriter(WriterInitContext context) {
        AutoscalerStatusWriter writer = new AutoscalerStatusWriter(KubeClients.fromEnvironment(requestTimeout), namespace);
        Counter written = context.metricGroup().counter("sairAutoscalerStatusWrites");
        context.metricGroup().gauge("sairAutoscalerStatusFailures", writer::failures);
        return new SinkWriter<>() {
            @Override
            public void write(ScalingDecision d, Context ctx) {
                if (writer.write(d)) {
                    written.inc();
                }
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
                writer.close();
            }
        };
    }
}
