package io.chatbotctl.manifest;

/**
 * The images a release is rendered with, in place of the manifests' own: {@code --image} (the {@code vllm} container)
 * and {@code --chatbotctl-image} (every container, init containers included, that runs chatbotctl: the model sync
 * initContainer and the proxy sidecar). Each is a full reference ({@code REPO:TAG}, {@code REPO@sha256:...}) or
 * {@code :TAG} / {@code @sha256:...} to keep the manifests' repository; null keeps the manifests' image.
 *
 * @param vllm       the vLLM image, or null
 * @param chatbotctl the chatbotctl image, or null
 */
public record ImageOverrides(String vllm, String chatbotctl) {
    public static final ImageOverrides NONE = new ImageOverrides(null, null);

    public ImageOverrides {
        vllm = blankToNull(vllm);
        chatbotctl = blankToNull(chatbotctl);
    }

    /** Only the vLLM image replaced. */
    public static ImageOverrides vllm(String image) {
        return new ImageOverrides(image, null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
