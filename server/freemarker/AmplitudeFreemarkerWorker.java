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
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * A long-lived FreeMarker worker: one JSON request per line on stdin, one JSON answer per line on
 * stdout. Requests: {"id", "op": "render"|"renderMany"|"parse"|"version", "name", "key", "template", "data"}
 * ("renderMany": data is a list, the answer has "outputs", one per item; "key": the template sent once).
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

    /** A StringWriter with a ceiling; with a trace, it also notes which instruction wrote each stretch. */
    static final class LimitedWriter extends java.io.Writer {
        private final StringBuilder buffer = new StringBuilder();
        private final int limit;
        private final Trace trace;

        LimitedWriter(int limit) { this(limit, null); }

        LimitedWriter(int limit, Trace trace) {
            this.limit = limit;
            this.trace = trace;
        }

        @Override public void write(char[] chars, int offset, int length) throws java.io.IOException {
            if (buffer.length() + length > limit) throw new OutputTooLarge();
            if (trace != null && length > 0) trace.wrote(buffer.length(), buffer.length() + length);
            buffer.append(chars, offset, length);
        }

        @Override public void write(String text, int offset, int length) throws java.io.IOException {
            if (buffer.length() + length > limit) throw new OutputTooLarge();
            if (trace != null && length > 0) trace.wrote(buffer.length(), buffer.length() + length);
            buffer.append(text, offset, offset + length);
        }

        @Override public void flush() {}
        @Override public void close() {}
        @Override public String toString() { return buffer.toString(); }
        int length() { return buffer.length(); }
    }

    /**
     * What a traced render printed where. For each write to the output: its offsets (Java chars are UTF-16 code
     * units, as JS string indices) and the instruction on top of FreeMarker's instruction stack as it wrote.
     * Environment.visit(TemplateElement) pushes every element it runs (a TextBlock, a DollarVariable, ...) before
     * its accept() writes, so the top is the instruction that printed. The stack is read through reflection (its
     * fields are private in 2.3.28 and 2.3.31 alike); a trace costs nothing when not asked for.
     */
    static final class Trace {
        /** Past this many stretches, the rest of the output is one last 'o' stretch: the answer stays bounded. */
        static final int MAX_SPANS = Integer.getInteger("amplitude.maxTraceSpans", 50_000);
        private static final java.lang.reflect.Field STACK = stackField("instructionStack");
        private static final java.lang.reflect.Field SIZE = stackField("instructionStackSize");
        private final Template template;
        /** Seven ints a stretch: start, end, kind ('i', 't', 'o'), line, column, end line, end column. */
        private int[] spans = new int[7 * 16];
        private int count;

        Trace(Template template) { this.template = template; }

        private static java.lang.reflect.Field stackField(String name) {
            try {
                java.lang.reflect.Field field = freemarker.core.Environment.class.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        /** The instruction running now, or null when the stack cannot be read. */
        private static freemarker.core.TemplateObject current() {
            freemarker.core.Environment env = freemarker.core.Environment.getCurrentEnvironment();
            if (env == null || STACK == null || SIZE == null) return null;
            try {
                int size = SIZE.getInt(env);
                Object[] stack = (Object[]) STACK.get(env);
                return size > 0 ? (freemarker.core.TemplateObject) stack[size - 1] : null;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        private char kind(freemarker.core.TemplateObject at) {
            // An instruction of another template (?interpret) has no place in this one.
            if (at == null || at.getTemplate() != template) return 'o';
            String type = at.getClass().getName();
            if (type.equals("freemarker.core.DollarVariable") || type.equals("freemarker.core.NumericalOutput")) {
                return 'i';
            }
            return type.equals("freemarker.core.TextBlock") ? 't' : 'o';
        }

        void wrote(int start, int end) {
            if (count == MAX_SPANS) {
                int last = 7 * (count - 1);
                spans[last + 1] = end;
                spans[last + 2] = 'o';
                for (int k = 3; k < 7; k++) spans[last + k] = 0;
                return;
            }
            if (spans.length < 7 * (count + 1)) spans = java.util.Arrays.copyOf(spans, spans.length * 2);
            freemarker.core.TemplateObject at = current();
            char kind = kind(at);
            int k = 7 * count++;
            spans[k] = start;
            spans[k + 1] = end;
            spans[k + 2] = kind;
            boolean placed = at != null && at.getTemplate() == template;
            spans[k + 3] = placed ? at.getBeginLine() : 0;
            spans[k + 4] = placed ? at.getBeginColumn() : 0;
            spans[k + 5] = placed ? at.getEndLine() : 0;
            spans[k + 6] = placed ? at.getEndColumn() : 0;
        }

        /** `[[start,end,"i",line,column,endLine,endColumn],...]` */
        String toJson() {
            StringBuilder json = new StringBuilder(count * 32 + 2).append('[');
            for (int n = 0; n < count; n++) {
                int k = 7 * n;
                if (n > 0) json.append(',');
                json.append('[').append(spans[k]).append(',').append(spans[k + 1]).append(",\"")
                    .append((char) spans[k + 2]).append('"');
                for (int j = 3; j < 7; j++) json.append(',').append(spans[k + j]);
                json.append(']');
            }
            return json.append(']').toString();
        }
    }

    /** Parsed templates by name and text: a replay renders one template thousands of times. */
    private static final int CACHED_TEMPLATES = 16;
    private static final Map<String, Template> TEMPLATES = new LinkedHashMap<String, Template>(32, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Template> eldest) {
            return size() > CACHED_TEMPLATES;
        }
    };

    /**
     * The request's template: sent in full (and kept under its key), or named by a key sent before. Null when the
     * key is unknown (evicted, or a new worker): Node then sends the text again.
     */
    private static Template template(Configuration cfg, Map<String, Object> request) throws java.io.IOException {
        Object key = request.get("key");
        Object text = request.get("template");
        String name = String.valueOf(request.getOrDefault("name", "template.ftl"));
        String cacheKey = key != null ? "#" + key : name + '\u0000' + text;
        Template template = TEMPLATES.get(cacheKey);
        if (template == null) {
            if (text == null) return null;
            template = new Template(name, new StringReader(String.valueOf(text)), cfg);
            TEMPLATES.put(cacheKey, template);
        }
        return template;
    }

    public static void main(String[] args) throws Exception {
        Configuration cfg = new Configuration(BASELINE);
        cfg.setDefaultEncoding("UTF-8");
        // Amplitude's documentation names no locale or time zone. Ours: en_US and UTC, so that a number or a date
        // renders the same on every partner's machine and in CI (a template can still set its own).
        cfg.setLocale(Locale.US);
        // A tab is one column, as in the editor: error and trace columns are characters of the line.
        cfg.setTabSize(1);
        cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setObjectWrapper(new DefaultObjectWrapperBuilder(BASELINE).build());
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        // Answers are flushed once no request waits: a pipelined burst costs one write, a lone request no delay.
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        out.println("{\"ready\":true,\"version\":" + quote(VERSION.toString()) + "}");
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) continue;
            try {
                answer(cfg, line, out);
            } finally {
                if (!in.ready()) out.flush();
            }
        }
    }

    private static final String TOO_LARGE =
        "The output passed " + MAX_OUTPUT_CHARS + " characters and was stopped (an endless or huge #list?).";
    /** A batch item not rendered because the items before it used the batch's output budget: Node sends it alone. */
    private static final String SKIPPED = "{" + errorBody("skipped", "Not rendered in this batch.", 0, 0, 0, 0) + "}";

    private static void answer(Configuration cfg, String line, PrintStream out) {
        String id = "null";
        try {
            Map<String, Object> request = asMap(new Json(line).value());
            id = quote(String.valueOf(request.get("id")));
            String op = String.valueOf(request.get("op"));
            if ("version".equals(op)) {
                out.println("{\"id\":" + id + ",\"ok\":true,\"output\":" + quote(VERSION.toString()) + "}");
                return;
            }
            Template template = template(cfg, request);
            boolean traced = Boolean.TRUE.equals(request.get("trace"));
            if (template == null) {
                out.println(error(id, "missing-template", "The template was not sent.", 0, 0, 0, 0));
            } else if ("parse".equals(op)) {
                out.println("{\"id\":" + id + ",\"ok\":true,\"output\":\"\"}");
            } else if ("renderMany".equals(op)) {
                out.println(renderMany(id, template, request.get("data"), traced));
            } else {
                String body = renderOne(template, request.get("data"), MAX_OUTPUT_CHARS, traced);
                out.println("{\"id\":" + id + "," + body + "}");
            }
        } catch (ParseException e) {
            out.println(error(id, "syntax", e.getEditorMessage(), e.getLineNumber(), e.getColumnNumber(),
                e.getEndLineNumber(), e.getEndColumnNumber()));
        } catch (OutOfMemoryError e) {
            out.println(error(id, "render", outOfMemory(), 0, 0, 0, 0));
        } catch (Throwable e) {
            out.println(error(id, "internal", String.valueOf(e), 0, 0, 0, 0));
        }
    }

    /**
     * Many data models through one template (a replay's events), one answer each, in order. The items share one
     * output budget: an item past it is answered "skipped" and Node renders it alone.
     */
    private static String renderMany(String id, Template template, Object data, boolean traced) {
        List<?> items = data instanceof List ? (List<?>) data : new ArrayList<Object>();
        StringBuilder answer = new StringBuilder("{\"id\":").append(id).append(",\"ok\":true,\"outputs\":[");
        int budget = MAX_OUTPUT_CHARS;
        for (int k = 0; k < items.size(); k++) {
            if (k > 0) answer.append(',');
            if (budget <= 0) {
                answer.append(SKIPPED);
                continue;
            }
            LimitedWriter writer = new LimitedWriter(budget, traced ? new Trace(template) : null);
            String body = renderOne(template, items.get(k), writer);
            if (body == null) {
                answer.append(budget < MAX_OUTPUT_CHARS ? SKIPPED : "{" + errorBody("render", TOO_LARGE, 0, 0, 0, 0) + "}");
                budget = 0;
                continue;
            }
            budget -= writer.length();
            answer.append('{').append(body).append('}');
        }
        return answer.append("]}").toString();
    }

    private static String renderOne(Template template, Object data, int limit, boolean traced) {
        String body = renderOne(template, data, new LimitedWriter(limit, traced ? new Trace(template) : null));
        return body != null ? body : errorBody("render", TOO_LARGE, 0, 0, 0, 0);
    }

    /** One render: `"ok":true,"output":...` or `"ok":false,"error":{...}`; null when the output passed its limit. */
    private static String renderOne(Template template, Object data, LimitedWriter writer) {
        try {
            template.process(data instanceof Map ? data : new LinkedHashMap<String, Object>(), writer);
            String printed = writer.trace == null ? "" : ",\"printed\":" + writer.trace.toJson();
            return "\"ok\":true,\"output\":" + quote(writer.toString()) + printed;
        } catch (TemplateException e) {
            if (causedBy(e, OutputTooLarge.class)) return null;
            return errorBody("render", e.getMessageWithoutStackTop(), orZero(e.getLineNumber()),
                orZero(e.getColumnNumber()), orZero(e.getEndLineNumber()), orZero(e.getEndColumnNumber()));
        } catch (OutputTooLarge e) {
            return null;
        } catch (OutOfMemoryError e) {
            // The render's garbage is gone once the stack unwinds: the worker goes on.
            return errorBody("render", outOfMemory(), 0, 0, 0, 0);
        } catch (StackOverflowError e) {
            return errorBody("render", "The template or its data nests too deeply (stack overflow).", 0, 0, 0, 0);
        } catch (Throwable e) {
            return causedBy(e, OutputTooLarge.class) ? null : errorBody("internal", String.valueOf(e), 0, 0, 0, 0);
        }
    }

    private static String outOfMemory() {
        return "The template needed more memory than the worker's cap ("
            + (Runtime.getRuntime().maxMemory() / (1024 * 1024)) + " MB) and was stopped.";
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }

    private static String error(String id, String kind, String message, int line, int column, int endLine, int endColumn) {
        return "{\"id\":" + id + "," + errorBody(kind, message, line, column, endLine, endColumn) + "}";
    }

    private static String errorBody(String kind, String message, int line, int column, int endLine, int endColumn) {
        return "\"ok\":false,\"error\":{\"kind\":" + quote(kind) + ",\"message\":" + quote(message) + ",\"line\":"
            + line + ",\"column\":" + column + ",\"endLine\":" + endLine + ",\"endColumn\":" + endColumn + "}";
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
            int start = ++i;
            // Most strings have no escape: one scan and one substring, no per-character appends.
            for (int end = start; end < s.length(); end++) {
                char c = s.charAt(end);
                if (c == '"') {
                    i = end + 1;
                    return s.substring(start, end);
                }
                if (c == '\\') break;
            }
            StringBuilder b = new StringBuilder();
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
