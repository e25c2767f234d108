package io.scoreline.core.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one JSON dialect of Scoreline files: snake_case fields, ISO-8601 instants, nulls left out. */
public final class Json {
    /**
     * The limits every Scoreline file is read and written with, defined once: anything a job reads it can write back,
     * so no document can pass one job and fail the next.
     */
    public static final int MAX_DEPTH = 1000, MAX_STRING_CHARS = 20_000_000, MAX_NUMBER_CHARS = 1000;
    /** A source document (one line) may be at most this big; longer lines are rejected, not held in memory. */
    public static final int MAX_DOCUMENT_BYTES = 32 << 20;
    /** How deep a source document may nest: the records that carry it (input's features, a rejection's document) add levels. */
    public static final int MAX_DOCUMENT_DEPTH = MAX_DEPTH - 8;

    public static final ObjectMapper MAPPER = mapper(MAX_DEPTH);

    /** Reads source documents: the file limits, less the nesting the records that carry a document add. */
    public static final ObjectReader DOCUMENTS = mapper(MAX_DOCUMENT_DEPTH).reader()
        // {"id":"a","id":"b"}: readers disagree on which one counts, so such a document is refused, not read last-wins
        .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private static ObjectMapper mapper(int maxDepth) {
        JsonFactory factory = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth)
                .maxStringLength(MAX_STRING_CHARS).maxNumberLength(MAX_NUMBER_CHARS).maxDocumentLength(MAX_DOCUMENT_BYTES).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            // U+2028/U+2029 escaped: line-splitting readers (Python's splitlines, JavaScript) then see one record per line
            .characterEscapes(LineSeparatorEscapes.INSTANCE)
            .build();
        return JsonMapper.builder(factory)
        .addModule(new JavaTimeModule())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        // emoji and other non-BMP characters as UTF-8, not as escaped surrogate pairs: the same bytes whichever generator writes
        .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
        .build();
    }

    private Json() {}

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new JobException(ExitCode.BUG, "cannot serialize " + value.getClass().getSimpleName() + ": " + e, e);
        }
    }

    /** A JSON error in the user's terms: the parser's message without its location internals. */
    public static String describe(Throwable e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
        return message.replaceAll(", from `[^`]*`", "");  // a limit's message names the Java method that sets it
    }

    /** Parses a file Scoreline wrote; a malformed one means the store holds something foreign. */
    public static <T> T parse(byte[] bytes, Class<T> type, String what) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw JobException.refused(what + " is not a file Scoreline wrote: " + problem(e));
        }
    }

    /** The parser's words for a key given twice (read with STRICT_DUPLICATE_DETECTION). */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    /**
     * What is wrong with a file's (or a request body's) JSON, in its own terms (line, column, field): no Java types, no
     * parser wording. Also for the JSON users write by hand, e.g. serve's --pools file.
     */
    public static String problem(IOException e) {
        if (e instanceof StreamConstraintsException) return describe(e);
        if (e instanceof JsonMappingException && e.getCause() instanceof JsonParseException broken) return problem(broken);  // cut short
        if (e instanceof JsonParseException p) {
            JsonLocation at = p.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            Matcher twice = DUPLICATE.matcher(String.valueOf(p.getOriginalMessage()));
            return (twice.lookingAt() ? "field '" + twice.group(1) + "' given twice" : "not JSON") + where;
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            if (e instanceof UnrecognizedPropertyException) return "field '" + field + "' is not one it may have (a typo?)";
            return "field '" + field + "' is missing or has a value of the wrong type";
        }
        if (e instanceof MismatchedInputException && e.getMessage() != null && e.getMessage().startsWith("Trailing token")) {
            return "more than one JSON value";
        }
        return "not the JSON object expected";
    }

    /** JSON's standard escapes, plus the two Unicode line separators that JSON itself allows raw. */
    private static final class LineSeparatorEscapes extends CharacterEscapes {
        static final LineSeparatorEscapes INSTANCE = new LineSeparatorEscapes();
        private static final int[] ASCII = standardAsciiEscapesForJSON();
        private static final SerializableString LS = new SerializedString("\\u2028"), PS = new SerializedString("\\u2029");

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 ? LS : ch == 0x2029 ? PS : null;
        }
    }
}
