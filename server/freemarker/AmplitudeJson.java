import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader for the worker's requests (RFC 8259 / ECMA-404): one value, then only whitespace; strings
 * with no raw control characters and only the escapes JSON defines (a {@code \\u} escape of a lone surrogate is
 * kept as that UTF-16 unit, as JavaScript's JSON.parse does); numbers by the grammar, read as BigDecimal; at most
 * {@link #MAX_DEPTH} levels of nesting. Anything else is a {@link Malformed} naming what and where, never a crash.
 * Objects keep their keys' order; a repeated key keeps its last value (as JSON.parse).
 */
final class AmplitudeJson {
    static final int MAX_DEPTH = 1000;

    /** A request that is not JSON: the message says what was wrong and at which character. */
    static final class Malformed extends Exception {
        Malformed(String message) { super(message); }
    }

    private final String s;
    private int i;
    private int depth;

    private AmplitudeJson(String s) { this.s = s; }

    static Object parse(String text) throws Malformed {
        AmplitudeJson json = new AmplitudeJson(text);
        json.skip();
        Object value = json.value();
        json.skip();
        if (json.i != text.length()) throw json.error("unexpected text after the JSON value");
        return value;
    }

    private Malformed error(String what) {
        return new Malformed("The request is not valid JSON: " + what + " at character " + (i + 1) + ".");
    }

    private char peek() throws Malformed {
        if (i >= s.length()) throw error("the line ends too early");
        return s.charAt(i);
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private Object value() throws Malformed {
        char c = peek();
        switch (c) {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected " + describe(c));
        }
    }

    private Object literal(String word, Object value) throws Malformed {
        if (!s.startsWith(word, i)) throw error("expected " + word);
        i += word.length();
        return value;
    }

    private void enter() throws Malformed {
        if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
        i++;
        skip();
    }

    /** After a member: true at the closing bracket, false after a comma; anything else is an error. */
    private boolean next(char close) throws Malformed {
        skip();
        char c = peek();
        if (c != ',' && c != close) throw error("expected ',' or '" + close + "' but found " + describe(c));
        i++;
        if (c == close) depth--;
        else skip();
        return c == close;
    }

    private Map<String, Object> object() throws Malformed {
        Map<String, Object> map = new LinkedHashMap<>();
        enter();
        if (peek() == '}') {
            i++;
            depth--;
            return map;
        }
        do {
            if (peek() != '"') throw error("expected a key in double quotes but found " + describe(peek()));
            String key = string();
            skip();
            if (peek() != ':') throw error("expected ':' after a key but found " + describe(peek()));
            i++;
            skip();
            map.put(key, value());
        } while (!next('}'));
        return map;
    }

    private List<Object> array() throws Malformed {
        List<Object> list = new ArrayList<>();
        enter();
        if (peek() == ']') {
            i++;
            depth--;
            return list;
        }
        do {
            list.add(value());
        } while (!next(']'));
        return list;
    }

    private String string() throws Malformed {
        int start = ++i;
        // Most strings have no escape: one scan and one substring, no per-character appends.
        for (int end = start; end < s.length(); end++) {
            char c = s.charAt(end);
            if (c == '"') {
                i = end + 1;
                return s.substring(start, end);
            }
            if (c == '\\' || c < 0x20) break;
        }
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw error("a string is not closed");
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                return b.toString();
            }
            if (c < 0x20) throw error("a control character (" + describe(c) + ") in a string must be escaped");
            i++;
            if (c == '\\') escape(b);
            else b.append(c);
        }
    }

    private void escape(StringBuilder b) throws Malformed {
        char e = peek();
        i++;
        switch (e) {
            case '"': case '\\': case '/': b.append(e); break;
            case 'b': b.append('\b'); break;
            case 'f': b.append('\f'); break;
            case 'n': b.append('\n'); break;
            case 'r': b.append('\r'); break;
            case 't': b.append('\t'); break;
            case 'u': b.append(hex4()); break;
            default:
                i--;
                throw error("\\" + (e >= 0x20 && e < 0x7f ? String.valueOf(e) : describe(e)) + " is not a JSON escape");
        }
    }

    private char hex4() throws Malformed {
        int code = 0;
        for (int k = 0; k < 4; k++) {
            int digit = i < s.length() ? Character.digit(s.charAt(i), 16) : -1;
            if (digit < 0) throw error("a \\u escape needs four hexadecimal digits");
            code = code * 16 + digit;
            i++;
        }
        return (char) code;
    }

    private int digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        return i - start;
    }

    private BigDecimal number() throws Malformed {
        int start = i;
        if (s.charAt(i) == '-') i++;
        if (i < s.length() && s.charAt(i) == '0') i++;
        else if (digits() == 0) throw error("a number needs a digit");
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            if (digits() == 0) throw error("a number needs a digit after its '.'");
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            if (digits() == 0) throw error("a number needs a digit in its exponent");
        }
        try {
            return new BigDecimal(s.substring(start, i));
        } catch (NumberFormatException | ArithmeticException e) {
            i = start;
            throw error("the number's exponent is out of range");
        }
    }

    private void skip() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            i++;
        }
    }
}
