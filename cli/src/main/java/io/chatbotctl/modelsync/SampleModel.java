package io.chatbotctl.modelsync;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A small generated model tree, the same bytes every time: what the demo and the launcher's CDS training sync. */
public final class SampleModel {
    private static final long MIB = 1 << 20;

    private SampleModel() {
    }

    /** A tiny Hugging Face-style checkpoint: configs, a tokenizer, two safetensors shards (one multipart). */
    public static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 256, "
                + "\"num_hidden_layers\": 2, \"vocab_size\": 32000, \"torch_dtype\": \"bfloat16\"}\n");
        Files.writeString(dir.resolve("generation_config.json"), "{\"temperature\": 0.6, \"top_p\": 0.9}\n");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 8192}\n");
        randomFile(dir.resolve("tokenizer.json"), 200_000, 1);
        randomFile(dir.resolve("model-00001-of-00002.safetensors"), 7 * MIB, 2);
        randomFile(dir.resolve("model-00002-of-00002.safetensors"), 2 * MIB, 3);
    }

    /** {@code size} bytes from {@code new Random(seed)}: the same file for the same seed. */
    public static void randomFile(Path file, long size, long seed) throws IOException {
        byte[] block = new byte[1 << 16];
        Random random = new Random(seed);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }
}
