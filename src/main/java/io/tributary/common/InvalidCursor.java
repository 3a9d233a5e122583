package io.tributary.common;

/**
 * A {@code cursor} that this API did not issue, or issued for another request.
 */
public class InvalidCursor extends InvalidParameter {

	InvalidCursor(String detail) {
		super("cursor", detail);
	}

	static InvalidCursor notOurs() {
		return new InvalidCursor(
				"Parameter 'cursor' is not a cursor issued by this API: pass page.nextCursor from a previous response unchanged");
	}

	/**
	 * @return the refusal of a cursor issued for another sort or other filters
	 */
	public static InvalidCursor otherRequest() {
		return new InvalidCursor(
				"Parameter 'cursor' was issued for a different sort or different filters: repeat the request that returned it with only 'cursor' changed, or start again without 'cursor'");
	}

}
