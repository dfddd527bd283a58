package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Prices per hour. Defaults from AWS on-demand: m5.xlarge ($0.192/h for 4 vCPU + 16 GiB, split as
 * $0.04 per core-hour and $0.002 per GiB-hour) and p3.2xlarge ($3.06/h per GPU).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Prices(Double coreHour, Double gibHour, Double gpuHour) {

    public Prices {
        coreHour = coreHour == null ? 0.04 : coreHour;
        gibHour = gibHour == null ? 0.002 : gibHour;
        gpuHour = gpuHour == null ? 3.06 : gpuHour;
    }

    public static Prices aws() {
        return new Prices(null, null, null);
    }
}
