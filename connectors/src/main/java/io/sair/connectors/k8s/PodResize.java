package io.sair.connectors.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code pods/NAME/resize} subresource (in-place pod resize, Kubernetes 1.33+). fabric8 7.8 has no
 * DSL for it, so the patch goes through the client's own HTTP client (same server, credentials and TLS).
 */
final class PodResize {

    private final KubernetesClient client;

    PodResize(KubernetesClient client) {
        this.client = client;
    }

    /** Sends a JSON patch to the pod's resize subresource; the answer is the pod as the server stored it. */
    Pod patch(String namespace, String pod, String jsonPatch) throws Exception {
        String base = client.getMasterUrl().toString();
        String url = (base.endsWith("/") ? base : base + "/") + "api/v1/namespaces/" + namespace + "/pods/" + pod
                + "/resize";
        HttpClient http = client.getHttpClient();
        long timeoutMs = Math.max(1, client.getConfiguration().getRequestTimeout());
        HttpRequest req = http.newHttpRequestBuilder().uri(url)
                .method("PATCH", "application/json-patch+json", jsonPatch)
                .timeout(timeoutMs, TimeUnit.MILLISECONDS)
                .build();
        HttpResponse<String> resp;
        try {
            resp = http.sendAsync(req, String.class).get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KubernetesClientException("resize of pod " + pod + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KubernetesClientException("resize of pod " + pod + " timed out", e);
        }
        if (!resp.isSuccessful()) {
            throw new KubernetesClientException("resize of pod " + pod + ": " + firstLine(resp.body()), resp.code(), null);
        }
        return client.getKubernetesSerialization().unmarshal(resp.body(), Pod.class);
    }

    private static String firstLine(String body) {
        if (body == null) {
            return "";
        }
        String s = body.strip();
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
