package io.chatbotctl.deploy;

import io.chatbotctl.manifest.ImageOverrides;

import java.util.List;

/** Where deploy and diff get an environment's manifests: rendered and linted (the manifest package in production). */
public interface ManifestSource {

    /** Renders the environment's overlay, with the vLLM and chatbotctl images replaced where {@code images} names them. */
    Manifests render(ImageOverrides images);

    /** The lint findings of severity error, one line each; empty when the manifests may be applied. */
    List<String> lintErrors(Manifests manifests);
}
