package io.sair.connectors.actuate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One change to one object: a Deployment's replicas, a container's resources, one pod's GPU rate.
 *
 * @param object what was changed, e.g. {@code deployments/ns/name/scale}, {@code pods/ns/name/resize},
 *               {@code http://10.0.0.7:8470 p/infer/pod-0}
 * @param wanted the absolute target, e.g. {@code replicas=4}, {@code cpu=1500m memory=2048Mi}, {@code rate=0.5}
 * @param readBack what the server reported after the write (or before, when unchanged); null when unknown
 * @param attempts tries made (each a read and, where needed, a write; retries included); 0 when no call was made
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActuationStep(String stage, String dimension, String object, String wanted, String readBack,
                            Outcome outcome, int attempts, String error) {

    public static ActuationStep failed(String stage, String dimension, String object, String wanted, int attempts,
                                       String error) {
        return new ActuationStep(stage, dimension, object, wanted, null, Outcome.FAILED, attempts, error);
    }
}
