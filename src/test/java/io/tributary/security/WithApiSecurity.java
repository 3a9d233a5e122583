package io.tributary.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.tributary.TestApiKeys;

import org.springframework.context.annotation.Import;

/**
 * Adds the application's security filter chains to a web slice test, with the default
 * test key sent by MockMvc, so slice tests see the API as clients do.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Import({ SecurityConfiguration.class, TestApiKeys.class })
public @interface WithApiSecurity {

}
