package io.tributary.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * The database capacity that belongs to the sync: its own small connection pool (and the
 * {@code JdbcClient}, {@code JdbcTemplate} and transactions on it), used by every write
 * of a run, its locks and the sync's own reads. No API request takes a connection from
 * it, so readers exhausting theirs never hold a sync commit back. Unqualified injection
 * points get the API's pool.
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface SyncDatabase {

}
