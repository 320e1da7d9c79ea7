package io.chatbotctl.modelsync;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code model verify DEST [--deep]}: checks a synced directory against its manifest. */
public final class ModelVerify {

    public VerifyResult verify(Path destination, boolean deep, Progress progress) {
        ModelDirectory dir = new ModelDirectory(destination);
        Manifest manifest = dir.readManifest();
        if (manifest == null) {
            throw new InvalidInputException("no manifest in " + dir.root() + " (" + dir.manifestFile() + ")",
                    "it is not a directory written by 'chatbotctl model sync'");
        }
        List<VerifyResult.Mismatch> mismatches = new ArrayList<>();
        boolean complete = dir.matchingMarker() != null;
        if (!complete) {
            mismatches.add(new VerifyResult.Mismatch(ModelDirectory.META + "/COMPLETE", "incomplete",
                    "the marker is missing or names another manifest: a sync has not finished"));
        }
        int n = 0;
        for (Manifest.Entry entry : manifest.files()) {
            n++;
            Path file = dir.file(entry.path());
            try {
                if (!Files.isRegularFile(file)) {
                    mismatches.add(new VerifyResult.Mismatch(entry.path(), "missing", "not a file"));
                    continue;
                }
                long size = Files.size(file);
                if (size != entry.sizeBytes()) {
                    mismatches.add(new VerifyResult.Mismatch(entry.path(), "size", "expected " + entry.sizeBytes() + " bytes, found " + size));
                    continue;
                }
                if (deep) {
                    progress.update("verifying " + n + "/" + manifest.files().size() + ": " + entry.path());
                    String actual = Checksums.ofFile(file, entry.checksumAlgorithm());
                    if (!actual.equals(entry.checksum())) {
                        mismatches.add(new VerifyResult.Mismatch(entry.path(), "checksum",
                                entry.checksumAlgorithm() + " expected " + entry.checksum() + ", found " + actual));
                    }
                }
            } catch (IOException e) {
                mismatches.add(new VerifyResult.Mismatch(entry.path(), "missing", "unreadable: " + e.getMessage()));
            }
        }
        if (complete && !mismatches.isEmpty()) {
            // Damaged files must not look complete: --wait-complete readers stop trusting the directory, and the next
            // sync re-checks every file by checksum instead of by size and time.
            try {
                dir.removeMarker();
            } catch (IOException e) {
                mismatches.add(new VerifyResult.Mismatch(ModelDirectory.META + "/COMPLETE", "incomplete", "cannot remove it: " + e.getMessage()));
            }
            complete = false;
        }
        return new VerifyResult(dir.root().toString(), manifest.source(), deep, complete, manifest.files().size(), mismatches);
    }
}
