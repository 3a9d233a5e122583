package io.tributary.web;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.util.Assert;
import org.springframework.validation.DataBinder;
import org.springframework.web.bind.ServletRequestDataBinder;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.annotation.ModelAttributeMethodProcessor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.support.ExtendedServletRequestDataBinder;

/**
 * Binds {@code @ModelAttribute} records (our query parameter objects, such as the
 * interaction filter) from the query string, with what Spring's constructor binding reads
 * by reflection on every request (the constructor, its parameter names, annotations and
 * nullness) read once per record type.
 * <p>
 * Only the query string binds: request headers never do (Spring would also bind a header
 * named like a component, so {@code limit: 500} sent as a header would page). When every
 * value converts, the record is built here; when one does not, Spring's own constructor
 * binding runs instead and records the errors exactly as it always has, so the answers to
 * bad input stay the same. Validation ({@code @Valid}) and the rest are Spring's.
 */
final class RecordParameters extends ModelAttributeMethodProcessor {

	private final Map<Class<?>, Shape> shapes = new ConcurrentHashMap<>();

	RecordParameters() {
		super(false);
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.hasParameterAnnotation(ModelAttribute.class) && parameter.getParameterType().isRecord();
	}

	@Override
	protected @Nullable Object createAttribute(String attributeName, MethodParameter parameter,
			WebDataBinderFactory binderFactory, NativeWebRequest request) throws Exception {
		HttpServletRequest servletRequest = request.getNativeRequest(HttpServletRequest.class);
		if (servletRequest == null || hasUriVariables(servletRequest)) {
			return null;
		}
		Shape shape = this.shapes.computeIfAbsent(parameter.getParameterType(), Shape::new);
		return shape.construct(servletRequest, binderFactory.createBinder(request, null, attributeName));
	}

	@Override
	protected void constructAttribute(WebDataBinder binder, NativeWebRequest request) {
		ServletRequest servletRequest = request.getNativeRequest(ServletRequest.class);
		Assert.state(servletRequest != null, "No ServletRequest");
		queryStringOnly(binder);
		((ServletRequestDataBinder) binder).construct(servletRequest);
	}

	@Override
	protected void bindRequestParameters(WebDataBinder binder, NativeWebRequest request) {
		// A record has no setters: everything was bound through its constructor.
	}

	private static void queryStringOnly(WebDataBinder binder) {
		if (binder instanceof ExtendedServletRequestDataBinder extended) {
			extended.setHeaderPredicate((header) -> false);
		}
	}

	private static boolean hasUriVariables(HttpServletRequest request) {
		return request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables
				&& !variables.isEmpty();
	}

	/** A record's canonical constructor and its parameters, read once. */
	private static final class Shape {

		private final Constructor<?> constructor;

		private final String[] names;

		private final MethodParameter[] parameters;

		Shape(Class<?> type) {
			this.constructor = BeanUtils.getResolvableConstructor(type);
			RecordComponent[] components = type.getRecordComponents();
			this.names = new String[components.length];
			this.parameters = new MethodParameter[components.length];
			for (int i = 0; i < components.length; i++) {
				this.names[i] = components[i].getName();
				this.parameters[i] = MethodParameter.forFieldAwareConstructor(this.constructor, i, this.names[i]);
			}
		}

		/**
		 * @return the record, or {@code null} when a value does not convert (Spring's
		 * binding then reports it)
		 */
		@Nullable Object construct(HttpServletRequest request, DataBinder binder) {
			Object[] arguments = new Object[this.names.length];
			for (int i = 0; i < this.names.length; i++) {
				String[] values = request.getParameterValues(this.names[i]);
				if (values == null) {
					if (this.parameters[i].getParameterType().isPrimitive()) {
						return null;
					}
					continue;
				}
				Object value = (values.length == 1) ? values[0] : values;
				try {
					arguments[i] = binder.convertIfNecessary(value, this.parameters[i].getParameterType(),
							this.parameters[i]);
				}
				catch (TypeMismatchException ex) {
					return null;
				}
			}
			return BeanUtils.instantiateClass(this.constructor, arguments);
		}

	}

}
