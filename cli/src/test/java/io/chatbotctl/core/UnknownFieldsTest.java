package io.chatbotctl.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One shape for an unknown field, whether a tree reader or Jackson's own check finds it. */
class UnknownFieldsTest {
    record Step(String check, String when) {
    }

    record Book(String name, List<Step> steps) {
    }

    @Test
    void aTreeReaderNamesTheFileLinePathAndKnownFields() throws Exception {
        var node = Json.yaml().readTree("b: 1\na: 2\nzz: 3\n");
        assertNull(UnknownFields.first(node, Set.of("a", "b", "zz")));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> UnknownFields.reject(node, Set.of("b", "a"), "f.yaml:3", "top.", "see docs"));
        assertEquals("f.yaml:3: top.zz: unknown field (known: a, b)", e.getMessage());
        assertEquals("see docs", e.hint());
    }

    @Test
    void jacksonsOwnCheckGivesTheSameShapeWithItsLine() {
        UnrecognizedPropertyException jackson = assertThrows(UnrecognizedPropertyException.class, () -> Json.yaml()
                .readerFor(Book.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue("name: x\nsteps:\n  - check: pods\n  - check: logs\n    whn: {}\n"));
        InvalidInputException e = UnknownFields.of("book.yaml", jackson, "see docs");
        // records are built from buffered fields, so Jackson notices at the end of the step's mapping (line 6, not 5)
        assertEquals("book.yaml:6: steps[1].whn: unknown field (known: check, when)", e.getMessage());
    }
}
