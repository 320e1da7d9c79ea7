package io.chatbotctl.modelsync;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.report.Json;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The objects under a prefix (ListObjectsV2, every page) and the remote manifest {@code model push} left there. */
final class RemoteListing {
    private final S3AsyncClient client;
    private final S3Location location;
    private List<RemoteObject> all;

    RemoteListing(S3AsyncClient client, S3Location location) {
        this.client = client;
        this.location = location;
    }

    /** Every object (not the remote manifest, not directory markers); exit 4 when the prefix is empty. */
    List<RemoteObject> all() {
        if (all == null) {
            List<RemoteObject> objects = new ArrayList<>();
            String token = null;
            do {
                ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(location.bucket()).prefix(location.prefix());
                if (token != null) {
                    request.continuationToken(token);
                }
                ListObjectsV2Response page;
                try {
                    page = client.listObjectsV2(request.build()).join();
                } catch (RuntimeException e) {
                    throw S3Errors.translate(e, location.toString());
                }
                for (S3Object o : page.contents()) {
                    String path = o.key().substring(location.prefix().length());
                    if (path.isEmpty() || path.endsWith("/")) {
                        continue;
                    }
                    objects.add(new RemoteObject(o.key(), path, o.size(), RemoteObject.unquote(o.eTag())));
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
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
        try {
            byte[] bytes = client.getObject(b -> b.bucket(location.bucket()).key(location.key(RemoteManifest.NAME)),
                    AsyncResponseTransformer.toBytes()).join().asByteArray();
            return Json.mapper().readValue(bytes, RemoteManifest.class);
        } catch (IOException e) {
            return null;
        } catch (RuntimeException e) {
            throw S3Errors.translate(e, location + RemoteManifest.NAME);
        }
    }
}
