package io.tributary.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 as bytes on a socket: the request goes out exactly as written (broken escapes,
 * control characters, oversized lines, odd methods), which no HTTP client library would
 * send, so what Tomcat itself refuses before any servlet is reached can be tested too;
 * and from any loopback address ({@code 127.0.0.0/8}), so tests can be different clients.
 */
public final class RawHttp {

	private final int port;

	private final InetAddress from;

	public RawHttp(int port) {
		this(port, null);
	}

	/**
	 * @param port the gateway's port on {@code 127.0.0.1}
	 * @param from the loopback address the requests come from; null for any
	 */
	public RawHttp(int port, InetAddress from) {
		this.port = port;
		this.from = from;
	}

	/**
	 * @param method the method, as sent
	 * @param target the request target, as sent (ISO-8859-1 bytes)
	 * @param headers header lines without CRLF; {@code Host} and
	 * {@code Connection: close} are added
	 * @return the response
	 */
	public Response send(String method, String target, List<String> headers) {
		return send(method, target, headers, null);
	}

	/**
	 * @param method the method, as sent
	 * @param target the request target, as sent (ISO-8859-1 bytes)
	 * @param headers header lines without CRLF; {@code Host}, {@code Connection: close}
	 * and, with a body, {@code Content-Length} are added
	 * @param body the body, or null
	 * @return the response
	 */
	public Response send(String method, String target, List<String> headers, String body) {
		StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		request.append("Host: localhost\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		if (body != null) {
			request.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		if (body != null) {
			request.append(body);
		}
		return send(request.toString().getBytes(StandardCharsets.ISO_8859_1));
	}

	/**
	 * @param request the whole request, as sent
	 * @return the response
	 */
	public Response send(byte[] request) {
		try (Socket socket = (this.from != null)
				? new Socket(InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }), this.port, this.from, 0)
				: new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request);
			socket.getOutputStream().flush();
			return parse(readAll(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int n; (n = in.read(buffer)) != -1;) {
				out.write(buffer, 0, n);
			}
		}
		catch (java.net.SocketException ex) {
			// a reset after the server answered and closed: what arrived is the answer
			if (out.size() == 0) {
				throw ex;
			}
		}
		return out.toByteArray();
	}

	private static Response parse(byte[] bytes) {
		String raw = new String(bytes, StandardCharsets.ISO_8859_1);
		int end = raw.indexOf("\r\n\r\n");
		if (end < 0) {
			throw new IllegalStateException("No complete HTTP response: '" + raw + "'");
		}
		String[] lines = raw.substring(0, end).split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			headers
				.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), (k) -> new ArrayList<>())
				.add(lines[i].substring(colon + 1).trim());
		}
		byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
		List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
		if (encoding.stream().anyMatch((value) -> value.equalsIgnoreCase("chunked"))) {
			body = dechunk(body);
		}
		return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] dechunk(byte[] chunked) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int at = 0;
		while (at < chunked.length) {
			int lineEnd = indexOf(chunked, at);
			String sizeText = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
			int size = Integer.parseInt(sizeText, 16);
			if (size == 0) {
				break;
			}
			out.write(chunked, lineEnd + 2, size);
			at = lineEnd + 2 + size + 2;
		}
		return out.toByteArray();
	}

	private static int indexOf(byte[] bytes, int from) {
		for (int i = from; i < bytes.length - 1; i++) {
			if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
				return i;
			}
		}
		throw new IllegalStateException("Truncated chunked body");
	}

	/**
	 * An answer.
	 *
	 * @param status the status code
	 * @param headers the headers, names in lower case
	 * @param body the body, de-chunked, as UTF-8
	 */
	public record Response(int status, Map<String, List<String>> headers, String body) {

		public String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null) ? values.get(0) : null;
		}

		public String contentType() {
			return header("Content-Type");
		}

		@Override
		public String toString() {
			return this.status + " " + contentType() + " " + this.body;
		}

	}

}
