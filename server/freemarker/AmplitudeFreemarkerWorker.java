import freemarker.core.TemplateClassResolver;
import freemarker.core.ParseException;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.Version;

import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * A long-lived FreeMarker worker: one JSON request per line on stdin, one JSON answer per line on
 * stdout. Its first line introduces it: {"ready":true,"protocol":PROTOCOL,"version":FreeMarker's version}.
 * Requests (AmplitudeRequest): {"id", "op": "render"|"renderMany"|"parse"|"version", "name", "key", "template",
 * "data", "trace"} ("renderMany": data is a list, the answer has "outputs", one per item; "key": the template sent
 * once; "trace": the answer also has "printed"). A line that is not such a request (AmplitudeJson reads strictly)
 * is answered {"id":...,"ok":false,"error":{"kind":"request",...}} and the worker goes on. Node's side of the
 * protocol is server/src/freemarker/worker/messages.ts.
 * The configuration is safe for templates from anyone: no ?new of arbitrary classes, no ?api,
 * and the data model holds only plain maps, lists, strings, numbers and booleans (no statics).
 */
public final class AmplitudeFreemarkerWorker {
    /** The protocol's version: raised on any change to the requests or answers (messages.ts checks it). */
    static final int PROTOCOL = 2;
    private static final Version VERSION = Configuration.getVersion();
    /** The oldest engine we run on (freemarker.js ships 2.3.28): same semantics on every jar. */
    private static final Version BASELINE = Configuration.VERSION_2_3_28;
    /** Output past this many characters stops the render: a template cannot fill the machine's memory. */
    private static final int MAX_OUTPUT_CHARS = Integer.getInteger("amplitude.maxOutputChars", 8 * 1024 * 1024);
    /** A request line past this many characters is dropped unread and answered with an error. */
    private static final int MAX_REQUEST_CHARS = Integer.getInteger("amplitude.maxRequestChars", 4 * 1024 * 1024);

    /** Thrown by LimitedWriter when a render writes too much. */
    static final class OutputTooLarge extends java.io.IOException {
        OutputTooLarge() { super("output too large"); }
    }

    /** A StringWriter with a ceiling; with a trace, it also notes which instruction wrote each stretch. */
    static final class LimitedWriter extends java.io.Writer {
        private final StringBuilder buffer = new StringBuilder();
        private final int limit;
        private final AmplitudeTrace trace;

        LimitedWriter(int limit) { this(limit, null); }

        LimitedWriter(int limit, AmplitudeTrace trace) {
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
    private static Template template(Configuration cfg, AmplitudeRequest request) throws java.io.IOException {
        String cacheKey = request.key != null ? "#" + request.key : request.name + '\u0000' + request.template;
        Template template = TEMPLATES.get(cacheKey);
        if (template == null) {
            if (request.template == null) return null;
            template = new Template(request.name, new StringReader(request.template), cfg);
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
        out.println("{\"ready\":true,\"protocol\":" + PROTOCOL + ",\"version\":" + quote(VERSION.toString()) + "}");
        out.flush();
        AmplitudeLines in = new AmplitudeLines(new InputStreamReader(System.in, StandardCharsets.UTF_8), MAX_REQUEST_CHARS);
        for (String line = in.next(); line != null; line = in.next()) {
            if (line.trim().isEmpty()) continue;
            try {
                if (line == AmplitudeLines.TOO_LONG) out.println(error("null", "request", TOO_LONG_REQUEST, 0, 0, 0, 0));
                else answer(cfg, line, out);
            } catch (OutOfMemoryError e) {
                out.println(error("null", "request", outOfMemory(), 0, 0, 0, 0));
            } finally {
                if (!in.ready()) out.flush();
            }
        }
    }

    private static final String TOO_LARGE =
        "The output passed " + MAX_OUTPUT_CHARS + " characters and was stopped (an endless or huge #list?).";
    /** A batch item not rendered because the items before it used the batch's output budget: Node sends it alone. */
    private static final String SKIPPED = "{" + errorBody("skipped", "Not rendered in this batch.", 0, 0, 0, 0) + "}";

    private static final String TOO_LONG_REQUEST =
        "The request line passed " + MAX_REQUEST_CHARS + " characters and was not read.";

    /** The request of a line, or an error answer (with the request's id when it has one) when it is not one. */
    private static AmplitudeRequest request(String line, PrintStream out) {
        Object value;
        try {
            value = AmplitudeJson.parse(line);
        } catch (AmplitudeJson.Malformed e) {
            out.println(error("null", "request", e.getMessage(), 0, 0, 0, 0));
            return null;
        }
        try {
            return AmplitudeRequest.of(value);
        } catch (AmplitudeJson.Malformed e) {
            @SuppressWarnings("unchecked")
            String id = value instanceof Map ? AmplitudeRequest.idOf((Map<String, Object>) value) : "null";
            out.println(error(id, "request", e.getMessage(), 0, 0, 0, 0));
            return null;
        }
    }

    private static void answer(Configuration cfg, String line, PrintStream out) {
        AmplitudeRequest request = request(line, out);
        if (request == null) return;
        String id = request.id;
        String op = request.op;
        try {
            if ("version".equals(op)) {
                out.println("{\"id\":" + id + ",\"ok\":true,\"output\":" + quote(VERSION.toString()) + "}");
                return;
            }
            Template template = template(cfg, request);
            boolean traced = request.trace;
            if (template == null) {
                out.println(error(id, "missing-template", "The template was not sent.", 0, 0, 0, 0));
            } else if ("parse".equals(op)) {
                out.println("{\"id\":" + id + ",\"ok\":true,\"output\":\"\"}");
            } else if ("renderMany".equals(op)) {
                out.println(renderMany(id, template, request.data, traced));
            } else {
                String body = renderOne(template, request.data, MAX_OUTPUT_CHARS, traced);
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
            LimitedWriter writer = new LimitedWriter(budget, traced ? new AmplitudeTrace(template) : null);
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
        String body = renderOne(template, data, new LimitedWriter(limit, traced ? new AmplitudeTrace(template) : null));
        return body != null ? body : errorBody("render", TOO_LARGE, 0, 0, 0, 0);
    }

    /** One render: `"ok":true,"output":...` or `"ok":false,"error":{...}`; null when the output passed its limit. */
    private static String renderOne(Template template, Object data, LimitedWriter writer) {
        try {
            if (writer.trace != null) freemarker.core.AmplitudeAttemptHook.TRACING.set(writer.trace);
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
        } finally {
            if (writer.trace != null) freemarker.core.AmplitudeAttemptHook.TRACING.remove();
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

    /** A surrogate without its pair cannot be written as UTF-8: it goes as a \\u escape, as JSON.stringify does. */
    private static boolean loneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        if (Character.isLowSurrogate(c)) return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        return false;
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
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || loneSurrogate(s, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
