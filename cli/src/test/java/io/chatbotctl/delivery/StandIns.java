package io.chatbotctl.delivery;

import java.util.Map;

/**
 * The local systems that stand in for AWS in a rehearsal: S3 (S3Proxy), the ECR registry's name (images are files
 * under the run's {@code registry/}), and the EKS clusters by name (the mock API servers' URLs).
 */
record StandIns(String s3EndpointUrl, String s3AccessKey, String s3SecretKey, String registry,
                Map<String, String> eksClusters) {
    /** The registry host {@code amazon-ecr-login} reports; the docker shim keeps its images under {@code registry/}. */
    static final String REGISTRY = "123456789012.dkr.ecr.rehearsal.localhost";
}
