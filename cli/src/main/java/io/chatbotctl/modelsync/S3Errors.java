package io.chatbotctl.modelsync;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExternalSystemException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns SDK failures into one user-facing line (exit 4). */
final class S3Errors {
    private S3Errors() {}

    static ChatbotctlException translate(Throwable failure, String what) {
        Throwable t = unwrap(failure);
        if (t instanceof ChatbotctlException known) {
            return known;
        }
        if (t instanceof S3Exception s3) {
            return status(s3.statusCode(), s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode(),
                    s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorMessage(), what, t);
        }
        if (t instanceof SdkClientException client) {
            String message = String.valueOf(client.getMessage());
            if (message.contains("credentials") || message.contains("Credentials")) {
                return new ExternalSystemException("no AWS credentials found for " + what,
                        "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, pass --profile, or run with an IRSA service account", t);
            }
            return new ExternalSystemException("cannot reach S3 for " + what + ": " + firstLine(message),
                    "check --endpoint-url, --region and the network", t);
        }
        if (t instanceof SdkException sdk) {
            return new ExternalSystemException("S3 failed on " + what + ": " + firstLine(sdk.getMessage()), null, t);
        }
        if (t instanceof java.io.IOException io) {
            return new io.chatbotctl.core.InvalidInputException("cannot write " + what + ": " + io.getMessage(),
                    "check free space and permissions of the destination", t);
        }
        return new ExternalSystemException("S3 transfer of " + what + " failed: " + t, null, t);
    }

    /** An S3 error answer: its HTTP status and, when it had a body, the error code and message. */
    static ChatbotctlException status(int status, String code, String message, String what, Throwable cause) {
        if ("NoSuchBucket".equals(code)) {
            return new ExternalSystemException("no such bucket: " + what, "check the bucket name and --region/--endpoint-url", cause);
        }
        if (status == 403 || "AccessDenied".equals(code) || "InvalidAccessKeyId".equals(code)
                || "SignatureDoesNotMatch".equals(code)) {
            return new ExternalSystemException("access denied to " + what + " (" + (code == null ? "HTTP 403" : code) + ")",
                    "check the AWS credentials (AWS_ACCESS_KEY_ID, --profile, IRSA role) and the bucket policy", cause);
        }
        if (status == 412) {
            return new ExternalSystemException(what + " changed during the transfer (its ETag no longer matches)",
                    "run the command again to fetch the new version", cause);
        }
        if ("NoSuchKey".equals(code) || status == 404) {
            return new ExternalSystemException("not found: " + what, "it may have been deleted during the transfer; run again", cause);
        }
        return new ExternalSystemException("S3 failed on " + what + ": " + (code == null ? "HTTP " + status : code)
                + (message != null ? " (" + message + ")" : ""), null, cause);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        // The CRT client wraps S3 errors in SdkClientException causes in some paths.
        if (t instanceof SdkClientException && t.getCause() instanceof S3Exception s3) {
            return s3;
        }
        return t;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
