package io.tributary.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a handler method whose filter record is shared with other endpoints: components of
 * that record this endpoint does not take. They are unknown parameters there (a 400
 * naming them) and are left out of its OpenAPI operation.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface NotParameters {

	/**
	 * @return the parameter names the endpoint refuses
	 */
	String[] value();

}
