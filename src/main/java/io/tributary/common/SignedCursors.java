package io.tributary.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The one codec of every keyset API's opaque {@code cursor}: a list of fields, tagged
 * with the API that issued it, signed with HMAC-SHA256, so a cursor that was not issued
 * here (edited, truncated, invented, or issued by another endpoint) is refused instead of
 * silently paging from some other place.
 * <p>
 * The secret rotates without breaking a client's walk: new cursors are signed with
 * {@value #PROPERTY}, and cursors signed with {@value #PREVIOUS_PROPERTY} are still
 * accepted while it is set (roll the new secret out with the old one as previous, then
 * drop the previous once cursors issued before are no longer in use).
 */
@Component
public class SignedCursors {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private static final int SIGNATURE_BYTES = 16;

	private static final String SEPARATOR = "|";

	private static final int DEFAULT_LIMIT = 50;

	/** The shortest cursor secret accepted: 32 characters, 256 bits of HMAC key. */
	public static final int MIN_SECRET_LENGTH = 32;

	static final String PROPERTY = "tributary.api.cursor-secret";

	static final String PREVIOUS_PROPERTY = "tributary.api.cursor-secret-previous";

	private final SecretKeySpec key;

	private final @Nullable SecretKeySpec previous;

	/**
	 * @param secret {@code tributary.api.cursor-secret}
	 * @throws IllegalStateException when it is missing or shorter than
	 * {@value #MIN_SECRET_LENGTH} characters: there is no built-in value outside the
	 * {@code demo} profile, since anyone who knows the secret can forge cursors
	 */
	public SignedCursors(String secret) {
		this(secret, null);
	}

	/**
	 * @param secret {@code tributary.api.cursor-secret}, which signs every new cursor
	 * @param previous {@code tributary.api.cursor-secret-previous}: the secret before the
	 * current one, whose cursors are still accepted during a rotation; empty or null when
	 * there is none
	 * @throws IllegalStateException when the secret is missing or either is shorter than
	 * {@value #MIN_SECRET_LENGTH} characters: there is no built-in value outside the
	 * {@code demo} profile, since anyone who knows the secret can forge cursors
	 */
	@Autowired
	public SignedCursors(@Value("${" + PROPERTY + ":}") String secret,
			@Value("${" + PREVIOUS_PROPERTY + ":}") @Nullable String previous) {
		this.key = hmacKey(checked(PROPERTY, secret));
		this.previous = (previous == null || previous.isEmpty()) ? null : hmacKey(checked(PREVIOUS_PROPERTY, previous));
	}

	private static SecretKeySpec hmacKey(String secret) {
		return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

	/** Names the property and what is wrong with it, never its value. */
	private static String checked(String property, String secret) {
		String advice = ": set it (environment variable TRIBUTARY_CURSOR_SECRET) to a random value of at least "
				+ MIN_SECRET_LENGTH + " characters, the same on every replica, e.g. `openssl rand -base64 48`. "
				+ "It signs pagination cursors; only the demo profile has a built-in value.";
		if (PREVIOUS_PROPERTY.equals(property)) {
			advice = ": leave it empty, or set it (TRIBUTARY_CURSOR_SECRET_PREVIOUS) to the cursor secret before the "
					+ "current one while cursors signed with it are still in use";
		}
		if (secret == null || secret.isBlank()) {
			throw new IllegalStateException(property + " is not set" + advice);
		}
		if (secret.strip().length() < MIN_SECRET_LENGTH) {
			throw new IllegalStateException(
					property + " is too short (" + secret.strip().length() + " characters)" + advice);
		}
		return secret;
	}

	/**
	 * @param api which API issues it (a cursor of one API is refused by another)
	 * @param fields the position, any text (a {@code |} or {@code %} in a field is
	 * escaped, so a thread or participant id holding one keeps a working cursor)
	 * @return the cursor text
	 */
	public String encode(String api, String... fields) {
		String payload = api + SEPARATOR
				+ String.join(SEPARATOR, java.util.Arrays.stream(fields).map(SignedCursors::escaped).toList());
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(sign(this.key, bytes));
	}

	/**
	 * @param api the API the cursor must have been issued by
	 * @param fieldCount how many fields it must carry
	 * @param text the {@code cursor} parameter
	 * @return its fields
	 * @throws InvalidCursor when the text was not issued by {@code api}
	 */
	public List<String> decode(String api, int fieldCount, String text) {
		try {
			String[] parts = text.split("\\.", -1);
			if (parts.length == 2) {
				byte[] payload = DECODER.decode(parts[0]);
				byte[] signature = DECODER.decode(parts[1]);
				// both compared, whichever matches, so the time tells nothing of which
				boolean current = MessageDigest.isEqual(sign(this.key, payload), signature);
				boolean before = this.previous != null
						&& MessageDigest.isEqual(sign(this.previous, payload), signature);
				if (current | before) {
					List<String> fields = List.of(new String(payload, StandardCharsets.UTF_8).split("\\|", -1));
					if (fields.size() == fieldCount + 1 && fields.get(0).equals(api)) {
						return fields.subList(1, fields.size()).stream().map(SignedCursors::unescaped).toList();
					}
				}
			}
		}
		catch (IllegalArgumentException ex) {
			// falls through: a malformed part makes it not one of ours
		}
		throw InvalidCursor.notOurs();
	}

	private static String escaped(String field) {
		return String.valueOf(field).replace("%", "%25").replace("|", "%7C");
	}

	private static String unescaped(String field) {
		if (field.indexOf('%') < 0) {
			return field;
		}
		StringBuilder text = new StringBuilder(field.length());
		for (int i = 0; i < field.length(); i++) {
			if (field.startsWith("%25", i)) {
				text.append('%');
				i += 2;
			}
			else if (field.startsWith("%7C", i)) {
				text.append('|');
				i += 2;
			}
			else {
				text.append(field.charAt(i));
			}
		}
		return text.toString();
	}

	/**
	 * Reads one field of a decoded cursor; a field that does not parse means a cursor
	 * that is not ours (a signature only proves who issued it, not which version).
	 * @param <T> the field's type
	 * @param parse the parser
	 * @param field the field's text
	 * @return the parsed field
	 */
	public static <T> T field(java.util.function.Function<String, T> parse, String field) {
		try {
			return parse.apply(field);
		}
		catch (RuntimeException ex) {
			throw InvalidCursor.notOurs();
		}
	}

	/**
	 * One page of a list ordered by a descending numeric id (runs, rejects): the cursor
	 * carries the last id of the page.
	 * @param <T> the item
	 * @param api which API issues the cursor
	 * @param limit the page size asked for; null for the default, 50
	 * @param cursor the {@code cursor} parameter; null for the first page
	 * @param query reads up to {@code limit} items with an id below the given one (null
	 * from the newest)
	 * @param id an item's id
	 * @return the page
	 * @throws InvalidCursor when the cursor was not issued by {@code api}
	 */
	public <T> Slice<T> byDescendingId(String api, Integer limit, String cursor,
			BiFunction<Long, Integer, List<T>> query, ToLongFunction<T> id) {
		int size = (limit != null) ? limit : DEFAULT_LIMIT;
		Long before = (cursor != null) ? field(Long::valueOf, decode(api, 1, cursor).get(0)) : null;
		List<T> found = query.apply(before, size + 1);
		boolean hasNext = found.size() > size;
		List<T> items = hasNext ? found.subList(0, size) : found;
		String next = hasNext ? encode(api, Long.toString(id.applyAsLong(items.get(items.size() - 1)))) : null;
		return new Slice<>(items, size, next, hasNext);
	}

	/**
	 * A page of an id-ordered list.
	 *
	 * @param <T> the item
	 * @param items the items
	 * @param limit the page size used
	 * @param nextCursor the cursor of the next page; null on the last
	 * @param hasNext whether there is a next page
	 */
	public record Slice<T>(List<T> items, int limit, String nextCursor, boolean hasNext) {
	}

	private static byte[] sign(SecretKeySpec key, byte[] payload) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			return Arrays.copyOf(mac.doFinal(payload), SIGNATURE_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
		}
	}

}
