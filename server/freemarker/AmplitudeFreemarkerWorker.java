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
    /** Output past this many characters stops the render: a template cannot fill the machine's memory. */
    private static final int MAX_OUTPUT_CHARS = Integer.getInteger("amplitude.maxOutputChars", 8 * 1024 * 1024);

    /** Thrown by LimitedWriter when a render writes too much. */
    static final class OutputTooLarge extends java.io.IOException {
        OutputTooLarge() { super("output too large"); }
    }

    /** A StringWriter with a ceiling. */
    static final class LimitedWriter extends java.io.Writer {
        private final StringBuilder buffer = new StringBuilder();
        private final int limit;

        LimitedWriter(int limit) { this.limit = limit; }

        @Override public void write(char[] chars, int offset, int length) throws java.io.IOException {
            if (buffer.length() + length > limit) throw new OutputTooLarge();
            buffer.append(chars, offset, length);
        }

        @Override public void write(String text, int offset, int length) throws java.io.IOException {
            if (buffer.length() + length > limit) throw new OutputTooLarge();
            buffer.append(text, offset, offset + length);
        }

        @Override public void flush() {}
        @Override public void close() {}
        @Override public String toString() { return buffer.toString(); }
    }

    /** Parsed templates by name and text: a replay renders one template thousands of times. */
    private static final int CACHED_TEMPLATES = 16;
    private static final Map<String, Template> TEMPLATES = new LinkedHashMap<String, Template>(32, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Template> eldest) {
            return size() > CACHED_TEMPLATES;
        }
    };

    private static Template parsed(Configuration cfg, String name, String text) throws java.io.IOException {
        String key = name + '\u0000' + text;
        Template template = TEMPLATES.get(key);
        if (template == null) {
            template = new Template(name, new StringReader(text), cfg);
            TEMPLATES.put(key, template);
        }
        return template;
    }

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
                Template template = parsed(cfg, name, String.valueOf(request.get("template")));
                if ("parse".equals(op)) {
                    out.println("{\"id\":" + id + ",\"ok\":true,\"output\":\"\"}");
                    continue;
                }
                LimitedWriter writer = new LimitedWriter(MAX_OUTPUT_CHARS);
                Object data = request.get("data");
                template.process(data instanceof Map ? data : new LinkedHashMap<String, Object>(), writer);
                out.println("{\"id\":" + id + ",\"ok\":true,\"output\":" + quote(writer.toString()) + "}");
            } catch (ParseException e) {
                out.println(error(id, "syntax", e.getEditorMessage(), e.getLineNumber(), e.getColumnNumber(), e.getEndLineNumber(), e.getEndColumnNumber()));
            } catch (TemplateException e) {
                if (causedBy(e, OutputTooLarge.class)) {
                    out.println(error(id, "render", "The output passed " + MAX_OUTPUT_CHARS + " characters and was stopped (an endless or huge #list?).", 0, 0, 0, 0));
                    continue;
                }
                Integer line2 = e.getLineNumber();
                Integer column = e.getColumnNumber();
                Integer endLine = e.getEndLineNumber();
                Integer endColumn = e.getEndColumnNumber();
                out.println(error(id, "render", e.getMessageWithoutStackTop(), line2 == null ? 0 : line2, column == null ? 0 : column, endLine == null ? 0 : endLine, endColumn == null ? 0 : endColumn));
            } catch (OutputTooLarge e) {
                out.println(error(id, "render", "The output passed " + MAX_OUTPUT_CHARS + " characters and was stopped (an endless or huge #list?).", 0, 0, 0, 0));
            } catch (OutOfMemoryError e) {
                // The render's garbage is gone once the stack unwinds: the worker goes on.
                out.println(error(id, "render", "The template needed more memory than the worker's cap (" + (Runtime.getRuntime().maxMemory() / (1024 * 1024)) + " MB) and was stopped.", 0, 0, 0, 0));
            } catch (StackOverflowError e) {
                out.println(error(id, "render", "The template or its data nests too deeply (stack overflow).", 0, 0, 0, 0));
            } catch (Throwable e) {
                if (causedBy(e, OutputTooLarge.class)) {
                    out.println(error(id, "render", "The output passed " + MAX_OUTPUT_CHARS + " characters and was stopped (an endless or huge #list?).", 0, 0, 0, 0));
                } else {
                    out.println(error(id, "internal", String.valueOf(e), 0, 0, 0, 0));
                }
            }
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
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
