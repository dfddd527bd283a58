package io.sair.gpuagent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors the server answers itself (a bad request line, a bad percent-encoding, headers too large, a
 * failure in a handler) as the API's other errors: {@code {"error": "<reason>"}}, never an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_REASON = 200;

    /** {@code {"error": message}}. */
    static String body(String message) {
        try {
            return MAPPER.writeValueAsString(Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        Object cause = request.getAttribute(ERROR_EXCEPTION);
        if (cause instanceof HttpException h) {
            status = h.getCode();
            response.setStatus(status);
            message = badPercentEncoding((Throwable) cause) ? "bad percent-encoding in the URI"
                    : message != null ? message : h.getReason();
        }
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        Content.Sink.write(response, true, body(reason(status, message == null ? null : message.toString())), callback);
        return true;
    }

    /** Errors found while parsing, before there is a request to hand to {@link #handle}. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JSON);
        return ByteBuffer.wrap(body(reason(status, reason)).getBytes(StandardCharsets.UTF_8));
    }

    /** Jetty's parser says only "Bad Request" for {@code %zz}; its cause says what was wrong. */
    private static boolean badPercentEncoding(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (c instanceof NumberFormatException && m.startsWith("!hex") || m.contains("% encoding")) {
                return true;
            }
        }
        return false;
    }

    private static String reason(int status, String message) {
        String m = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        return m.length() > MAX_REASON ? m.substring(0, MAX_REASON) : m;
    }
}
