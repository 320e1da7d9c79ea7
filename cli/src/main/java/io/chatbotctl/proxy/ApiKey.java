package io.chatbotctl.proxy;

import java.time.Instant;

/**
 * One entry of the keys file. Limits of 0 mean "no limit".
 *
 * @param hash {@code sha256:HEX} of the key; the key itself is never stored
 */
public record ApiKey(String name, String hash, int rpm, int tpm, int maxConcurrency, boolean revoked, Instant created) {

    public ApiKey revoke() {
        return new ApiKey(name, hash, rpm, tpm, maxConcurrency, true, created);
    }
}
