package io.tributary.sync;

import java.sql.SQLException;
import java.util.List;

import io.tributary.source.UpstreamException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sync_run.error} and {@code sync_reject.reason} summarise a failure, never copy
 * the data its message quotes.
 */
class RunErrorTests {

	private static final String SECRET = "PAYLOAD-SECRET-3d9a7e51";

	@Test
	void aUniqueViolationNamesItsConstraintNotTheRow() {
		// what PostgreSQL sends: M(essage), D(etail) with the row's values, n
		// (constraint)
		ServerErrorMessage server = new ServerErrorMessage("SERROR\0C23505\0Mduplicate key value violates unique "
				+ "constraint \"interaction_connection_source_id_key\"\0DKey (connection, source_id)=(c, " + SECRET
				+ ") already exists.\0tinteraction\0ninteraction_connection_source_id_key\0");
		PSQLException psql = new PSQLException(server);
		assertThat(psql.getMessage()).as("the driver's own message quotes the row").contains(SECRET);

		String summary = RunErrors.refusal(new DuplicateKeyException("INSERT …; " + psql.getMessage(), psql));

		assertThat(summary).isEqualTo("PostgreSQL refused it (SQLSTATE 23505 unique_violation, "
				+ "constraint interaction_connection_source_id_key, table interaction, DuplicateKeyException)");
	}

	@Test
	void badInputSyntaxNamesTheTypeNotTheValue() {
		ServerErrorMessage server = new ServerErrorMessage(
				"SERROR\0C22P02\0Minvalid input syntax for type uuid: \"" + SECRET + "\"\0");
		String error = RunErrors
			.describe(new DataIntegrityViolationException("could not execute", new PSQLException(server)), List.of());
		assertThat(error).startsWith("PostgreSQL refused it (SQLSTATE 22P02 invalid_text_representation")
			.doesNotContain(SECRET);
	}

	@Test
	void otherFailuresKeepTheirTypeAndMessageWithoutQuotedDataOrSecrets() {
		String error = RunErrors.describe(
				new IllegalStateException("could not read \"" + SECRET + "\" with key the-connection-key-1"),
				List.of("the-connection-key-1"));
		assertThat(error).isEqualTo("IllegalStateException: could not read \"…\" with key [redacted]");
		assertThat(RunErrors.describe(new RuntimeException(new SQLException("x " + SECRET, "08006")), List.of()))
			.doesNotContain(SECRET);
	}

	@Test
	void anUpstreamFailureIsDescribedByItsOwnMessage() {
		UpstreamException upstream = UpstreamException.undecodable("GET /x",
				new IllegalArgumentException("from String \"" + SECRET + "\""));
		assertThat(RunErrors.describe(new RuntimeException(upstream), List.of()))
			.isEqualTo("GET /x answered a body that could not be decoded: from String \"…\"");
	}

}
