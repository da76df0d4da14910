import freemarker.core.TemplateClassResolver;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.Version;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A long-lived FreeMarker worker: one JSON request per line on stdin, one JSON answer per line on
 * stdout. Requests: {"id", "op": "render"|"parse"|"version", "name", "template", "data"}.
 * The configuration is safe for templates from anyone: no ?new of arbitrary classes, no ?api,
 * and the data model holds only plain maps, lists, strings, numbers and booleans (no statics).
 */
public final class AmplitudeFreemarkerWorker {
    private static final Version VERSION = Configuration.getVersion();
    /** The oldest engine we run on (freemarker.js ships 2.3.28): same semantics on every jar. */
    private static final Version BASELINE = Configuration.VERSION_2_3_28;

    public static void main(String[] args) throws Exception {
        Configuration cfg = new Configuration(BASELINE);
        cfg.setDefaultEncoding("UTF-8");
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setObjectWrapper(new DefaultObjectWrapperBuilder(BASELINE).build());
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        out.println("{\"ready\":true,\"version\":" + quote(VERSION.toString()) + "}");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) continue;
            String id = "null";
            try {
                Map<String, Object> request = asMap(new Json(line).value());
                id = quote(String.valueOf(request.get("id")));
                String op = String.valueOf(request.get("op"));
                if ("version".equals(op)) {
                    out.println("{\"id\":" + id + ",\"ok\":true,\"output\":" + quote(VERSION.toString()) + "}");
                    continue;
                }
                String name = String.valueOf(request.getOrDefault("name", "template.ftl"));
                Template template = new Template(name, new StringReader(String.valueOf(request.get("template"))), cfg);
                if ("parse".equals(op)) {
                    out.println("{\"id\":" + id + ",\"ok\":true,\"output\":\"\"}");
                    continue;
                }
                StringWriter writer = new StringWriter();
                Object data = request.get("data");
                template.process(data instanceof Map ? data : new LinkedHashMap<String, Object>(), writer);
                out.println("{\"id\":" + id + ",\"ok\":true,\"output\":" + quote(writer.toString()) + "}");
            } catch (ParseException e) {
                out.println(error(id, "syntax", e.getEditorMessage(), e.getLineNumber(), e.getColumnNumber(), e.getEndLineNumber(), e.getEndColumnNumber()));
            } catch (TemplateException e) {
                Integer line2 = e.getLineNumber();
                Integer column = e.getColumnNumber();
                Integer endLine = e.getEndLineNumber();
                Integer endColumn = e.getEndColumnNumber();
                out.println(error(id, "render", e.getMessageWithoutStackTop(), line2 == null ? 0 : line2, column == null ? 0 : column, endLine == null ? 0 : endLine, endColumn == null ? 0 : endColumn));
            } catch (Throwable e) {
                out.println(error(id, "internal", String.valueOf(e), 0, 0, 0, 0));
            }
        }
    }

    private static String error(String id, String kind, String message, int line, int column, int endLine, int endColumn) {
        return "{\"id\":" + id + ",\"ok\":false,\"error\":{\"kind\":" + quote(kind) + ",\"message\":" + quote(message)
            + ",\"line\":" + line + ",\"column\":" + column + ",\"endLine\":" + endLine + ",\"endColumn\":" + endColumn + "}}";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map)) throw new IllegalArgumentException("request must be a JSON object");
        return (Map<String, Object>) value;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** A small JSON reader: the requests come from our own Node side, one object per line. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) { this.s = s; }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            return new BigDecimal(s.substring(start, i));
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            i++;
            skip();
            if (s.charAt(i) == '}') { i++; return map; }
            while (true) {
                skip();
                String key = string();
                skip();
                i++; // :
                map.put(key, value());
                skip();
                if (s.charAt(i++) == '}') return map;
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            i++;
            skip();
            if (s.charAt(i) == ']') { i++; return list; }
            while (true) {
                list.add(value());
                skip();
                if (s.charAt(i++) == ']') return list;
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }
}
