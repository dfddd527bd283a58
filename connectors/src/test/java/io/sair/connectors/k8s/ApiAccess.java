package io.sair.connectors.k8s;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps a recorded API request (method and path) to the RBAC access it needs, as an API server would. */
final class ApiAccess {

    private static final Pattern PATH = Pattern.compile(
            "/apis?(?:/(?<group>[a-z0-9.-]+))?/v1[a-z0-9]*/namespaces/[^/]+/(?<resource>[a-z]+)(?:/(?<name>[^/?]+))?"
                    + "(?:/(?<sub>[a-z]+))?(?:\\?.*)?");

    private ApiAccess() {
    }

    static Optional<KubeAccess> of(String method, String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        String group = path.startsWith("/api/") ? "" : m.group("group");
        String resource = m.group("resource") + (m.group("sub") == null ? "" : "/" + m.group("sub"));
        String verb = switch (method) {
            case "GET" -> m.group("name") == null ? "list" : "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "POST" -> "create";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        for (KubeAccess a : KubeAccess.values()) {
            if (a.apiGroup().equals(group) && a.resource().equals(resource) && a.verb().equals(verb)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
