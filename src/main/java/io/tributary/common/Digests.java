package io.tributary.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of text, for content hashes, filter fingerprints and payload keys.
 */
public final class Digests {

	private Digests() {
	}

	/**
	 * @param text the text, as UTF-8
	 * @return its SHA-256
	 */
	public static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

}
