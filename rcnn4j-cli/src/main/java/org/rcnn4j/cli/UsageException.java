package org.rcnn4j.cli;

/** Options that parse but do not make sense together; reported as one line with exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
