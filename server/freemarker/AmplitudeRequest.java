import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request of the worker's protocol, checked field by field: {"id", "op", "name", "key", "template", "data",
 * "trace"}. A request that breaks the protocol is a {@link AmplitudeJson.Malformed} saying which field and why.
 */
final class AmplitudeRequest {
    static final List<String> OPS = Arrays.asList("render", "renderMany", "parse", "version");
    private static final Set<String> FIELDS =
        new HashSet<>(Arrays.asList("id", "op", "name", "key", "template", "data", "trace"));

    /** The id as it goes back in the answer (a JSON number or string). */
    final String id;
    final String op;
    final String name;
    /** The template's key: the text is sent once and named by it afterwards. Null when not given. */
    final String key;
    final String template;
    /** An object (render, parse), a list of objects (renderMany), or null. */
    final Object data;
    final boolean trace;

    private AmplitudeRequest(Map<String, Object> request) throws AmplitudeJson.Malformed {
        for (String field : request.keySet()) {
            if (!FIELDS.contains(field)) throw bad("has an unknown field " + AmplitudeFreemarkerWorker.quote(field));
        }
        Object op = request.get("op");
        if (!(op instanceof String) || !OPS.contains(op)) {
            throw bad("has op " + (op instanceof String ? AmplitudeFreemarkerWorker.quote((String) op) : op)
                + "; the worker knows " + OPS);
        }
        this.op = (String) op;
        this.name = text(request, "name", "template.ftl");
        this.template = text(request, "template", null);
        Object key = request.get("key");
        if (key != null && !(key instanceof BigDecimal) && !(key instanceof String)) throw bad("has a key that is not a number or a string");
        this.key = key == null ? null : key.toString();
        Object trace = request.get("trace");
        if (trace != null && !(trace instanceof Boolean)) throw bad("has a trace that is not true or false");
        this.trace = Boolean.TRUE.equals(trace);
        this.data = data(request.get("data"));
        this.id = idOf(request);
    }

    /** The id of a request that is a JSON object, even if another field is wrong: the error answer names it. */
    static String idOf(Map<String, Object> request) {
        Object id = request.get("id");
        if (id instanceof BigDecimal) return ((BigDecimal) id).toString();
        return id instanceof String ? AmplitudeFreemarkerWorker.quote((String) id) : "null";
    }

    @SuppressWarnings("unchecked")
    static AmplitudeRequest of(Object value) throws AmplitudeJson.Malformed {
        if (!(value instanceof Map)) throw bad("is not a JSON object");
        Map<String, Object> request = (Map<String, Object>) value;
        Object id = request.get("id");
        if (!(id instanceof BigDecimal) && !(id instanceof String)) throw bad("has no id (a number or a string)");
        return new AmplitudeRequest(request);
    }

    private static AmplitudeJson.Malformed bad(String what) {
        return new AmplitudeJson.Malformed("The request " + what + ".");
    }

    private static String text(Map<String, Object> request, String field, String otherwise) throws AmplitudeJson.Malformed {
        Object value = request.get(field);
        if (value == null) return otherwise;
        if (!(value instanceof String)) throw bad("has a " + field + " that is not a string");
        return (String) value;
    }

    private Object data(Object data) throws AmplitudeJson.Malformed {
        if ("renderMany".equals(op)) {
            if (!(data instanceof List)) throw bad("(renderMany) has data that is not a list of objects");
            for (Object item : (List<?>) data) {
                if (!(item instanceof Map)) throw bad("(renderMany) has an item of data that is not an object");
            }
            return data;
        }
        if (data != null && !(data instanceof Map)) throw bad("has data that is not a JSON object");
        return data;
    }
}
