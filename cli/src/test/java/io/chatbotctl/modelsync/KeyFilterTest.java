package io.chatbotctl.modelsync;

import io.chatbotctl.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyFilterTest {
    @Test
    void defaultExcludesDropTheOriginalCheckpointOnly() {
        KeyFilter filter = new KeyFilter(List.of(), List.of(), true);
        assertFalse(filter.accepts("original/consolidated.00.pth"));
        assertFalse(filter.accepts("original/sub/params.json"));
        assertTrue(filter.accepts("config.json"));
        assertTrue(filter.accepts("originality/x.json"));
        assertTrue(new KeyFilter(List.of(), List.of(), false).accepts("original/consolidated.00.pth"));
    }

    @Test
    void globsWithoutASlashMatchInEveryDirectory() {
        KeyFilter filter = new KeyFilter(List.of("*.safetensors", "*.json"), List.of("tokenizer/*"), false);
        assertTrue(filter.accepts("model-00001-of-00004.safetensors"));
        assertTrue(filter.accepts("sub/dir/config.json"));
        assertFalse(filter.accepts("README.md"));
        assertFalse(filter.accepts("tokenizer/tokenizer.json"));
    }

    @Test
    void s3UrisNameABucketAndADirectoryPrefix() {
        assertEquals(new S3Location("models", "llama/"), S3Location.parse("s3://models/llama"));
        assertEquals(new S3Location("models", "llama/"), S3Location.parse("s3://models/llama/"));
        assertEquals(new S3Location("models", ""), S3Location.parse("s3://models"));
        assertEquals(3, assertThrows(InvalidInputException.class, () -> S3Location.parse("models/llama")).exitCode());
        assertEquals(3, assertThrows(InvalidInputException.class, () -> S3Location.parse("s3://Bad_Bucket/x")).exitCode());
    }

    @Test
    void objectPathsCannotLeaveTheDirectory() {
        ModelDirectory dir = new ModelDirectory(java.nio.file.Path.of("/models/llama"));
        assertThrows(InvalidInputException.class, () -> dir.file("../etc/passwd"));
        assertThrows(InvalidInputException.class, () -> dir.file(".chatbotctl/COMPLETE"));
        assertEquals(java.nio.file.Path.of("/models/llama/a/b.json"), dir.file("a/b.json"));
    }
}
