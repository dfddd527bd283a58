package io.sair.connectors.gpu;

/** The GPU agent refused a request ({@code status} > 0) or could not be reached ({@code status} 0). */
public final class AgentException extends Exception {

    private final int status;

    public AgentException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Unreachable, throttled or failing agents may recover; a refusal (400, 401, 404, 405) will not. */
    public boolean retryable() {
        return status == 0 || status == 429 || status >= 500;
    }
}
