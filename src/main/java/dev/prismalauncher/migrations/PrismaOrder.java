package dev.prismalauncher.migrations;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which Prisma 7 applies migrations: its CLI sorts folder names with JavaScript's
 * {@code a.localeCompare(b)}, which is ICU's collation of the process's locale (root/"en" when
 * LANG is unset, as in containers). Punctuation sorts before digits, digits before letters,
 * letters ignore case first ("a" &lt; "B") and break ties lowercase first; control characters are
 * ignored. ASCII follows ICU exactly (checked against node in PrismaOrderTest); other characters
 * follow the same three levels approximately (accents are a secondary difference, compatibility
 * forms and case tertiary; other scripts after Latin in code point order). Names ICU holds equal
 * fall back to code point order, so the result is always a total order.
 *
 * <p>java.text.Collator is not used: its root rules are not ICU's ("a-b" after "ab", '/' before
 * '.', Greek case), and building it costs start-up time.
 */
public final class PrismaOrder {
    /** ICU root order of printable ASCII at the primary level (node: sort of all 95 with localeCompare). */
    private static final String ASCII = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";
    private static final int[] PRIMARY = new int[128];
    /** Primaries of characters outside ASCII: symbols between ASCII's and the digits, letters after 'z'. */
    private static final int SYMBOLS = 1_000;
    private static final int DIGITS = 0x120_000;
    private static final int LETTERS = 0x130_000;

    static {
        Arrays.fill(PRIMARY, -1); // completely ignorable: the C0 controls and DEL
        // whitespace first, in ICU's order
        PRIMARY['\t'] = 1;
        PRIMARY['\n'] = 2;
        PRIMARY[0x0b] = 3;
        PRIMARY['\f'] = 4;
        PRIMARY['\r'] = 5;
        for (int i = 0; i < ASCII.length(); i++) {
            char c = ASCII.charAt(i);
            int weight = Character.isDigit(c) ? DIGITS + (c - '0') * 16 : Character.isLetter(c) ? LETTERS + (c - 'a') * 16 : 10 + i;
            PRIMARY[c] = weight;
            if (Character.isLetter(c)) {
                PRIMARY[Character.toUpperCase(c)] = weight;
            }
        }
    }

    /** Compares two names as {@code a.localeCompare(b)} orders them. */
    public static final Comparator<String> COMPARATOR = (a, b) -> compare(key(a), key(b), a, b);

    /** Sorts names in Prisma's order, computing each name's key once. */
    public static List<String> sort(Iterable<String> names) {
        List<Keyed> keyed = new ArrayList<>();
        for (String n : names) {
            keyed.add(new Keyed(n, key(n)));
        }
        keyed.sort((x, y) -> compare(x.key, y.key, x.name, y.name));
        List<String> out = new ArrayList<>(keyed.size());
        for (Keyed k : keyed) {
            out.add(k.name);
        }
        return out;
    }

    private record Keyed(String name, Key key) {}

    /** Three levels of weights, as ICU compares them: all primaries, then secondaries, then tertiaries. */
    private record Key(int[] primary, int[] secondary, int[] tertiary) {}

    private static int compare(Key x, Key y, String a, String b) {
        int c = Arrays.compare(x.primary, y.primary);
        if (c == 0 && (x.secondary != null || y.secondary != null)) {
            c = Arrays.compare(secondary(x), secondary(y));
        }
        if (c == 0) {
            c = Arrays.compare(x.tertiary, y.tertiary);
        }
        return c != 0 ? Integer.signum(c) : Integer.signum(a.compareTo(b));
    }

    /** ASCII keys leave secondaries out: all are the common weight, one per primary. */
    private static int[] secondary(Key k) {
        if (k.secondary != null) {
            return k.secondary;
        }
        int[] common = new int[k.primary.length];
        Arrays.fill(common, 1);
        return common;
    }

    private static Key key(String s) {
        Key ascii = asciiKey(s);
        if (ascii != null) {
            return ascii;
        }
        Weights w = new Weights(s.length());
        // NFD: an accented letter becomes its base letter (primary) and combining marks (secondary)
        String d = Normalizer.normalize(s, Normalizer.Form.NFD);
        for (int i = 0; i < d.length(); ) {
            int cp = d.codePointAt(i);
            i += Character.charCount(cp);
            w.other(cp);
        }
        return w.key();
    }

