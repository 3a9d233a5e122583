package io.tributary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import io.tributary.sync.SyncRuns;

import org.springframework.context.annotation.Import;

/**
 * The whole application on real PostgreSQL with a mock servlet environment. Every test
 * class using it shares one Spring context. Tests run syncs themselves
 * ({@link SyncRuns}), so nothing is scheduled; retention is on with a cutoff a century
 * back (every test's data is younger but the rows {@code RetentionTests} purges).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = { "tributary.sync.scheduling-enabled=false", "tributary.retention.max-age=P36500D" })
@AutoConfigureMockMvc
@Import({ TestPostgresConfiguration.class, TestApiKeys.class, SyncRuns.class })
public @interface IntegrationTest {

}
