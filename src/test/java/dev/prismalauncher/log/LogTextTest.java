package dev.prismalauncher.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void controlCharactersAreWrittenAsJsonWouldWriteThem() {
        assertEquals("a\\u001b[31mb\\u0007c\\u000dd\\u000ae\\u0085f\\u2028g\\u007f", LogText.printable("a\u001b[31mb\u0007c\rd\ne\u0085f\u2028g\u007f"));
        assertEquals("table\nline \\u000d\\u001b x", LogText.printableLines("table\nline \r\u001b x"), "the launcher's own newlines kept");
        String plain = "évidence — 注文 ✓";
        assertSame(plain, LogText.printable(plain), "nothing to escape: the same string, no copy");
    }
}
