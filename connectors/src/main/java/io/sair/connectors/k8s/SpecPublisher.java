package io.sair.connectors.k8s;

/** Where the resource sync sends specs: a keyed record of sair.pipelines, a null value deletes. */
@FunctionalInterface
public interface SpecPublisher {
    void publish(String pipeline, byte[] specJsonOrNull) throws Exception;
}
