package io.tributary.web;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.tributary.common.DomainException;
import io.tributary.config.ApiProperties;
import io.tributary.interaction.ExportProperties;
import io.tributary.interaction.ExportReaderStalled;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one error path: every client mistake becomes an RFC 9457
 * {@code application/problem+json} document that names the offending parameter
 * ({@code parameter}) and says what is allowed ({@code detail}); anything else becomes a
 * bare 500 whose cause is logged, never shown. Exceptions thrown by filters come here
 * too, through the error page ({@link ProblemErrorController}).
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

	private static final Pattern TOMCAT_PARAMETER = Pattern.compile("Parameter \\[([^\\]]{1,100})]");

	/** PostgreSQL's SQLSTATE of a statement cancelled (by its timeout, or on request). */
	private static final String QUERY_CANCELED = "57014";

	private final ObjectProvider<ApiProperties> api;

	private final ObjectProvider<ExportProperties> export;

	ProblemAdvice(ObjectProvider<ApiProperties> api, ObjectProvider<ExportProperties> export) {
		this.api = api;
		this.export = export;
	}

	@ExceptionHandler(DomainException.class)
	ResponseEntity<Object> domainProblem(DomainException problem, HttpServletRequest request) {
		return entity(domainProblem(problem, request.getRequestURI()));
	}

	/**
	 * @param problem the domain's refusal
	 * @param path the request path
	 * @return its problem: 400, 404 or 409 by the refusal's kind
	 */
	private static ProblemDetail domainProblem(DomainException problem, String path) {
		return switch (problem.kind()) {
			case INVALID -> Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
					problem.parameter(), problem.getMessage(), path);
			case NOT_FOUND -> Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", problem.parameter(),
					problem.getMessage(), path);
			case CONFLICT -> Problems.of(HttpStatus.CONFLICT, "conflict", "Conflict", problem.parameter(),
					problem.getMessage(), path);
		};
	}

	@ExceptionHandler(BindException.class)
	ResponseEntity<Object> bindFailure(BindException ex, HttpServletRequest request) {
		return bindingProblem(ex, request.getRequestURI());
	}

	/**
	 * Tomcat refuses to read the parameters (when they are first asked for) of a query
	 * string or form body with a broken percent-escape ({@code ?limit=%zz}), a parameter
	 * without a name ({@code ?=x}), too many parameters, or a form body over its size
	 * limit.
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<Object> unreadableParameters(InvalidParameterException ex, HttpServletRequest request) {
		return entity(unreadableParameters(ex, request.getRequestURI()));
	}

	/**
	 * The problem of parameters Tomcat could not read; also used for those read first by
	 * a filter, whose failure reaches the error page instead of this advice.
	 * @param ex Tomcat's refusal
	 * @param path the request path
	 * @return the problem, naming the parameter where Tomcat's message does
	 */
	static ProblemDetail unreadableParameters(InvalidParameterException ex, String path) {
		String message = String.valueOf(ex.getMessage());
		HttpStatusCode status = HttpStatusCode
			.valueOf((ex.getErrorCode() >= 400 && ex.getErrorCode() < 500) ? ex.getErrorCode() : 400);
		if (status.value() == 413) {
			return Problems.ofStatus(status,
					"The form body is larger than the server reads; this API takes its parameters in the query string",
					path);
		}
		Matcher named = TOMCAT_PARAMETER.matcher(message);
		if (named.find()) {
			String parameter = named.group(1);
			return Problems.of(status, "invalid-parameter", "Invalid parameter", parameter, "Parameter '" + parameter
					+ "' is not correctly percent-encoded: escape reserved characters as %XX with two hexadecimal digits, "
					+ "and encode text as UTF-8", path);
		}
		if (message.startsWith("Invalid chunk")) {
			return Problems.of(status, "invalid-parameter", "Invalid parameter", "",
					"A query parameter has no name (such as '?=x'): send name=value pairs separated by '&'", path);
		}
		if (message.contains("maximum number of request parameters")) {
			return Problems.of(status, "invalid-parameter", "Invalid parameter", null,
					"Too many query parameters: no endpoint of this API takes more than a few dozen", path);
		}
		return Problems.of(status, "invalid-parameter", "Invalid parameter", null,
				"The query string could not be read: send name=value pairs separated by '&', "
						+ "with reserved characters escaped as %XX and text encoded as UTF-8",
				path);
	}

	/**
	 * A multipart body that cannot be parsed: no endpoint takes one, but Spring MVC
	 * parses it before finding that out (one over the size limit is a 413, answered by
	 * the base class).
	 */
	@ExceptionHandler(MultipartException.class)
	ResponseEntity<Object> unreadableMultipart(MultipartException ex, HttpServletRequest request) {
		return invalid(null,
				"The request body is not well-formed multipart content; no endpoint of this API takes a body",
				request.getRequestURI());
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex, HttpServletRequest request, HttpServletResponse response)
			throws Exception {
		boolean gone = clientGone(ex);
		if (response.isCommitted()) {
			// part of the answer is out: no problem can be answered, and the body must
			// not end as a whole one
			// would; rethrown, the failure drops the connection (AbortCutShortAnswers)
			if (gone) {
				log.debug("The client of {} went away or stopped reading: {}", request.getRequestURI(), ex.toString());
			}
			else if (databaseBusy(ex, request) == null) {
				log.error("Answering {} {} failed after the answer had started; the connection is dropped",
						request.getMethod(), request.getRequestURI(), ex);
			}
			throw ex;
		}
		if (gone) {
			log.debug("The client of {} went away: {}", request.getRequestURI(), ex.toString());
			return null;
		}
		ResponseEntity<Object> busy = databaseBusy(ex, request);
		if (busy != null) {
			return busy;
		}
		log.error("Unexpected error answering {} {}", request.getMethod(), request.getRequestURI(), ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error", null,
				"The request could not be completed because of an internal error; it has been logged.",
				request.getRequestURI(), List.of());
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return bindingProblem(ex, path(request));
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: ex.getPropertyName();
		return invalid(name, typeMismatchDetail(name, ex), path(request));
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		var errors = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> result.getResolvableErrors()
				.stream()
				.map((error) -> new ParameterError(result.getMethodParameter().getParameterName(),
						"Parameter '" + result.getMethodParameter().getParameterName() + "' "
								+ error.getDefaultMessage() + " (was '" + shown(result.getArgument()) + "')")))
			.toList();
		return firstOf(errors, path(request));
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return invalid(ex.getParameterName(), "Parameter '" + ex.getParameterName() + "' is required", path(request));
	}

	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", null,
				"No endpoint " + ex.getHttpMethod() + " /" + ex.getResourcePath() + "; see /swagger-ui.html",
				path(request), List.of());
	}

	/**
	 * The answers Spring MVC builds itself (405 with {@code Allow}, 406, 415, 413, ...)
	 * get this API's problem type and title, the request path as instance, and the
	 * problem media type whatever the client accepts.
	 */
	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
			WebRequest request) {
		ProblemDetail problem = Problems.ofStatus(statusCode,
				(body instanceof ProblemDetail given && given.getDetail() != null) ? given.getDetail()
						: "The request cannot be answered: " + statusCode,
				path(request));
		HttpHeaders problemHeaders = new HttpHeaders();
		if (headers != null) {
			problemHeaders.putAll(headers);
		}
		problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return new ResponseEntity<>(problem, problemHeaders, statusCode);
	}

	/**
	 * A body that cannot be read: no endpoint takes one, but a form body is decoded for
	 * its parameters (by Tomcat for POST, by Spring's form filter for PUT, PATCH and
	 * DELETE).
	 */
	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return invalid(null, "The request body could not be read: no endpoint of this API takes a body, and a form "
				+ "body must be name=value pairs separated by '&', escaped as %XX", path(request));
	}

	/**
	 * Content negotiation chose a type no converter can write. With this API's endpoints
	 * producing JSON, that happens when {@code Accept} asks for JSON in a charset the
	 * JSON writer does not have ({@code application/json;charset=utf-16}): the client's
	 * choice, answered as 406. Any other failure to write is a fault.
	 */
	@Override
	protected ResponseEntity<Object> handleHttpMessageNotWritable(HttpMessageNotWritableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String charset = requestedCharset(request);
		if (charset != null) {
			return entity(Problems.ofStatus(HttpStatus.NOT_ACCEPTABLE,
					"Answers are JSON in UTF-8; the Accept header asks for charset " + charset
							+ ": leave the charset out or ask for UTF-8",
					path(request)));
		}
		if (clientGone(ex)) {
			// the client closed the connection mid-answer: nobody is left to answer
			log.debug("The client of {} went away before its answer was written", path(request));
			return null;
		}
		log.error("Could not write the answer to {}", path(request), ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error", null,
				"The request could not be completed because of an internal error; it has been logged.", path(request),
				List.of());
	}

	/**
	 * A broken pipe or reset while writing, or an export whose client stopped reading:
	 * the client is gone, not our fault.
	 */
	private static boolean clientGone(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof AsyncRequestNotUsableException || cause instanceof ClientAbortException
					|| cause instanceof ExportReaderStalled) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A request the database could not serve in time is a 503 with {@code Retry-After},
	 * never a 500: a statement PostgreSQL cancelled at the statement timeout (SQLSTATE
	 * {@code 57014}), or no connection free in the pool within its connection timeout.
	 * @return the answer, or null when the failure is something else
	 */
	private ResponseEntity<Object> databaseBusy(Throwable ex, HttpServletRequest request) {
		boolean timedOut = false;
		boolean noConnection = false;
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			timedOut |= cause instanceof QueryTimeoutException
					|| (cause instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState()));
			noConnection |= cause instanceof SQLTransientConnectionException;
		}
		if (!timedOut && !noConnection) {
			return null;
		}
		ApiProperties api = this.api.getIfAvailable(ApiProperties::defaults);
		long retryAfter = api.retryAfter().toSeconds();
		ProblemDetail problem;
		if (timedOut) {
			Duration timeout = api.statementTimeout();
			if (request.getRequestURI().endsWith("/export")) {
				ExportProperties export = this.export.getIfAvailable();
				timeout = (export != null) ? export.statementTimeout() : timeout;
			}
			log.warn("{} {} ran longer than the statement timeout ({}) and was cancelled", request.getMethod(),
					request.getRequestURI(), timeout);
			problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "statement-timeout", "Query took too long", null,
					"The database did not finish this query within the statement timeout ("
							+ timeout.toMillis() / 1000.0
							+ " s); narrow the filters (a createdFrom/createdTo window, a connection, a model) or retry "
							+ "after " + retryAfter + " s",
					request.getRequestURI());
		}
		else {
			log.warn("{} {} found no free database connection in time", request.getMethod(), request.getRequestURI());
			problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database-busy", "Database busy", null,
					"Every database connection of the gateway is in use; retry after " + retryAfter + " s",
					request.getRequestURI());
		}
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	/** The first charset other than UTF-8 the request's Accept header names, or null. */
	private static String requestedCharset(WebRequest request) {
		String[] accepts = request.getHeaderValues(HttpHeaders.ACCEPT);
		if (accepts == null) {
			return null;
		}
		try {
			for (String accept : accepts) {
				for (MediaType type : MediaType.parseMediaTypes(accept)) {
					String charset = type.getParameter("charset");
					if (charset != null && !charset.replace("\"", "").equalsIgnoreCase("UTF-8")) {
						return charset;
					}
				}
			}
		}
		catch (InvalidMediaTypeException ex) {
			// an Accept header that cannot be parsed asks for nothing
		}
		return null;
	}

	private ResponseEntity<Object> bindingProblem(BindException ex, String path) {
		var errors = ex.getFieldErrors().stream().map(ProblemAdvice::parameterError).toList();
		return firstOf(errors, path);
	}

	private ResponseEntity<Object> firstOf(List<ParameterError> errors, String path) {
		if (errors.isEmpty()) {
			return problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", null,
					"The request parameters are invalid", path, List.of());
		}
		ParameterError first = errors.get(0);
		return problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", first.parameter(),
				first.detail(), path, errors.size() > 1 ? errors : List.of());
	}

	private ResponseEntity<Object> invalid(String parameter, String detail, String path) {
		return problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", parameter, detail, path,
				List.of());
	}

	private static ParameterError parameterError(FieldError error) {
		String name = error.getField().replaceAll("\\[\\d+]$", "");
		if (error.contains(TypeMismatchException.class)) {
			return new ParameterError(name, typeMismatchDetail(name, error.unwrap(TypeMismatchException.class)));
		}
		return new ParameterError(name, "Parameter '" + name + "' " + error.getDefaultMessage()
				+ ((error.getRejectedValue() != null) ? " (was '" + shown(error.getRejectedValue()) + "')" : ""));
	}

	private static String typeMismatchDetail(String name, TypeMismatchException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidValueException invalid) {
				return "Parameter '" + name + "': " + invalid.getMessage();
			}
		}
		Class<?> type = ex.getRequiredType();
		String expected = (type == null) ? "a valid value"
				: UUID.class.equals(type) ? "a UUID such as 0b6f2d7e-8c1a-4f5e-9d3b-2a7c4e1f6a90"
						: Boolean.class.equals(type) || boolean.class.equals(type) ? "true or false"
								: Number.class.isAssignableFrom(type) || type.isPrimitive() ? "a number"
										: "a valid " + type.getSimpleName();
		return "Parameter '" + name + "' must be " + expected + " (was '" + shown(ex.getValue()) + "')";
	}

	/**
	 * A value as the client sent it: a parameter given several times is a list of its
	 * values, not an array's identity.
	 */
	private static String shown(Object value) {
		if (value instanceof Object[] values) {
			return Arrays.stream(values).map(String::valueOf).collect(Collectors.joining("', '"));
		}
		return String.valueOf(value);
	}

	private static ResponseEntity<Object> problem(HttpStatusCode status, String type, String title, String parameter,
			String detail, String path, List<ParameterError> errors) {
		ProblemDetail body = Problems.of(status, type, title, parameter, detail, path);
		if (!errors.isEmpty()) {
			body.setProperty("errors",
					errors.stream().map((e) -> Map.of("parameter", e.parameter(), "detail", e.detail())).toList());
		}
		return entity(body);
	}

	/**
	 * The problem with its media type set, so that it is written as it is whatever the
	 * request's {@code Accept} says (even when that header cannot be parsed).
	 */
	private static ResponseEntity<Object> entity(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static String path(WebRequest request) {
		return (request instanceof ServletWebRequest servlet) ? servlet.getRequest().getRequestURI() : "/";
	}

	private record ParameterError(String parameter, String detail) {
	}

}
