package io.tributary.sync;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tributary.hygiene.SecretText;
import io.tributary.source.RunDeadline;
import io.tributary.source.UpstreamException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

import org.springframework.dao.DataAccessException;

/**
 * What a failed run or a refused item records as its reason ({@code sync_run.error},
 * {@code sync_reject.reason}): enough to act on, never the data a message quotes, never a
 * connection's secrets. Owns the table of SQL states a page of upstream data can run
 * into.
 */
final class RunErrors {

	/**
	 * The conditions a page of upstream data can run into, by SQL state, under
	 * PostgreSQL's condition names; PgJDBC's {@link PSQLState} names the codes where it
	 * knows them.
	 */
	private static final Map<String, String> CONDITIONS = Map.ofEntries(
			Map.entry(PSQLState.UNIQUE_VIOLATION.getState(), "unique_violation"),
			Map.entry(PSQLState.NOT_NULL_VIOLATION.getState(), "not_null_violation"),
			Map.entry(PSQLState.FOREIGN_KEY_VIOLATION.getState(), "foreign_key_violation"),
			Map.entry(PSQLState.CHECK_VIOLATION.getState(), "check_violation"),
			Map.entry("22P02", "invalid_text_representation"),
			Map.entry(PSQLState.STRING_DATA_RIGHT_TRUNCATION.getState(), "string_data_right_truncation"),
			Map.entry(PSQLState.NUMERIC_VALUE_OUT_OF_RANGE.getState(), "numeric_value_out_of_range"),
			Map.entry(PSQLState.BAD_DATETIME_FORMAT.getState(), "invalid_datetime_format"),
			Map.entry(PSQLState.DATETIME_OVERFLOW.getState(), "datetime_field_overflow"),
			Map.entry("22009", "invalid_time_zone_displacement_value"),
			Map.entry("22021", "character_not_in_repertoire"), Map.entry("22P05", "untranslatable_character"),
			Map.entry("54000", "program_limit_exceeded"),
			Map.entry(PSQLState.SERIALIZATION_FAILURE.getState(), "serialization_failure"),
			Map.entry(PSQLState.DEADLOCK_DETECTED.getState(), "deadlock_detected"),
			Map.entry(PSQLState.QUERY_CANCELED.getState(), "query_canceled"),
			Map.entry(PSQLState.CONNECTION_FAILURE.getState(), "connection_failure"));

	private RunErrors() {
	}

	/**
	 * Why a run failed: an upstream failure as its exception describes it (method, path,
	 * status, a summary of the answer), a database failure as {@link #refusal}, anything
	 * else by its type and message, without the data a message quotes and without the
	 * connection's secrets.
	 * @param ex the failure
	 * @param secrets the connection's secrets
	 * @return the text to record
	 */
	static String describe(Throwable ex, List<String> secrets) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof UpstreamException upstream) {
				return upstream.getMessage();
			}
			if (cause instanceof RunDeadline.Exceeded budget) {
				return budget.getMessage();
			}
			if (cause instanceof DataAccessException data) {
				return refusal(data);
			}
		}
		String message = (ex.getMessage() != null) ? ": " + SecretText.withoutQuotedValues(ex.getMessage()) : "";
		return SecretText.of(secrets).summarize(ex.getClass().getSimpleName() + message, 500);
	}

	/**
	 * What PostgreSQL objected to, without the values of the row (they may hold personal
	 * data or secrets, and PostgreSQL quotes them: {@code Key (x)=(…) already exists},
	 * {@code invalid input syntax for type uuid: "…"}): the SQL state with its condition
	 * name, and the constraint, table, column and type the server names.
	 * @param ex what the database layer threw
	 * @return the text to record
	 */
	static String refusal(DataAccessException ex) {
		Throwable cause = ex.getMostSpecificCause();
		List<String> parts = new ArrayList<>();
		if (cause instanceof SQLException sql && sql.getSQLState() != null) {
			String condition = CONDITIONS.get(sql.getSQLState());
			parts.add("SQLSTATE " + sql.getSQLState() + ((condition != null) ? " " + condition : ""));
		}
		else {
			parts.add(cause.getClass().getSimpleName());
		}
		if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
			ServerErrorMessage server = psql.getServerErrorMessage();
			named(parts, "constraint", server.getConstraint());
			named(parts, "table", server.getTable());
			named(parts, "column", server.getColumn());
			named(parts, "type", server.getDatatype());
		}
		parts.add(ex.getClass().getSimpleName());
		return "PostgreSQL refused it (" + String.join(", ", parts) + ")";
	}

	private static void named(List<String> parts, String what, String name) {
		if (name != null && !name.isBlank()) {
			parts.add(what + " " + name);
		}
	}

}
