package io.sair.connectors.gpu;

import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a pod's GPU agent listens: a URL template filled from the pod, e.g.
 * {@code http://{hostIP}:8470} (the DaemonSet on hostNetwork or a hostPort) or
 * {@code http://gpu-agent-{nodeName}.sair:8470}; a URL without placeholders names one agent for all pods.
 */
public final class AgentAddress {

    public static final String DEFAULT_TEMPLATE = "http://{hostIP}:8470";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    private AgentAddress() {
    }

    /**
     * The agent of this pod.
     *
     * @throws IllegalArgumentException on an unknown placeholder, or a pod that lacks the value (not scheduled yet)
     */
    public static URI of(String template, Pod pod) {
        Map<String, String> values = new java.util.HashMap<>();
        values.put("podName", pod.getMetadata().getName());
        values.put("namespace", pod.getMetadata().getNamespace());
        values.put("nodeName", pod.getSpec() == null ? null : pod.getSpec().getNodeName());
        values.put("hostIP", pod.getStatus() == null ? null : pod.getStatus().getHostIP());
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("unknown placeholder {" + key + "} in GPU agent URL '" + template
                        + "' (known: {nodeName}, {hostIP}, {podName}, {namespace})");
            }
            String v = values.get(key);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("pod " + pod.getMetadata().getName() + " has no " + key + " yet");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        URI uri;
        try {
            uri = URI.create(sb.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad GPU agent URL '" + sb + "': " + e.getMessage(), e);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("GPU agent URL '" + sb + "' needs a scheme and a host");
        }
        return uri;
    }
}
