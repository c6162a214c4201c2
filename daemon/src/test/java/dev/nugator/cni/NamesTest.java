package dev.nugator.cni;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @Test
    void aUtf8NameWhoseByteTheKernelTakesForASpaceIsRefusedWithItsCodePoint() {
        // 'à' is C3 A0 in UTF-8; the kernel's isspace() takes 0xA0 for a space and refuses the name at ADD
        assertThat(Names.ifnameProblem("e\u00e0")).isEqualTo("contains U+00E0: only printable ASCII characters are allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u00a0", "\u0085", "\u2028", "\u001b", "\u007f", "\u0000", "\u00ff", "\u202e"})
    void nonAsciiAndControlCharactersAreRefused(String character) {
        assertThat(Names.ifnameProblem("eth" + character)).contains("only printable ASCII");
    }

    @ParameterizedTest
    @ValueSource(strings = {"eth0", ".x", "net-1_a.b", "~!@#$%^&*()+={}", "fifteen-chars-a"})
    void printableAsciiNamesAreFine(String name) {
        assertThat(Names.ifnameProblem(name)).isNull();
    }

    @Test
    void whitespaceKeepsItsOwnWords() {
        assertThat(Names.ifnameProblem("eth 0")).isEqualTo("contains 'whitespace'");
        assertThat(Names.ifnameProblem("eth\t0")).isEqualTo("contains 'whitespace'");
    }
}
