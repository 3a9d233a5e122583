package io.tributary.common;

/**
 * A parameter whose value, alone or together with another, cannot be used.
 */
public class InvalidParameter extends DomainException {

	/**
	 * @param parameter the parameter's name
	 * @param detail what is wrong and what is allowed
	 */
	public InvalidParameter(String parameter, String detail) {
		super(Kind.INVALID, parameter, detail);
	}

}
