package io.chatbotctl.eval;

import io.chatbotctl.core.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stored baselines, one per model revision: {@code DIR/<served model>@<revision>.json}, the results of an
 * {@code eval run --model-revision REV --out FILE} of that model, reviewed in the pull request that adds them
 * (docs/delivery.md, "Baselines"). The results to gate name their model ({@code fingerprint.modelId}, the served
 * model id) and revision ({@code servedModel.revision}, from {@code --model-revision}); so does the file name.
 */
public final class Baselines {
    private Baselines() {}

    /**
     * The file name of a model revision's baseline: {@code <model>@<revision>.json}, every character other than a
     * letter, digit, {@code .}, {@code _} or {@code -} written as {@code _} (a model id may hold {@code /}).
     */
    public static String fileName(String model, String revision) {
        return safe(model) + "@" + safe(revision) + ".json";
    }

    /** Where the baseline of the model and revision the results were run against lives in {@code dir}. */
    static Path fileFor(Path dir, EvalResults results, Path resultsFile) {
        String revision = results.servedModel() == null ? null : results.servedModel().revision();
        if (revision == null || revision.isBlank()) {
            throw new InvalidInputException(resultsFile + " names no model revision, so no baseline in " + dir + " can be picked",
                    "run the eval with --model-revision REV (the overlay's vllm-config MODEL_REVISION), or pass --baseline FILE");
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("--baseline-dir " + dir + " is not a directory");
        }
        return dir.resolve(fileName(results.fingerprint().modelId(), revision));
    }

    /** The check that says which baseline was used, or that there is none for this model revision (inconclusive). */
    static GateCheck check(Path dir, Path file) {
        if (Files.isRegularFile(file)) {
            return GateCheck.of("baseline", true, file.getFileName().toString(), "in " + dir, "");
        }
        return GateCheck.inconclusive("baseline", "none", file.getFileName().toString() + " in " + dir,
                "no baseline for this model revision: nothing to compare with. Make one from a run of it (eval run "
                        + "--model-revision REV --out " + file.getFileName() + "), review it in a pull request that adds it "
                        + "to " + dir + ", then run the gate again (docs/delivery.md, \"Baselines\")");
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
