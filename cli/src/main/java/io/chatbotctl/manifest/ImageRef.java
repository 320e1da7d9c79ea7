package io.chatbotctl.manifest;

/**
 * A container image reference split as kustomize splits it: name (registry and repository), tag, digest.
 *
 * @param name   e.g. {@code vllm/vllm-openai} or {@code registry:5000/team/app}
 * @param tag    without the colon, or null
 * @param digest {@code sha256:...}, or null
 */
record ImageRef(String name, String tag, String digest) {

    static ImageRef parse(String image) {
        String rest = image;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ImageRef(rest, tag, digest);
    }

    @Override
    public String toString() {
        return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** One entry of a kustomization's {@code images:}. */
    record ImageOverride(String name, String newName, String newTag, String digest) {
        /** The replaced image, or null when this entry does not name the image. */
        String apply(String image) {
            ImageRef ref = parse(image);
            if (!ref.name().equals(name)) {
                return null;
            }
            String resultName = newName == null ? ref.name() : newName;
            if (digest != null) {
                return newTag != null ? resultName + ":" + newTag + "@" + digest : resultName + "@" + digest;
            }
            if (newTag != null) {
                return resultName + ":" + newTag;
            }
            return new ImageRef(resultName, ref.tag(), ref.digest()).toString();
        }
    }
}
