package io.sair.core.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one JSON configuration of every record on the wire: tolerant of unknown fields (old and new
 * versions read each other), strict about everything else (NaN, trailing garbage, deep nesting).
 *
 * <p>Enums ({@link WireName}) are written by their lower-case names and read in any case. An unknown
 * word is refused with a one-line reason ({@code unknown stage kind 'tpu' (cpu|gpu)}), except where a
 * newer version may write values this one does not know: those read as null ({@link ActionType},
 * {@link Selector}) or as the enum's {@code @JsonEnumDefaultValue} ({@link Bottleneck}).
 */
public final class Json {

    private static final JsonFormat.Value UNKNOWN_AS_NULL =
            JsonFormat.Value.empty().withFeature(JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS, false)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
            .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE, true)
            .withConfigOverride(ActionType.class, o -> o.setFormat(UNKNOWN_AS_NULL))
            .withConfigOverride(Selector.class, o -> o.setFormat(UNKNOWN_AS_NULL))
            .addHandler(new UnknownEnumWord())
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build());
    }

    private Json() {
    }

    /** Parses or throws IllegalArgumentException with a one-line reason. */
    public static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("empty value");
        }
        try {
            T v = MAPPER.readValue(bytes, type);
            if (v == null) {
                throw new IllegalArgumentException("JSON null");
            }
            return v;
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON for " + type.getSimpleName() + ": "
                    + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getCause() == null) {
                throw iae;
            }
            throw new IllegalArgumentException("invalid " + type.getSimpleName() + ": " + firstLine(rootMessage(e)), e);
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String writeString(Object value) {
        return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return String.valueOf(c.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** A strict enum's unknown word, as one line naming it and the choices: {@code unknown mode 'x' (enforce|shadow)}. */
    private static final class UnknownEnumWord extends DeserializationProblemHandler {
        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> type, String value, String failureMsg)
                throws IOException {
            if (!type.isEnum() || !WireName.class.isAssignableFrom(type)) {
                return NOT_HANDLED;
            }
            String choices = Arrays.stream(type.getEnumConstants()).map(e -> ((WireName) e).wire())
                    .collect(Collectors.joining("|"));
            // StageKind -> "stage kind"
            String what = type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
            throw InvalidFormatException.from(ctxt.getParser(), "unknown " + what + " '" + value + "' (" + choices + ")",
                    value, type);
        }
    }
}
