package io.sair.connectors.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sair.core.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * RFC 6902 patches. JSON patch because it addresses one container by index without replacing the
 * list (a merge patch replaces lists; strategic merge is not served by every API server).
 */
final class JsonPatch {

    private JsonPatch() {
    }

    /**
     * Replaces the resources of the container at {@code containerPath}, guarded by a test of its name:
     * if the containers were reordered since they were read, the server refuses instead of resizing the
     * wrong one.
     */
    static String replaceResources(String containerPath, String containerName, ResourceRequirements resources,
                                   KubernetesClient client) {
        ArrayNode ops = Json.MAPPER.createArrayNode();
        ops.addObject().put("op", "test").put("path", containerPath + "/name").put("value", containerName);
        try {
            ops.addObject().put("op", "add").put("path", containerPath + "/resources")
                    .set("value", Json.MAPPER.readTree(client.getKubernetesSerialization().asJson(resources)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ops.toString();
    }
}
