package io.tributary.web;

import org.springframework.http.HttpStatus;

/**
 * A mistake in the client's request, answered as an RFC 9457 problem with its status and,
 * where one parameter is at fault, that parameter's name.
 */
public class ClientProblem extends RuntimeException {

	private final HttpStatus status;

	private final String type;

	private final String title;

	private final String parameter;

	protected ClientProblem(HttpStatus status, String type, String title, String parameter, String detail) {
		super(detail, null, false, false);
		this.status = status;
		this.type = type;
		this.title = title;
		this.parameter = parameter;
	}

	/**
	 * A parameter whose value cannot be used.
	 * @param parameter the query or path parameter's name
	 * @param detail what is wrong and what is allowed
	 * @return the problem
	 */
	public static ClientProblem invalidParameter(String parameter, String detail) {
		return new ClientProblem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", parameter, detail);
	}

	/**
	 * A resource that does not exist.
	 * @param parameter the parameter that named it
	 * @param detail which resource was not found
	 * @return the problem
	 */
	public static ClientProblem notFound(String parameter, String detail) {
		return new ClientProblem(HttpStatus.NOT_FOUND, "not-found", "Not found", parameter, detail);
	}

	/**
	 * A request that conflicts with the resource's current state.
	 * @param detail what conflicts
	 * @return the problem
	 */
	public static ClientProblem conflict(String detail) {
		return new ClientProblem(HttpStatus.CONFLICT, "conflict", "Conflict", null, detail);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String type() {
		return this.type;
	}

	public String title() {
		return this.title;
	}

	public String parameter() {
		return this.parameter;
	}

}
