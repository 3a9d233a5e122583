package io.tributary.interaction;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The body of an export as its reader of the database sees it: each slice is handed to a
 * writer thread, and a slice the client has not taken within the idle timeout fails the
 * export ({@link ExportReaderStalled}) while the writer thread stays blocked on the
 * socket. The thread that holds the database connection so never waits on a client for
 * longer than the idle timeout, however the socket behaves.
 */
final class IdleTimeoutOutputStream extends OutputStream {

	/**
	 * The most one hand-over carries: the client must take this much within the idle
	 * timeout (about 270 bytes a second at 60 s).
	 */
	static final int SLICE = 16 * 1024;

	private final OutputStream out;

	private final Duration idleTimeout;

	private final ExecutorService writers;

	private Future<?> pending;

	private IOException failed;

	IdleTimeoutOutputStream(OutputStream out, Duration idleTimeout, ExecutorService writers) {
		this.out = out;
		this.idleTimeout = idleTimeout;
		this.writers = writers;
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		for (int at = offset; at < offset + length; at += SLICE) {
			byte[] slice = Arrays.copyOfRange(bytes, at, Math.min(offset + length, at + SLICE));
			handOver(() -> this.out.write(slice));
		}
	}

	@Override
	public void flush() throws IOException {
		handOver(this.out::flush);
	}

	/** Flushes; the answer's stream itself is closed by the container. */
	@Override
	public void close() throws IOException {
		flush();
	}

	private void handOver(Write write) throws IOException {
		if (this.failed != null) {
			throw this.failed;
		}
		this.pending = this.writers.submit(() -> {
			write.run();
			return null;
		});
		try {
			this.pending.get(this.idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			this.failed = new ExportReaderStalled(this.idleTimeout);
			throw this.failed;
		}
		catch (ExecutionException ex) {
			this.failed = (ex.getCause() instanceof IOException io) ? io : new IOException(ex.getCause());
			throw this.failed;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.failed = new InterruptedIOException("Interrupted while the client read the export");
			throw this.failed;
		}
	}

	/**
	 * Waits for a write still blocked on the socket to end, which it does once the client
	 * reads or the connection closes (at the latest when the server's write timeout,
	 * {@code server.tomcat.connection-timeout}, passes without progress), so the answer
	 * is never used by two threads at once. Called once the database connection is
	 * released.
	 */
	void awaitBlockedWrite() {
		if (this.pending == null) {
			return;
		}
		boolean interrupted = false;
		while (true) {
			try {
				this.pending.get();
				break;
			}
			catch (ExecutionException | CancellationException ex) {
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	@FunctionalInterface
	private interface Write {

		void run() throws IOException;

	}

}
