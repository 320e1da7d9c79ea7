package io.chatbotctl.modelsync;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The exclusive lock {@code DEST/.chatbotctl/lock}: a second sync of the same directory, in this process or another
 * (e.g. a second initContainer on the node), waits for the first. The OS releases it when a process dies, even by SIGKILL.
 */
final class DirectoryLock implements AutoCloseable {
    /** File locks belong to the whole JVM, so syncs in one process queue here first. */
    private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

    private final Semaphore local;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Semaphore local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path lockFile, Progress progress) throws InterruptedException {
        Path key = lockFile.toAbsolutePath().normalize();
        Semaphore local = IN_PROCESS.computeIfAbsent(key, k -> new Semaphore(1));
        boolean announced = false;
        if (!local.tryAcquire()) {
            progress.log("waiting for another sync of this directory to finish (" + lockFile + ")");
            announced = true;
            local.acquire();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (!announced) {
                    progress.log("waiting for another sync of this directory to finish (" + lockFile + ")");
                }
                lock = channel.lock();
            }
            return new DirectoryLock(local, channel, lock);
        } catch (IOException e) {
            close(channel);
            local.release();
            throw new InvalidInputException("cannot lock " + lockFile + ": " + e.getMessage(), "check the directory's permissions", e);
        } catch (RuntimeException e) {
            close(channel);
            local.release();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(channel);
        local.release();
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
