package io.sair.connectors.actuate;

/**
 * Brings one decision's absolute targets into the world. Implementations never throw on a failed
 * API call: the failure goes into the result, and the job goes on.
 */
public interface Actuator extends AutoCloseable {

    /** The name on the results ({@code kubernetes}, {@code gpu-agent}). */
    String name();

    ActuationResult apply(ActuationRequest request);

    @Override
    default void close() {
    }
}
