package io.sair.connectors.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Which API failures are worth another try, and a one-line description of any failure. */
final class KubeErrors {

    private KubeErrors() {
    }

    /** 409 (conflict), 429 (throttled), 5xx and broken connections may pass; anything else will not. */
    static boolean retryable(Exception e) {
        if (e instanceof KubernetesClientException k) {
            int code = k.getCode();
            if (code == 409 || code == 429 || code >= 500) {
                return true;
            }
            return code <= 0 && hasIoCause(k);
        }
        return e instanceof IOException || e instanceof UncheckedIOException;
    }

    static String describe(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = msg.indexOf('\n');
        msg = nl < 0 ? msg : msg.substring(0, nl);
        if (msg.length() > 300) {
            msg = msg.substring(0, 300) + "...";
        }
        if (e instanceof KubernetesClientException k && k.getCode() > 0 && !msg.startsWith("HTTP ")) {
            return "HTTP " + k.getCode() + ": " + msg;
        }
        return msg;
    }

    private static boolean hasIoCause(Throwable t) {
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
