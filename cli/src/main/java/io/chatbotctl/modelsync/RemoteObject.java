package io.chatbotctl.modelsync;

/**
 * An object under the synced prefix.
 *
 * @param key       its S3 key
 * @param path      its path relative to the prefix
 * @param sizeBytes its size
 * @param etag      its ETag without quotes
 */
public record RemoteObject(String key, String path, long sizeBytes, String etag) {
    static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
