package io.chatbotctl.modelsync;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/** The warm-up swallows its errors at run time; here they would show. */
class ModelWarmupTest {
    @Test
    void everyStepOfTheWarmUpWorks() {
        assertDoesNotThrow(ModelWarmup::prepare);
    }
}
