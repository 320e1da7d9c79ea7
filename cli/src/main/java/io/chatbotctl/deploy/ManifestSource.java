package io.chatbotctl.deploy;

import java.util.List;

/** Where deploy and diff get an environment's manifests: rendered and linted (the manifest package in production). */
public interface ManifestSource {

    /** Renders the environment's overlay, with the vLLM image replaced when {@code image} is not null. */
    Manifests render(String image);

    /** The lint findings of severity error, one line each; empty when the manifests may be applied. */
    List<String> lintErrors(Manifests manifests);
}
