package io.tributary.common;

/**
 * A request the domain refuses, said in domain terms: which kind of refusal it is and,
 * where one parameter is at fault, its name. The web edge maps the kind to a status and
 * the rest to a problem document; domain code never speaks HTTP.
 */
public abstract class DomainException extends RuntimeException {

	private final Kind kind;

	private final String parameter;

	protected DomainException(Kind kind, String parameter, String detail) {
		super(detail, null, false, false);
		this.kind = kind;
		this.parameter = parameter;
	}

	public Kind kind() {
		return this.kind;
	}

	/**
	 * @return the parameter at fault, or null when none is
	 */
	public String parameter() {
		return this.parameter;
	}

	/**
	 * What kind of refusal: a value that cannot be used, a thing that does not exist, or
	 * a state that forbids it.
	 */
	public enum Kind {

		/**
		 * A value that cannot be used: malformed, out of range, or contradicting another.
		 */
		INVALID,
		/** A named thing that does not exist. */
		NOT_FOUND,
		/** The current state does not allow it (e.g. a run is already under way). */
		CONFLICT

	}

}
