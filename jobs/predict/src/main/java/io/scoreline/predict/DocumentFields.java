package io.scoreline.predict;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.scoreline.core.records.Json;
import java.io.IOException;
import java.util.Set;

/**
 * Reads the common input line with Jackson's streaming parser: the id and update time as they will be written back,
 * and only the feature fields the model uses, as the same JSON nodes a whole-tree parse would give; every other
 * field is skipped without building anything (its syntax and the parser's limits are still checked token by token).
 * Anything unusual (a field twice, an id that needs escaping, a time not in Instant's own form, a nested feature
 * value, a parse error) answers false, and the caller takes the whole-tree path, which decides as it always did.
 * One instance per thread: the feature node is reused from line to line.
 */
final class DocumentFields {
    /** Lines longer than this take the tree path, so no string or document limit can be reached unnoticed here. */
    static final int MAX_LINE = 1 << 20;
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    private final Set<String> wanted;
    private final ObjectNode features = NODES.objectNode();
    private final Bytes id = new Bytes(64), time = new Bytes(32);

    DocumentFields(Set<String> wanted) {
        this.wanted = wanted;
    }

    /**
     * Reads line {@code [off, off + len)}; on true, {@link #id()}, {@link #time()} (plain ASCII, written back as they
     * are) and {@link #features()} (the model's feature fields) hold the document until the next call.
     */
    boolean read(byte[] data, int off, int len) {
        // '{' first: no byte-order mark or UTF-16/32 guess by the parser's encoding detection
        if (len < 2 || len > MAX_LINE || data[off] != '{' || data[off + 1] == 0) return false;
        features.removeAll();
        id.truncate(0);
        time.truncate(0);
        boolean hasId = false, hasTime = false, hasFeatures = false;
        try (JsonParser p = FACTORY.createParser(data, off, len)) {
            p.nextToken();
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                boolean ok = switch (name) {
                    case "id" -> !hasId && value == JsonToken.VALUE_STRING && (hasId = plain(p, id));
                    case "updated_at" -> !hasTime && value == JsonToken.VALUE_STRING && (hasTime = time(p));
                    case "features" -> !hasFeatures && value == JsonToken.START_OBJECT && (hasFeatures = readFeatures(p));
                    default -> {
                        p.skipChildren();
                        yield true;
                    }
                };
                if (!ok) return false;
            }
            return token == JsonToken.END_OBJECT && hasId && hasTime && hasFeatures;
        } catch (IOException e) {
            return false;  // the tree path reads it again and reports what is wrong
        }
    }

    Bytes id() {
        return id;
    }

    Bytes time() {
        return time;
    }

    ObjectNode features() {
        return features;
    }

    /** A string of printable ASCII without quote or backslash: written back byte for byte, no escaping needed. */
    private static boolean plain(JsonParser p, Bytes into) throws IOException {
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset(), len = p.getTextLength();
        for (int i = off; i < off + len; i++) {
            char ch = c[i];
            if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') return false;
        }
        into.addAscii(c, off, len);
        return true;
    }

    private boolean time(JsonParser p) throws IOException {
        return CanonicalInstant.is(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()) && plain(p, time);
    }

    private boolean readFeatures(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken token = p.nextToken();
            if (!wanted.contains(name)) {
                p.skipChildren();
                continue;
            }
            JsonNode value = node(p, token);
            if (value == null || features.has(name)) return false;
            features.set(name, value);
        }
        return true;
    }

    /** The node a tree parse makes of a scalar (BaseNodeDeserializer's choices); null for anything else. */
    private static JsonNode node(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> {
                double d = p.getDoubleValue();
                yield Double.isFinite(d) ? NODES.numberNode(d) : null;
            }
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.instance;
            default -> null;
        };
    }
}