    /** The key of an ASCII name in one pass and two arrays (the common case: a start sorts every name); null otherwise. */
    private static Key asciiKey(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            if (PRIMARY[c] >= 0) {
                n++;
            }
        }
        int[] primary = new int[n];
        int[] tertiary = new int[n];
        int j = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (PRIMARY[c] >= 0) {
                primary[j] = PRIMARY[c];
                tertiary[j++] = c >= 'A' && c <= 'Z' ? 1 : 0;
            }
        }
        return new Key(primary, null, tertiary);
    }

    /** Collects the weights of one string. */
    private static final class Weights {
        private int[] primary;
        private int[] secondary;
        private int[] tertiary;
        private int np;
        private int ns;
        private int nt;

        Weights(int capacity) {
            primary = new int[capacity + 4];
            secondary = new int[capacity + 4];
            tertiary = new int[capacity + 4];
        }

        void ascii(char c, int tertiaryExtra) {
            int p = PRIMARY[c];
            if (p < 0) {
                return;
            }
            add(p, 0, (Character.isUpperCase(c) ? 1 : 0) + tertiaryExtra);
        }

        void other(int cp) {
            if (cp < 0x80) {
                ascii((char) cp, 0);
                return;
            }
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK) {
                secondaryOnly(cp);
                return;
            }
            if (type == Character.CONTROL || type == Character.FORMAT) {
                return; // ignorable
            }
            String expansion = switch (cp) {
                case 'ß' -> "ss";
                case 'æ' -> "ae";
                case 'Æ' -> "AE";
                case 'œ' -> "oe";
                case 'Œ' -> "OE";
                default -> null;
            };
            if (expansion != null) {
                for (int i = 0; i < expansion.length(); i++) {
                    ascii(expansion.charAt(i), 2);
                }
                return;
            }
            char base = switch (cp) {
                case 'ø', 'Ø' -> 'o';
                case 'đ', 'Đ' -> 'd';
                case 'ł', 'Ł' -> 'l';
                case 'ħ', 'Ħ' -> 'h';
                default -> 0;
            };
            if (base != 0) {
                add(PRIMARY[base], 1, Character.isUpperCase(cp) ? 1 : 0);
                return;
            }
            String compat = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKD);
            if (compat.codePointCount(0, compat.length()) != 1 || compat.codePointAt(0) != cp) {
                // a compatibility form (ligature, fraktur letter, full-width): its decomposition, tertiary apart
                for (int i = 0; i < compat.length(); ) {
                    int c = compat.codePointAt(i);
                    i += Character.charCount(c);
                    if (c < 0x80) {
                        ascii((char) c, 2);
                    } else {
                        other(c);
                    }
                }
                return;
            }
            int digit = Character.digit(cp, 10);
            if (digit >= 0) {
                add(DIGITS + digit * 16, 0, 2);
            } else if (Character.isLetter(cp)) {
                int lower = Character.toLowerCase(cp);
                add(LETTERS + 26 * 16 + lower, 0, lower != cp ? 1 : 0);
            } else if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                add(9, 0, 2);
            } else {
                add(SYMBOLS + cp, 0, 0);
            }
        }

        private void secondaryOnly(int cp) {
            grow();
            secondary[ns++] = 2 + cp;
        }

        private void add(int p, int s, int t) {
            grow();
            primary[np++] = p;
            secondary[ns++] = 1 + s;
            tertiary[nt++] = t;
        }

        private void grow() {
            if (np + 2 >= primary.length || ns + 2 >= secondary.length) {
                primary = Arrays.copyOf(primary, primary.length * 2 + 4);
                secondary = Arrays.copyOf(secondary, secondary.length * 2 + 4);
                tertiary = Arrays.copyOf(tertiary, tertiary.length * 2 + 4);
            }
        }

        Key key() {
            return new Key(Arrays.copyOf(primary, np), Arrays.copyOf(secondary, ns), Arrays.copyOf(tertiary, nt));
        }
    }

    private PrismaOrder() {}
}
