package io.tributary.common;

/**
 * An enum whose constants are written in the API as {@link #apiValue()} (for example
 * {@code in_progress} or {@code -createdAt}) rather than as Java constant names.
 * Parameters of such a type accept exactly those values, and a wrong one is answered with
 * the list of allowed values.
 */
public interface ApiValue {

	String apiValue();

	/**
	 * The constant of {@code type} spelled {@code value} in the API.
	 * @param <E> the enum
	 * @param type the enum's class
	 * @param value its API spelling
	 * @return the constant
	 * @throws IllegalArgumentException when no constant is spelled so
	 */
	static <E extends Enum<E> & ApiValue> E parse(Class<E> type, String value) {
		for (E constant : type.getEnumConstants()) {
			if (constant.apiValue().equals(value)) {
				return constant;
			}
		}
		throw new IllegalArgumentException("No " + type.getSimpleName() + " is spelled '" + value + "'");
	}

}
