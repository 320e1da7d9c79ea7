package io.chatbotctl.modelsync;

import io.chatbotctl.core.Sizes;
import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;

import java.util.List;
import java.util.Locale;

/**
 * What {@code model push} did.
 *
 * @param source                    the local directory
 * @param destination               the {@code s3://} location
 * @param uploaded                  files uploaded
 * @param skipped                   files whose content S3 already has (same size and SHA-256 in the remote manifest, same ETag)
 * @param bytesUploaded             bytes uploaded
 * @param seconds                   wall time
 * @param throughputBytesPerSecond  bytesUploaded / seconds
 * @param checksumAlgorithm         the full-object checksum sent with every upload for S3 to check ({@code crc64nvme})
 * @param files                     one line per file
 */
public record PushResult(String source, String destination, int uploaded, int skipped, long bytesUploaded, double seconds,
                         double throughputBytesPerSecond, String checksumAlgorithm, List<FileAction> files) implements Tabular {

    /**
     * @param path      relative path
     * @param action    {@code upload} or {@code skip}
     * @param sizeBytes its size
     * @param sha256    its SHA-256 (recorded in the remote manifest)
     * @param crc64nvme its CRC64NVME (recorded in the remote manifest)
     * @param etag      the object's ETag after the push
     */
    public record FileAction(String path, String action, long sizeBytes, String sha256, String crc64nvme, String etag) {
    }

    @Override
    public Table toTable() {
        Table.Builder table = Table.of("ACTION", "SIZE", "SHA-256", "PATH");
        for (FileAction f : files) {
            table.row(f.action(), Sizes.format(f.sizeBytes()), f.sha256().substring(0, 16) + "…", f.path());
        }
        return table.note(String.format(Locale.ROOT, "%d uploaded, %d unchanged; %s in %.1fs (%s/s); manifest %s%s",
                uploaded, skipped, Sizes.format(bytesUploaded), seconds, Sizes.format((long) throughputBytesPerSecond),
                destination, RemoteManifest.NAME)).build();
    }
}
