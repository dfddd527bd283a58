package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One report of one stage (or replica) for one period: the record on {@code sair.metrics}.
 * Field names are the wire contract. Boxed fields so a missing field is visible to validation.
 *
 * @param latencyMs per-request stage latencies of the period (samples)
 * @param latencyHist the same as a base64 compressed HdrHistogram of microseconds (see LatencyHistograms), instead of samples
 * @param e2eLatencyMs end-to-end latencies of requests that completed the pipeline (last stage)
 * @param e2eLatencyHist the same as a base64 compressed HdrHistogram
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageMetrics(
        Integer v,
        String pipeline,
        String stage,
        String pod,
        Long ts,
        StageKind kind,
        Integer replicas,
        Integer cpuMillis,
        Integer memoryMb,
        Double gpuRate,
        Long arrivals,
        Long completions,
        Long queueDepth,
        Double cpuUtil,
        Double memUtil,
        Double gpuUtil,
        List<Double> latencyMs,
        String latencyHist,
        List<Double> e2eLatencyMs,
        String e2eLatencyHist) {

    public static final int VERSION = 1;
}
