package io.chatbotctl.modelsync;

/**
 * The CRC of two byte strings joined, from the CRC of each and the length of the second, for the reflected CRCs S3
 * uses whose initial value equals their final XOR (CRC-32C, CRC-64/NVME): {@code crc(A+B) = crc(A)·x^(8·|B|) + crc(B)}
 * in GF(2)[x] modulo the polynomial. This lets ranges be checksummed as they arrive, in any order.
 */
final class CrcCombine {
    static final CrcCombine CRC32C = new CrcCombine(32, 0x82F63B78L);
    static final CrcCombine CRC64NVME = new CrcCombine(64, 0x9A6C9329AC4BC9B5L);

    private final long poly;
    private final long one;
    /** {@code x^(2^k)} modulo the polynomial. */
    private final long[] xPow2k = new long[64];

    /** @param reflectedPoly the polynomial with x^0 in the top bit of {@code width} bits */
    private CrcCombine(int width, long reflectedPoly) {
        this.poly = reflectedPoly;
        this.one = 1L << (width - 1);
        xPow2k[0] = one >>> 1;
        for (int k = 1; k < xPow2k.length; k++) {
            xPow2k[k] = multiply(xPow2k[k - 1], xPow2k[k - 1]);
        }
    }

    /** @return the CRC of A followed by B */
    long combine(long crcA, long crcB, long lengthBBytes) {
        return multiply(xPowBytes(lengthBBytes), crcA) ^ crcB;
    }

    private long xPowBytes(long bytes) {
        long result = one;
        int k = 3;
        for (long n = bytes; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                result = multiply(xPow2k[k], result);
            }
        }
        return result;
    }

    private long multiply(long a, long b) {
        long product = 0;
        for (long bit = one; bit != 0; bit >>>= 1) {
            if ((a & bit) != 0) {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ poly : b >>> 1;
        }
        return product;
    }
}
