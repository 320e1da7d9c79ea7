package io.chatbotctl.cli;

import io.chatbotctl.modelsync.ModelWarmup;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // A plain look, not CommandLineFactory.commandWord: that loads picocli first, which is what the warm-up overlaps.
        if (java.util.Arrays.asList(args).contains("model")) {
            ModelWarmup.start();
        }
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = CommandLineFactory.create(out, err, CliEnvironment.system(), args).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
