package io.tributary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a raw socket with a small receive buffer that reads its answer
 * only when asked, as slowly as asked, or not at all: a browser on a poor link, or one
 * that stopped reading.
 */
public final class SlowClient implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final int status;

	private final Map<String, String> headers = new LinkedHashMap<>();

	/** What arrived after the headers and was not handed out yet. */
	private final ByteArrayOutputStream early = new ByteArrayOutputStream();

	private long read;

	private SlowClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		byte[] buffer = new byte[1024];
		int end = -1;
		while (end < 0) {
			int n = this.in.read(buffer);
			if (n < 0) {
				throw new IOException("The connection closed before the answer's headers: " + head);
			}
			head.write(buffer, 0, n);
			end = head.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
		}
		byte[] all = head.toByteArray();
		this.early.write(all, end + 4, all.length - end - 4);
		String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
		this.status = Integer.parseInt(lines[0].split(" ")[1]);
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			this.headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
					lines[i].substring(colon + 1).trim());
		}
	}

	/**
	 * Sends a GET and reads the answer's headers, nothing more.
	 * @param port the gateway's port
	 * @param target the path and query
	 * @param key the API key
	 * @return the client, its answer's body unread
	 */
	public static SlowClient get(int port, String target, String key) {
		try {
			Socket socket = new Socket();
			socket.setReceiveBufferSize(4096);
			socket.connect(new InetSocketAddress("localhost", port), 5000);
			socket.setSoTimeout(30_000);
			socket.getOutputStream()
				.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key
						+ "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
			return new SlowClient(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int status() {
		return this.status;
	}

	/**
	 * @param name a header name
	 * @return its value, or null
	 */
	public String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

	/**
	 * @return bytes of the body read so far
	 */
	public long read() {
		return this.read;
	}

	/**
	 * Reads at most this many bytes of the body (chunk framing included).
	 * @param bytes how many
	 * @return what was read; empty at the end of the body
	 */
	public byte[] readSome(int bytes) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			if (this.early.size() > 0) {
				byte[] kept = this.early.toByteArray();
				int taken = Math.min(bytes, kept.length);
				out.write(kept, 0, taken);
				this.early.reset();
				this.early.write(kept, taken, kept.length - taken);
			}
			if (out.size() == 0) {
				byte[] buffer = new byte[bytes];
				int n = this.in.read(buffer);
				if (n > 0) {
					out.write(buffer, 0, n);
				}
			}
			this.read += out.size();
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads the rest of the body, {@code bytes} at a time with a pause after each, until
	 * the server ends it or drops the connection.
	 * @param bytes how many at a time
	 * @param pause the pause
	 * @return everything read by this call (chunk framing included)
	 */
	public byte[] readRest(int bytes, Duration pause) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			while (true) {
				byte[] some = readSome(bytes);
				if (some.length == 0) {
					return out.toByteArray();
				}
				out.write(some);
				if (!pause.isZero()) {
					Thread.sleep(pause.toMillis());
				}
			}
		}
		catch (UncheckedIOException ex) {
			if (ex.getCause() instanceof SocketException) {
				// dropped by the server: what arrived is what there is
				return out.toByteArray();
			}
			throw ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param body a chunked body as read
	 * @return whether it ends with the last chunk, as a complete answer does
	 */
	public static boolean endsWithLastChunk(byte[] body) {
		return new String(body, StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n");
	}

	/**
	 * @param chunked a whole chunked body as read
	 * @return the body without its chunk framing, as UTF-8
	 */
	public static String dechunk(byte[] chunked) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int at = 0;
		while (at < chunked.length) {
			int lineEnd = at;
			while (chunked[lineEnd] != '\r') {
				lineEnd++;
			}
			int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).trim(), 16);
			if (size == 0) {
				break;
			}
			out.write(chunked, lineEnd + 2, size);
			at = lineEnd + 2 + size + 2;
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
