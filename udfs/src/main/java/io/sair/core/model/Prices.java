package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Prices per hour. Defaults from AWS on-demand: m5.xlarge ($0.192/h for 4 vCPU + 16 GiB, split as
 * $0.04 per core-hour and $0.002 per GiB-hour) and p3.2xlarge ($3.06/h per GPU).
 *
 * @param gpuShared whether a GPU is billed by the share of it a stage uses (other work runs on what its rate
 *     leaves free: MIG, MPS or time-slicing with a chargeback per share). Default false: a GPU replica is billed
 *     whole, so throttling it saves nothing, and the billable cost is what SAIR minimises; true: the
 *     effective cost (GPU scaled by its rate) is.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Prices(Double coreHour, Double gibHour, Double gpuHour, Boolean gpuShared) {

    public Prices {
        coreHour = coreHour == null ? 0.04 : coreHour;
        gibHour = gibHour == null ? 0.002 : gibHour;
        gpuHour = gpuHour == null ? 3.06 : gpuHour;
        gpuShared = gpuShared != null && gpuShared;
    }

    public Prices(Double coreHour, Double gibHour, Double gpuHour) {
        this(coreHour, gibHour, gpuHour, null);
    }

    public static Prices aws() {
        return new Prices(null, null, null);
    }
}
