package io.chatbotctl.modelsync;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The objects under a prefix (ListObjectsV2, every page) and the remote manifest {@code model push} left there. */
final class RemoteListing {
    private final S3Reader reader;
    private final S3Location location;
    private List<RemoteObject> all;

    RemoteListing(S3Reader reader, S3Location location) {
        this.reader = reader;
        this.location = location;
    }

    /** Every object (not the remote manifest, not directory markers); exit 4 when the prefix is empty. */
    List<RemoteObject> all() {
        if (all == null) {
            List<RemoteObject> objects = new ArrayList<>();
            String token = null;
            do {
                S3Reader.Page page = reader.list(location, token);
                for (S3Reader.Listed o : page.objects()) {
                    String path = o.key().substring(location.prefix().length());
                    if (path.isEmpty() || path.endsWith("/")) {
                        continue;
                    }
                    objects.add(new RemoteObject(o.key(), path, o.sizeBytes(), o.etag()));
                }
                token = page.nextToken();
            } while (token != null);
            all = objects;
        }
        return all;
    }

    boolean hasPushedManifest() {
        return all().stream().anyMatch(o -> o.path().equals(RemoteManifest.NAME));
    }

    /** The objects the filter accepts, without the remote manifest. */
    List<RemoteObject> objects(KeyFilter filter) {
        List<RemoteObject> objects = all();
        if (objects.isEmpty()) {
            throw new ExternalSystemException("no objects under " + location,
                    "check the bucket and prefix (aws s3 ls " + location + ")");
        }
        List<RemoteObject> accepted = objects.stream()
                .filter(o -> !o.path().equals(RemoteManifest.NAME) && filter.accepts(o.path())).toList();
        if (accepted.isEmpty()) {
            throw new InvalidInputException("none of the " + objects.size() + " objects under " + location
                    + " passes --include/--exclude", "check the globs, or add --no-default-excludes");
        }
        return accepted;
    }

    /** The remote manifest, or null when the prefix has none (or an unreadable one: then it is not used). */
    RemoteManifest pushedManifest() {
        if (!hasPushedManifest()) {
            return null;
        }
        byte[] bytes = reader.get(location.bucket(), location.key(RemoteManifest.NAME));
        try {
            return Json.mapper().readValue(bytes, RemoteManifest.class);
        } catch (IOException e) {
            return null;
        }
    }
}
