package io.tributary.interaction;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.tributary.web.ApiValue;
import io.tributary.web.ClientProblem;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Turns a keyset position into the opaque {@code cursor} text and back. The text is
 * signed, so a cursor that was not issued by this API (edited, truncated, invented) is
 * refused instead of silently paging from some other place; it carries the sort and a
 * fingerprint of the filters, so one reused with other filters is refused too.
 */
@Component
class CursorCodec {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private static final int SIGNATURE_BYTES = 16;

	private final SecretKeySpec key;

	CursorCodec(@Value("${tributary.api.cursor-secret}") String secret) {
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

	String encode(Cursor cursor) {
		String payload = String.join("|", "1", cursor.sort().apiValue(), cursor.fingerprint(),
				cursor.position().toString(), cursor.id().toString());
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(sign(bytes));
	}

	/**
	 * Reads a cursor and checks it belongs to this request.
	 * @param text the {@code cursor} parameter
	 * @param sort the request's sort
	 * @param fingerprint the request's filter fingerprint
	 * @return the position to continue after
	 */
	Cursor decode(String text, InteractionSort sort, String fingerprint) {
		Cursor cursor = parse(text);
		if (cursor.sort() != sort || !cursor.fingerprint().equals(fingerprint)) {
			throw ClientProblem.invalidParameter("cursor",
					"Parameter 'cursor' was issued for a different sort or different filters: repeat the request that returned it with only 'cursor' changed, or start again without 'cursor'");
		}
		return cursor;
	}

	private Cursor parse(String text) {
		try {
			String[] parts = text.split("\\.", -1);
			if (parts.length == 2) {
				byte[] payload = DECODER.decode(parts[0]);
				if (MessageDigest.isEqual(sign(payload), DECODER.decode(parts[1]))) {
					String[] fields = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
					if (fields.length == 5 && fields[0].equals("1")) {
						return new Cursor(ApiValue.parse(InteractionSort.class, fields[1]), fields[2],
								Instant.parse(fields[3]), UUID.fromString(fields[4]));
					}
				}
			}
		}
		catch (RuntimeException ex) {
			// falls through: any malformed part makes it not one of ours
		}
		throw ClientProblem.invalidParameter("cursor",
				"Parameter 'cursor' is not a cursor issued by this API: pass page.nextCursor from a previous response unchanged");
	}

	private byte[] sign(byte[] payload) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return Arrays.copyOf(mac.doFinal(payload), SIGNATURE_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
		}
	}

	/**
	 * A keyset position: continue after the row with this sort value and id.
	 *
	 * @param sort the order the position is in
	 * @param fingerprint the filters' fingerprint
	 * @param position the last row's sort value
	 * @param id the last row's id
	 */
	record Cursor(InteractionSort sort, String fingerprint, Instant position, UUID id) {
	}

}
