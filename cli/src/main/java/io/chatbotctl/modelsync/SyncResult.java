package io.chatbotctl.modelsync;

import io.chatbotctl.core.Sizes;
import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;
import java.util.Locale;

/**
 * What {@code model sync} did (or, with {@code --dry-run}, would do).
 *
 * @param source                     the {@code s3://} location
 * @param destination                the local directory
 * @param dryRun                     whether anything was changed
 * @param downloaded                 files fetched (including resumed ones)
 * @param resumed                    of those, files continued from a {@code .part} file
 * @param skipped                    files already up to date
 * @param deleted                    local files removed by {@code --delete}
 * @param bytesDownloaded            bytes fetched in this run (a resumed file counts only its missing ranges)
 * @param seconds                    wall time of the whole command
 * @param throughputBytesPerSecond   bytesDownloaded / seconds
 * @param checksumMode               whether the store took {@code x-amz-checksum-mode} ({@code enabled}), refused
 *                                   it ({@code unsupported}, with the answer: files verified by ETag MD5 or size),
 *                                   or no HEAD was needed ({@code unused})
 * @param files                      one line per file with its action and how it was verified
 */
public record SyncResult(String source, String destination, boolean dryRun, int downloaded, int resumed, int skipped,
                         int deleted, long bytesDownloaded, double seconds, double throughputBytesPerSecond,
                         ChecksumMode checksumMode, List<FileAction> files) implements Tabular {

    /**
     * @param path        relative path
     * @param action      {@code download}, {@code resume}, {@code skip} or {@code delete}
     * @param sizeBytes   the file's size
     * @param verifiedBy  for downloads: {@code s3-crc64nvme}, {@code s3-crc32c}, {@code s3-sha256}, {@code manifest-sha256},
     *                    {@code etag-md5} or {@code size}; for skips the method recorded when it was downloaded
     */
    public record FileAction(String path, String action, long sizeBytes, String verifiedBy) {
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("ACTION", "SIZE", "VERIFIED BY", "PATH");
        for (FileAction f : files) {
            if (!f.action().equals("skip")) {
                table.row(f.action(), Sizes.format(f.sizeBytes()), f.verifiedBy() == null ? "-" : f.verifiedBy(), f.path());
            }
        }
        String summary = String.format(Locale.ROOT, "%s%d downloaded (%d resumed), %d up to date, %d deleted; %s in %.1fs (%s/s)",
                dryRun ? "dry run: " : "", downloaded, resumed, skipped, deleted, Sizes.format(bytesDownloaded), seconds,
                Sizes.format((long) throughputBytesPerSecond));
        table.note(summary);
        if (checksumMode.unsupported()) {
            table.note(checksumMode.describe());
        }
        return table.build();
    }
}
