package io.sair.gpuagent;

import java.io.IOException;

/** A shim refused a request ({@code SAIR/1 ERR ...}) or answered something unreadable. */
public class ShimException extends IOException {
    private static final long serialVersionUID = 1L;

    public ShimException(String message) {
        super(message);
    }
}
