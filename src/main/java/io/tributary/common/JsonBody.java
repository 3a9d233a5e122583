package io.tributary.common;

/**
 * An answer already written as JSON in UTF-8 (a page written straight from its rows): the
 * web layer sends its bytes as they are, as {@code application/json}.
 */
public final class JsonBody {

	private final byte[] utf8;

	/**
	 * @param utf8 the JSON document, UTF-8; not copied
	 */
	public JsonBody(byte[] utf8) {
		this.utf8 = utf8;
	}

	/**
	 * @return the JSON document, UTF-8; not a copy
	 */
	public byte[] utf8() {
		return this.utf8;
	}

}
